/**
 * What a section heading means to designdoc: goals, the overview, architecture components, open
 * questions, approvals, … Headings in real documents vary in case, numbering, punctuation, emoji
 * and wording, so classification works on a normalised form against a synonym table.
 */
import { DocumentMap } from './document-cache.js';
import { detached } from './detached-string.js';
import type { DesignDocument, Section } from './model.js';
import type { SchemaSectionKind } from './template/schema.js';

// Leading enumerations: `3.`, `3.2`, `3.2.1)`, `III.`, `iv)`, `A.`, `§ 4`. Roman numerals and
// letters need a `.` or `)` after them so that words such as "I/O" or "A new API" survive.
const LEADING_NUMBER = /^\s*(?:§\s*)?(?:\d+(?:\.\d+)*[.)]?|[ivxlcdm]+[.)]|[a-z][.)])(?=[^\p{L}\p{N}]|$)/iu;
const NON_ASCII = /[\u0080-\uffff]/;
const LEADING_JUNK = /^[^\p{L}\p{N}§]+/u;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

/** Whether the title may start with an enumeration, decided without a regex for most titles. */
function mayHaveNumber(title: string): boolean {
  let i = 0;
  while (i < title.length && (title.charCodeAt(i) === 32 || title.charCodeAt(i) === 9)) i++;
  const c = title.charCodeAt(i);
  if ((c >= 48 && c <= 57) || c === 0xa7) return true;
  // `III.`, `iv)`, `A.`: a short word ending in `.` or `)`.
  for (let j = i; j < title.length && j - i < 8; j++) {
    const d = title.charCodeAt(j);
    if (d === 46 || d === 41) return true;
    if (d === 32) return false;
  }
  return false;
}

/** Already normal: ASCII letters and digits in words separated by single spaces (most titles). */
function isPlainLower(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  const first = s.charCodeAt(0);
  if (!(first >= 97 && first <= 122)) return false;
  let previousSpace = false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) previousSpace = false;
    else return false;
  }
  return !previousSpace;
}

/**
 * Lower-cases a heading and strips what does not carry meaning for matching: a leading
 * enumeration (`3.2`, `III.`, `A.`), emoji and punctuation, with `&` and `+` read as `and`.
 * Whitespace is collapsed to single spaces. `"3.2 Goals & Success Criteria 🎯:"` becomes
 * `"goals and success criteria"`.
 */
export function normalizeHeading(title: string): string {
  const lower = title.toLowerCase();
  if (isPlainLower(lower)) return lower;
  let s = lower;
  // Emoji or punctuation before the numbering (`🎯 1. Goals`) and stacked numbering (`1. 2.`).
  for (let guard = 0; guard < 8; guard++) {
    // LEADING_JUNK cannot match before an ASCII letter or digit; skip the regex there.
    const next = startsWithAsciiWord(s) ? s : s.replace(LEADING_JUNK, '');
    const stripped = mayHaveNumber(next) ? next.replace(LEADING_NUMBER, '') : next;
    if (stripped === s) break;
    s = stripped;
  }
  if (NON_ASCII.test(s)) {
    if (s.includes('&') || s.includes('+')) s = s.replace(/[&+]/g, ' and ');
    // Letters and digits of any script stay; emoji, symbols and punctuation become one blank.
    return s.replace(NOT_LETTER_OR_DIGIT, ' ').trim();
  }
  return asciiWords(s);
}

const NORMALIZED = new Map<string, string>();
/** Headings longer than this are not worth remembering: they rarely repeat. */
const MAX_CACHED_LENGTH = 160;

/**
 * `normalizeHeading`, memoised by text: headings, labels and keys repeat across the documents of a
 * run (most follow one template), and normalising is most of what matching them costs. Entries are
 * detached copies and short, so the memo holds at most a few megabytes and no document.
 */
export function normalizeHeadingCached(text: string): string {
  let key = NORMALIZED.get(text);
  if (key === undefined) {
    key = normalizeHeading(text);
    if (text.length > MAX_CACHED_LENGTH) return key;
    // Bounded so that a long run over many distinct documents cannot grow it without limit.
    if (NORMALIZED.size >= 50_000) NORMALIZED.clear();
    key = detached(key);
    NORMALIZED.set(detached(text), key);
  }
  return key;
}

