/**
 * Metadata key names: how a key as written (`Author(s)`, `RFC PR #`, `Implementation Status`)
 * becomes the normalised `name`, and which names carry the status, type, version and title.
 */

/** Lower case, every run of other characters as one `-`: `Feature Name` → `feature-name`. */
export function metadataKeyName(key: string): string {
  const lower = key.toLowerCase();
  // ASCII by char codes (the two regexes showed in parse profiles); anything else the general way.
  let out = '';
  let wordStart = -1;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (wordStart < 0) {
        if (out !== '') out += '-';
        wordStart = i;
      }
      continue;
    }
    if (c >= 128) return unicodeKeyName(lower);
    if (wordStart >= 0) {
      out += lower.slice(wordStart, i);
      wordStart = -1;
    }
  }
  if (wordStart === 0) return lower;
  if (wordStart > 0) out += lower.slice(wordStart);
  return out;
}

function unicodeKeyName(lower: string): string {
  return lower.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
}

/**
 * Keys whose value is the document status, best first. `status` wins over `implementation-status`
 * when a document has both (Prometheus proposals write only the latter).
 */
export const STATUS_KEYS: readonly string[] = [
  'status',
  'state',
  'current-status',
  'proposal-status',
  'document-status',
  'decision-status',
  'rfc-status',
  'adr-status',
  'kep-status',
  'implementation-status',
];

export const TYPE_KEYS: readonly string[] = ['type', 'doc-type', 'document-type', 'kind', 'category'];
export const VERSION_KEYS: readonly string[] = ['version', 'doc-version', 'document-version', 'revision'];
export const TITLE_KEYS: readonly string[] = ['title', 'name'];
export const FEATURE_NAME_KEYS: readonly string[] = ['feature-name', 'feature'];

/**
 * Keys real documents use in their header. A line whose key is one of these is metadata even where
 * the looser shape test would doubt it (a bold key without a colon, a long value, a lower-case key).
 */
export const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...STATUS_KEYS,
  ...TYPE_KEYS,
  ...VERSION_KEYS,
  ...TITLE_KEYS,
  ...FEATURE_NAME_KEYS,
  'author',
  'authors',
  'author-s',
  'owner',
  'owners',
  'owner-s',
  'editor',
  'editors',
  'contributors',
  'champion',
  'champions',
  'sponsor',
  'shepherd',
  'shepherds',
  'deciders',
  'consulted',
  'informed',
  'reviewer',
  'reviewers',
  'review-manager',
  'approver',
  'approvers',
  'sig',
  'team',
  'date',
  'created',
  'creation-date',
  'start-date',
  'updated',
  'last-updated',
  'last-update',
  'last-modified',
  'begin-design-discussion',
  'end-design-discussion',
  'discussion',
  'discussion-at',
  'proposal',
  'implementation',
  'implemented-in',
  'decision-notes',
  'rfc-pr',
  'rust-issue',
  'issue',
  'issues',
  'tracking-issue',
  'related-issues-and-prs',
  'supersedes',
  'superseded-by',
  'replaces',
  'tags',
  'technical-story',
  'cilium-release',
  'target-release',
  'release',
  'milestone',
  'audience',
  'reviewed-by',
]);

/** Bold labels that open a remark, not a metadata entry (`**Note:** this document …`). */
export const REMARK_KEYS: ReadonlySet<string> = new Set([
  'note',
  'notes',
  'warning',
  'important',
  'tip',
  'caution',
  'todo',
  'tl-dr',
  'tldr',
  'update',
  'edit',
  'disclaimer',
  'action-required',
  'example',
  'summary',
  'goal',
  'goals',
  'non-goals',
  'problem',
  'problem-statement',
  'solution',
  'rationale',
  'decision',
  'question',
  'answer',
  'context',
  'table-of-contents',
  'contents',
]);
