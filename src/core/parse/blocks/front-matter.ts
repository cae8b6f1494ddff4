/**
 * YAML front matter: a `---` line opening the document (after a BOM, or after blank lines as some
 * real documents have it), closed by a `---` or `...` line. The first content line must look like
 * YAML (`key:` or a `#` comment), or the block be empty, so that a document merely starting with a
 * thematic break and a setext heading is not swallowed.
 */
export interface FrontMatterBlock {
  /** 0-based index of the opening `---` line. */
  openLine: number;
  /** 0-based index of the closing delimiter line. */
  closeLine: number;
  /** The YAML between the delimiters, with its line endings (empty when there is none). */
  raw: string;
  /** Offset of the opening `-`. */
  start: number;
  /** Offset just past the closing delimiter (before its line ending). */
  end: number;
}

function isDelimiter(text: string, start: number, end: number, ch: number): boolean {
  let e = end;
  while (e > start && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  return (
    e - start === 3 &&
    text.charCodeAt(start) === ch &&
    text.charCodeAt(start + 1) === ch &&
    text.charCodeAt(start + 2) === ch
  );
}

function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

const YAML_START = /^(?:[A-Za-z0-9_$"'.-][^:]*:(?:[ \t]|$)|#)/;

/** Finds the front matter block using the line tables, or null. */
export function detectFrontMatter(
  text: string,
  lineStarts: readonly number[],
  lineEnds: readonly number[],
): FrontMatterBlock | null {
  const count = lineStarts.length;
  let open = 0;
  while (open < count && isBlankLine(text, lineStarts[open] as number, lineEnds[open] as number)) open++;
  if (open >= count - 1) return null;
  if (!isDelimiter(text, lineStarts[open] as number, lineEnds[open] as number, 45)) return null;
  const first = text.slice(lineStarts[open + 1] as number, lineEnds[open + 1] as number);
  if (
    !YAML_START.test(first) &&
    !isDelimiter(text, lineStarts[open + 1] as number, lineEnds[open + 1] as number, 45)
  )
    return null;
  for (let l = open + 1; l < count; l++) {
    const s = lineStarts[l] as number;
    const e = lineEnds[l] as number;
    if (isDelimiter(text, s, e, 45) || isDelimiter(text, s, e, 46)) {
      return {
        openLine: open,
        closeLine: l,
        raw: text.slice(lineStarts[open + 1] as number, s),
        start: lineStarts[open] as number,
        end: e,
      };
    }
  }
  return null;
}
