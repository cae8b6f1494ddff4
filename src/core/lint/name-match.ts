/**
 * Fuzzy matching of architecture names between a diagram and component headings: case,
 * punctuation, parentheticals, plurals and generic suffixes ("Service", "Layer", …) are ignored,
 * and a name matches when one's words are contained in the other's ("Payments" ≈ "Payments API").
 */

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

const WORDS = new Map<string, string[]>();

/** The words of a name that carry meaning, singular, without generic suffix words (memoised). */
export function nameWords(name: string): string[] {
  let words = WORDS.get(name);
  if (!words) {
    words = computeWords(name);
    if (WORDS.size >= 20_000) WORDS.clear();
    WORDS.set(name, words);
  }
  return words;
}

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

/** True when two architecture names denote the same thing. */
export function namesMatch(a: string, b: string): boolean {
  const wa = nameWords(a);
  const wb = nameWords(b);
  if (wa.length === 0 || wb.length === 0) return false;
  if (wa.join(' ') === wb.join(' ')) return true;
  const [small, big] = wa.length <= wb.length ? [wa, new Set(wb)] : [wb, new Set(wa)];
  return small.every((word) => big.has(word));
}
