/**
 * The last-resort title: the file name, made readable. Corpus file names are source paths with `/`
 * replaced by `__`, and most carry a number or date prefix (`0001-`, `2019-03-`, `A6-`, `CFP-123-`).
 */

const GENERIC_NAMES = /^(readme|index|template|proposal|design|rfc|adr)$/i;

/** `sig-node__1234-pod-level-resources.md` → `Pod level resources`; null when nothing readable is left. */
export function titleFromFileName(fileName: string): string | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.(md|markdown|mdx|txt)$/i, '');
  const segments = stem.split('__').filter((segment) => segment !== '');
  let chosen = segments.pop() ?? '';
  // `hubble__README.md`: the folder names the document better than README does.
  while (GENERIC_NAMES.test(chosen) && segments.length > 0) chosen = segments.pop() ?? '';
  const words = chosen
    .replace(/^\d{4}-\d{2}(-\d{2})?[-_.\s]*/, '')
    .replace(/^(?:[A-Z]{1,4}-?)?(?:\d+|N{2,})[-_.\s]+/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  if (words === '') return null;
  return words === words.toLowerCase() ? words.charAt(0).toUpperCase() + words.slice(1) : words;
}
