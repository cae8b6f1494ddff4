/**
 * Status words → lifecycle. Real documents write their status in dozens of ways (`✅ Accepted`,
 * `* Status: **Implemented (Swift 5.9)**`, `Dormant[^a]`, `Aprroved`, `superseded by [ADR-5](…)`,
 * template leftovers such as `{Draft, In Review, Implemented}`); this module reduces a raw value to
 * one lifecycle state, or null when the value is empty, unrecognised or still lists every choice.
 */
import { LIFECYCLE, type Lifecycle } from './model.js';

/** The result of normalising one raw status value. */
export interface NormalizedStatus {
  lifecycle: Lifecycle | null;
  /** The document named after `superseded by` / `replaced by`, as written (link text, not URL). */
  supersededBy: string | null;
}

/** A status normaliser: raw value as written → lifecycle. */
export type StatusNormalizer = (raw: string) => NormalizedStatus;

/**
 * The built-in vocabulary: for each lifecycle state, the words and phrases (lower case, single
 * spaces) that mean it. Learned from the corpus (gRPC, Swift Evolution, KEPs, Cilium CFPs, MADR,
 * log4brains, Go, Rust, …). Longer phrases win over shorter ones, so `implementation in progress`
 * is approved even though `in progress` alone reads as draft.
 */
export const STATUS_WORDS: Readonly<Record<Lifecycle, readonly string[]>> = {
  draft: [
    'draft',
    'drafting',
    'early draft',
    'pre draft',
    'proposed',
    'pre proposal',
    'provisional',
    'pending',
    'wip',
    'work in progress',
    'in progress',
    'idea',
    'exploring',
    'exploration',
    'exploratory',
    'investigating',
    'prototype',
    'prototyping',
    'new',
    'not started',
    'planning',
    'planned',
    'experimental',
    'proposal',
    'rfc draft',
    'open',
    'todo',
    'incomplete',
  ],
  'in-review': [
    'in review',
    'review',
    'reviewing',
    'under review',
    'in active review',
    'active review',
    'awaiting review',
    'scheduled for review',
    'ready for review',
    'needs review',
    'pending review',
    'review pending',
    'discussion',
    'in discussion',
    'under discussion',
    'under consideration',
    'decision needed',
    'needs decision',
    'active',
    'open for comments',
    'open for comment',
    'request for comments',
    'request for comment',
    'comments requested',
    'final comment period',
    'fcp',
    'feedback',
    'in feedback',
    'likely accept',
    'likely decline',
  ],
  approved: [
    'approved',
    'accepted',
    'accepted with revisions',
    'accepted with modifications',
    'accept',
    'approve',
    'implementable',
    'decided',
    'decision made',
    'agreed',
    'adopted',
    'ratified',
    'signed off',
    'confirmed',
    'ready for implementation',
    'ready to implement',
    'awaiting implementation',
    'implementation in progress',
    'in implementation',
    'being implemented',
    'previewing',
    // Prometheus writes `Implementation Status: Not implemented` on proposals it has accepted.
    'not implemented',
    'not yet implemented',
  ],
  implemented: [
    'implemented',
    'implemented with modifications',
    'partially implemented',
    'currently implemented',
    'implementation complete',
    'completed',
    'complete',
    'done',
    'released',
    'shipped',
    'final',
    'finished',
    'merged',
    'landed',
    'delivered',
    'stable',
    'graduated',
    'ga',
    'generally available',
    'in production',
    'live',
  ],
  rejected: [
    'rejected',
    'declined',
    'returned',
    'returned for revision',
    'refused',
    'denied',
    'not accepted',
    'not approved',
    'won t do',
    'wont do',
    'wontfix',
    'closed',
  ],
  withdrawn: [
    'withdrawn',
    'abandoned',
    'retracted',
    'cancelled',
    'canceled',
    'dropped',
    'discarded',
    'expired',
    'inactive',
  ],
  deferred: [
    'deferred',
    'postponed',
    'dormant',
    'on hold',
    'paused',
    'parked',
    'stalled',
    'frozen',
    'backlog',
    'blocked',
    'later',
  ],
  superseded: ['superseded', 'superceded', 'replaced', 'obsoleted', 'merged into'],
  deprecated: ['deprecated', 'obsolete', 'retired', 'removed', 'sunset', 'sunsetted', 'archived'],
};