interface DocumentKeys {
  headings?: string[];
  fields?: string[];
  groups?: string[];
}

const DOCUMENT_KEYS = new DocumentMap<DocumentKeys>();

function documentKeys(doc: DesignDocument): DocumentKeys {
  let keys = DOCUMENT_KEYS.get(doc);
  if (!keys) {
    keys = {};
    DOCUMENT_KEYS.set(doc, keys);
  }
  return keys;
}

/**
 * `normalizeHeadingCached` of every `doc.headings[i].text`, once per document. Template detection,
 * section matching and the score all key headings and labels; an array lookup is much cheaper than
 * going back to the memo, which hashes the freshly sliced string and compares it each time.
 */
export function headingKeys(doc: DesignDocument): string[] {
  const keys = documentKeys(doc);
  return (keys.headings ??= doc.headings.map((heading) => normalizeHeadingCached(heading.text)));
}

/** `normalizeHeadingCached` of every `doc.fields[i].label`, once per document. */
export function fieldLabelKeys(doc: DesignDocument): string[] {
  const keys = documentKeys(doc);
  return (keys.fields ??= doc.fields.map((field) => normalizeHeadingCached(field.label)));
}

/** `normalizeHeadingCached` of every `doc.groups[i].label`, once per document. */
export function groupLabelKeys(doc: DesignDocument): string[] {
  const keys = documentKeys(doc);
  return (keys.groups ??= doc.groups.map((group) => normalizeHeadingCached(group.label)));
}

/**
 * The normalised titles of `sections`, which must be in document order: a section titled by its
 * own heading's text (as the parser builds them) takes that heading's key from `headingKeys`.
 */
export function sectionTitleKeys(doc: DesignDocument, sections: readonly Section[]): string[] {
  const headings = doc.headings;
  const keys = headingKeys(doc);
  const out = new Array<string>(sections.length);
  let h = 0;
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i] as Section;
    const start = h;
    while (h < headings.length && headings[h] !== section.heading) h++;
    if (h < headings.length && (headings[h] as { text: string }).text === section.title) {
      out[i] = keys[h] as string;
      h++;
    } else {
      // Not among the headings after the previous section's (a hand-built model): look it up.
      h = start;
      out[i] = normalizeHeadingCached(section.title);
    }
  }
  return out;
}

function startsWithAsciiWord(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/**
 * For an ASCII string: `&` and `+` read as `and`, every run of other non-word characters as one
 * blank, no blank at either end — what the replace-and-trim of the general path gives, without
 * its regexes and intermediate strings.
 */
function asciiWords(s: string): string {
  let out = '';
  let pendingBlank = false;
  let wordStart = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (wordStart < 0) {
        if (pendingBlank && out !== '') out += ' ';
        pendingBlank = false;
        wordStart = i;
      }
      continue;
    }
    if (wordStart >= 0) {
      out += s.slice(wordStart, i);
      wordStart = -1;
    }
    if (c === 38 || c === 43) {
      if (out !== '') out += ' ';
      out += 'and';
    }
    pendingBlank = true;
  }
  if (wordStart >= 0) {
    if (pendingBlank && out !== '') out += ' ';
    out += s.slice(wordStart);
  }
  return out;
}

