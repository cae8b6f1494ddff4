/**
 * The prefixes a search-box query asks for (`cach*` → `cach`), found the way both engines read
 * them: the run of letters and digits just before a `*` outside quotes, or after a closing quote
 * the phrase's last word (`ab_c*` and `"one c"*` both ask for `c`). The documents service refuses
 * prefixes too short to be worth expanding; the SQLite driver picks how to highlight by whether
 * FTS5 has index entries for them.
 */

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Every prefix in `query`, in order. A `*` with no word before it (`*`, `a *`) yields nothing: that is the engine's own syntax error. */
export function searchPrefixes(query: string): string[] {
  const chars = [...query];
  const prefixes: string[] = [];
  let quoted = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '"') quoted = !quoted;
    if (c !== '*' || quoted) continue;
    let end = i;
    if (chars[end - 1] === '"') end--;
    let start = end;
    while (start > 0 && WORD_CHARACTER.test(chars[start - 1]!)) start--;
    if (start < end) prefixes.push(chars.slice(start, end).join(''));
  }
  return prefixes;
}