/** Words that may open a status value without carrying meaning (`Status: this proposal was adopted`). */
const FILLER = new Set([
  'status',
  'state',
  'this',
  'the',
  'proposal',
  'rfc',
  'kep',
  'adr',
  'cfp',
  'design',
  'document',
  'doc',
  'is',
  'was',
  'has',
  'been',
  'now',
  'currently',
  'still',
  'fully',
  'officially',
  'formally',
]);

/** How many leading words may be filler before the status word itself. */
const MAX_SKIP = 4;

interface Vocabulary {
  /** phrase (space-joined words) → lifecycle */
  phrases: Map<string, Lifecycle>;
  /** single words of six letters or more, for the typo fallback */
  longWords: Array<{ word: string; lifecycle: Lifecycle }>;
  maxPhraseWords: number;
}

function buildVocabulary(extra: Partial<Record<Lifecycle, readonly string[]>>): Vocabulary {
  const phrases = new Map<string, Lifecycle>();
  const longWords: Array<{ word: string; lifecycle: Lifecycle }> = [];
  let maxPhraseWords = 1;
  const add = (lifecycle: Lifecycle, phrase: string): void => {
    const words = tokenize(phrase);
    if (words.length === 0) return;
    const key = words.join(' ');
    phrases.set(key, lifecycle);
    maxPhraseWords = Math.max(maxPhraseWords, words.length);
    if (words.length === 1 && key.length >= 6) longWords.push({ word: key, lifecycle });
  };
  for (const lifecycle of LIFECYCLE) {
    for (const phrase of STATUS_WORDS[lifecycle]) add(lifecycle, phrase);
  }
  // Configured words come last so a team can re-map a built-in word (e.g. `final` → approved).
  for (const lifecycle of LIFECYCLE) {
    for (const phrase of extra[lifecycle] ?? []) add(lifecycle, phrase);
  }
  return { phrases, longWords, maxPhraseWords };
}

/** Lower-case letter/digit runs; apostrophes split (`won't` → `won t`). */
function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Optimal-string-alignment distance (a transposition costs 1), capped: returns > cap early. */
function typoDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0] as number[];
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > cap) return cap + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * Markdown and decoration reduced away: HTML comments, footnote markers, links (their text kept),
 * emphasis and code marks, checkboxes, trailing `# yaml comments`.
 */
function cleanValue(raw: string): string {
  let text = raw;
  // An unclosed comment still hides the rest: it was never meant as the value.
  text = text.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  text = text.replace(/\[\^[^\]]*\]/g, '');
  text = text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
  text = text.replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1');
  text = text.replace(/<\/?[a-z][^>]*>/gi, ' ');
  text = text.replace(/\s#(?!\d).*$/, '');
  text = text.replace(/[*_`~]+/g, ' ');
  text = text.replace(/\[[ xX]\]/g, ' ');
  return text.trim();
}

/** `superseded by X` / `replaced by X`: X as written (link text kept), else null. */
function findSuccessor(raw: string): string | null {
  const withoutComments = raw.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  const match = /\b(?:superseded|superceded|replaced|obsoleted)\s+(?:by|with)\s*:?\s*(.+)$/i.exec(
    withoutComments,
  );
  if (!match) return null;
  let target = (match[1] as string).trim();
  const link = /^\[([^\]]+)\]\([^)]*\)/.exec(target);
  if (link) return (link[1] as string).trim() || null;
  target = target
    .replace(/[*_`]+/g, '')
    .replace(/[\s.,;)\]]+$/, '')
    .trim();
  return target === '' ? null : target;
}

/**
 * Splits a leftover choice list (`{Draft, In Review}`, `a | b | c`, `[a | b]`, `a, b, c`, `a or b`) into its
 * options, or returns null when the value is not shaped like a list of choices.
 */
function choiceOptions(text: string): string[] | null {
  const braced = /^[{[(](.*)[}\])]$/s.exec(text);
  const inner = braced ? (braced[1] as string) : text;
  let parts: string[];
  if (inner.includes('|')) parts = inner.split('|');
  else if (inner.includes(',')) parts = inner.split(',');
  else if (/\s\/\s|^\w+\/\w+$/.test(inner)) parts = inner.split('/');
  else if (/\s(?:or)\s/i.test(inner)) parts = inner.split(/\s+or\s+/i);
  else return null;
  return parts.map((part) => part.trim()).filter((part) => part !== '' && part !== '…' && part !== '...');
}