const EXACT: ReadonlyMap<string, SchemaSectionKind> = new Map(
  (
    [
      [
        'goals',
        [
          'goals',
          'goal',
          'primary goals',
          'design goals',
          'project goals',
          'objectives',
          'goals and objectives',
          'goals and success criteria',
          'goals and success metrics',
          'goals and requirements',
          'key goals',
        ],
      ],
      [
        'success-criteria',
        [
          'success criteria',
          'success criterion',
          'success metrics',
          'success measures',
          'measures of success',
          'acceptance criteria',
          'definition of done',
          'key results',
        ],
      ],
      [
        'overview',
        [
          'overview',
          'high level overview',
          'highlevel overview',
          'high level design',
          'high level architecture',
          'architecture',
          'architecture overview',
          'architectural overview',
          'system overview',
          'system architecture',
          'solution overview',
          'technical overview',
          'design overview',
          'architecture diagram',
          'system diagram',
        ],
      ],
      [
        'components',
        [
          'architecture components',
          'architectural components',
          'components',
          'system components',
          'key components',
          'main components',
          'core components',
          'component design',
          'components and responsibilities',
        ],
      ],
      [
        'decisions',
        [
          'design decisions',
          'decisions',
          'decision',
          'key decisions',
          'key design decisions',
          'technical decisions',
          'architecture decisions',
          'architectural decisions',
          'decision record',
          'decision records',
        ],
      ],
      [
        'implementation',
        [
          'implementation',
          'implementation plan',
          'implementation phases',
          'implementation strategy',
          'implementation approach',
          'phases',
          'rollout',
          'rollout plan',
          'roll out plan',
          'roadmap',
          'milestones',
          'delivery plan',
          'migration plan',
          'execution plan',
          'plan',
        ],
      ],
      [
        'performance-targets',
        [
          'performance targets',
          'performance',
          'performance goals',
          'performance requirements',
          'performance objectives',
          'performance budget',
          'slos',
          'slo',
          'slas',
          'sla',
          'slos and slas',
          'service level objectives',
          'service level agreements',
          'nonfunctional requirements',
          'non functional requirements',
        ],
      ],
      [
        'security',
        [
          'security',
          'security considerations',
          'security and privacy',
          'security and privacy considerations',
          'privacy and security',
          'security implications',
          'security model',
          'security concerns',
          'security review',
          'threat model',
          'security and compliance',
        ],
      ],
      [
        'open-questions',
        [
          'open questions',
          'open question',
          'unresolved questions',
          'unresolved question',
          'outstanding questions',
          'outstanding issues',
          'open issues',
          'unresolved issues',
          'open points',
          'open items',
          'questions',
          'remaining questions',
          'pending questions',
          'unanswered questions',
        ],
      ],
      [
        'approvals',
        [
          'approvals',
          'approval',
          'approvers',
          'sign off',
          'sign offs',
          'signoff',
          'signoffs',
          'sign off and approvals',
          'approvals and sign off',
          'review and approval',
          'reviews and approvals',
          'approval status',
        ],
      ],
    ] as const
  ).flatMap(([kind, names]) => names.map((name) => [name, kind as SchemaSectionKind] as const)),
);

// Prefixes that keep their meaning whatever follows (`Open Questions / Future Work`,
// `Security Considerations for Tenants`). Checked only when the exact table has no entry, so the
// trailing blank never needs to match an exact name.
const PREFIXES: readonly (readonly [string, SchemaSectionKind])[] = [
  ['open questions ', 'open-questions'],
  ['unresolved questions ', 'open-questions'],
  ['outstanding questions ', 'open-questions'],
  ['security considerations ', 'security'],
  ['security and privacy ', 'security'],
  ['performance targets ', 'performance-targets'],
  ['success criteria ', 'success-criteria'],
  ['architecture components ', 'components'],
  ['design decisions ', 'decisions'],
  ['approvals ', 'approvals'],
  ['sign off ', 'approvals'],
];

/**
 * Classifies a section heading into the kind of content the template expects under it. Robust to
 * case, leading numbering, trailing punctuation, emoji, `&` vs `and`, and the synonyms real
 * documents use (Open ≈ Unresolved ≈ Outstanding Questions, Sign-off ≈ Approvals, SLOs ≈
 * Performance Targets, …). Unknown headings, and mixed ones such as `Performance & Scalability`
 * or `Non-Goals`, are `plain`.
 */
export function classifySection(title: string): SchemaSectionKind {
  return classifyNormalized(normalizeHeading(title));
}

/** `classifySection` for a title already passed through `normalizeHeading`. */
export function classifyNormalized(name: string): SchemaSectionKind {
  const exact = EXACT.get(name);
  if (exact !== undefined) return exact;
  for (const [prefix, kind] of PREFIXES) {
    if (name.charCodeAt(0) === prefix.charCodeAt(0) && name.startsWith(prefix)) return kind;
  }
  return 'plain';
}
