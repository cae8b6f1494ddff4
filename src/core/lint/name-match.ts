/**
 * Fuzzy matching of architecture names between a diagram and component headings: case,
 * punctuation, parentheticals, plurals and generic suffixes ("Service", "Layer", …) are ignored,
 * and a name matches when one's words are contained in the other's ("Payments" ≈ "Payments API").
 */

import { detached } from '../detached-string.js';

const SUFFIXES = new Set([
  'service',
  'layer',
  'server',
  'component',
  'module',
  'system',
  'subsystem',
  'tier',
]);

/** A name's words with what comparisons need, derived once per distinct name. */
export interface NameInfo {
  words: string[];
  joined: string;
  set: Set<string>;
}

const INFO = new Map<string, NameInfo>();
/** Longer names are not worth remembering: they rarely repeat. */
const MAX_CACHED_LENGTH = 160;

/**
 * The words of a name as `infosMatch` compares them, memoised by name. The memo's keys and words
 * are detached copies: names are slices of their document, which the memo must not keep alive.
 */
export function nameInfo(name: string): NameInfo {
  let info = INFO.get(name);
  if (!info) {
    // Decided by length, not by `key === name`: a detached copy equals its original under `===`.
    const cacheable = name.length <= MAX_CACHED_LENGTH;
    const key = cacheable ? detached(name) : name;
    const words = computeWords(key);
    info = { words, joined: words.join(' '), set: new Set(words) };
    if (!cacheable) return info;
    if (INFO.size >= 20_000) INFO.clear();
    INFO.set(key, info);
  }
  return info;
}

/** The words of a name that carry meaning, singular, without generic suffix words. */
function computeWords(name: string): string[] {
  const words = name
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  const meaningful = [...words];
  while (meaningful.length > 0 && SUFFIXES.has(meaningful[meaningful.length - 1] as string)) meaningful.pop();
  // "Service Layer" is nothing but suffixes: then the words themselves are the name.
  return meaningful.length > 0 ? meaningful : words;
}

/** True when two architecture names (through `nameInfo`) denote the same thing. */
export function infosMatch(ia: NameInfo, ib: NameInfo): boolean {
  if (ia.words.length === 0 || ib.words.length === 0) return false;
  if (ia.joined === ib.joined) return true;
  const [small, big] = ia.words.length <= ib.words.length ? [ia.words, ib.set] : [ib.words, ia.set];
  for (const word of small) if (!big.has(word)) return false;
  return true;
}
