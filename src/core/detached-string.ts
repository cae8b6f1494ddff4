/**
 * A copy of `text` that shares no storage with the string it came from. Names and headings are
 * slices of their document's source; keeping a slice in a process-wide memo would keep the whole
 * document alive for as long as the memo holds it.
 */
export function detached(text: string): string {
  return (' ' + text).slice(1);
}
