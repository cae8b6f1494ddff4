/**
 * `indexOf` that stops at a bound. `String.prototype.indexOf` runs to the end of the text when
 * the needle is missing, so calling it once per `[`, `<` or `**` on a line is quadratic on
 * documents full of unmatched openers; every search inside a line goes through here instead.
 */
export function indexBefore(text: string, needle: string, from: number, end: number): number {
  const first = needle.charCodeAt(0);
  const last = end - needle.length;
  for (let i = from; i <= last; i++) {
    if (text.charCodeAt(i) === first && (needle.length === 1 || text.startsWith(needle, i))) return i;
  }
  return -1;
}