/** Builds a normaliser whose vocabulary is the built-in one plus `extra` (extra wins on clashes). */
export function createStatusNormalizer(
  extra: Partial<Record<Lifecycle, readonly string[]>> = {},
): StatusNormalizer {
  const vocabulary = buildVocabulary(extra);

  /** The lifecycle of the longest known phrase starting within the first few words. */
  const classifyWords = (words: string[], allowTypos: boolean): Lifecycle | null => {
    const limit = Math.min(words.length, MAX_SKIP + 1);
    for (let start = 0; start < limit; start++) {
      for (let length = Math.min(vocabulary.maxPhraseWords, words.length - start); length >= 1; length--) {
        const found = vocabulary.phrases.get(words.slice(start, start + length).join(' '));
        // `Proposal` alone is a status; in `this proposal was adopted` it is only a lead-in.
        if (found && !(length === 1 && start + 1 < words.length && FILLER.has(words[start] as string)))
          return found;
      }
      if (allowTypos) {
        const word = words[start] as string;
        if (word.length >= 6 && !FILLER.has(word)) {
          const cap = word.length >= 8 ? 2 : 1;
          let best: Lifecycle | null = null;
          let bestDistance = cap + 1;
          for (const candidate of vocabulary.longWords) {
            // Typos keep the first letter; without this `Incomplete` would pass for `complete`.
            if (candidate.word.charCodeAt(0) !== word.charCodeAt(0)) continue;
            const distance = typoDistance(word, candidate.word, cap);
            if (distance < bestDistance) {
              bestDistance = distance;
              best = candidate.lifecycle;
            }
          }
          if (best) return best;
        }
      }
      if (!FILLER.has(words[start] as string)) break;
    }
    return null;
  };

  const classify = (text: string): Lifecycle | null => {
    const words = tokenize(text);
    if (words.length === 0) return null;
    return classifyWords(words, false) ?? classifyWords(words, true);
  };

  return (raw: string): NormalizedStatus => {
    const supersededBy = findSuccessor(raw);
    let text = cleanValue(raw);
    // Leading emoji and symbols (`✅ Accepted`, `🚧 WIP`, `> Draft`).
    text = text.replace(/^[^\p{L}\p{N}{[(]+/u, '').trim();
    if (text === '') return { lifecycle: null, supersededBy: null };

    // `In Review {Draft, In Review, …}`: the chosen word comes before the leftover list.
    const beforeList = /^([^{[(|,]+?)\s*([{[(].*)$/s.exec(text);
    if (beforeList && choiceOptions((beforeList[2] as string).trim()) !== null) {
      const lifecycle = classify(beforeList[1] as string);
      if (lifecycle) return { lifecycle, supersededBy: lifecycle === 'superseded' ? supersededBy : null };
    }
    // `Accepted, superseded by ADR-12` / `Accepted (replaced by …)`: the later state wins.
    if (
      supersededBy !== null &&
      /(?:^|[,;(–—-]\s*)(?:superseded|superceded|replaced|obsoleted)\s+(?:by|with)\b/i.test(text)
    ) {
      const options = choiceOptions(text);
      if (options === null || options.length <= 2) return { lifecycle: 'superseded', supersededBy };
    }
    const options = choiceOptions(text);
    if (options && options.length >= 2) {
      const kinds = new Set<Lifecycle>();
      for (const option of options) {
        const kind = classify(option);
        if (kind) kinds.add(kind);
      }
      // Several different states listed: the template's choice list, nothing was picked.
      if (kinds.size >= 2) return { lifecycle: null, supersededBy: null };
    }
    const lifecycle = classify(text.replace(/^[{[(]|[}\])]$/g, ''));
    return { lifecycle, supersededBy: lifecycle === 'superseded' ? supersededBy : null };
  };
}

/** Normalises a status as written into a lifecycle state with the built-in vocabulary. */
export const normalizeStatus: StatusNormalizer = createStatusNormalizer();
