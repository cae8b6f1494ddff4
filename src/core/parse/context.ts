/**
 * What the block pass hands to the extractors: the text, where each line starts, which lines are
 * opaque (code, HTML blocks, front matter) and the section tree. Extractors only read this; they
 * never rescan the document for block structure.
 */
import type { Heading, Position, Section, SourceRange } from '../model.js';

/** Per-line flag values in `ExtractContext.opaque`. */
export const LINE_OPEN = 0;
/** Inside a fenced or indented code block (including its fence lines). */
export const LINE_CODE = 1;
/** Inside an HTML block (including comments). */
export const LINE_HTML = 2;
/** Front matter, including its delimiters. */
export const LINE_FRONT_MATTER = 3;
/** A heading line (ATX, or either line of a setext heading). */
export const LINE_HEADING = 4;

export interface ExtractContext {
  text: string;
  /** Offset of the first character of each line; `lineStarts[0]` is 0 (or 1 after a BOM). Index i is line i+1. */
  lineStarts: number[];
  /** Offset just past each line's content, before its line ending. */
  lineEnds: number[];
  /** One of the LINE_* values per line (index i is line i+1). */
  opaque: Uint8Array;
  /** The section tree (document-level headings only). */
  sections: Section[];
  /** Sections in document order, flattened. */
  sectionList: Section[];
  /** Top-level section heading level for this document. */
  sectionLevel: number;
  /** The detected front matter block, or null. */
  frontMatter: { raw: string; range: SourceRange } | null;
  fileName: string | null;
  /** The heading chosen as the document's title (kept out of the section tree), or null. */
  titleHeading?: Heading | null;
}

/** Position of `offset` given the line start table (binary search). */
export function positionAt(lineStarts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1, offset };
}

/** A range from two offsets. */
export function rangeAt(lineStarts: readonly number[], start: number, end: number): SourceRange {
  return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
}

/** A range on a known line (1-based) from two offsets, without a search. */
export function rangeOnLine(
  lineStarts: readonly number[],
  line: number,
  start: number,
  end: number,
): SourceRange {
  const base = lineStarts[line - 1] as number;
  return {
    start: { line, column: start - base + 1, offset: start },
    end: { line, column: end - base + 1, offset: end },
  };
}

/** The innermost section containing `offset`, or null in the preamble. */
export function sectionAt(sectionList: readonly Section[], offset: number): Section | null {
  let found: Section | null = null;
  for (const section of sectionList) {
    if (section.range.start.offset > offset) break;
    if (offset < section.range.end.offset) found = section;
  }
  return found;
}
