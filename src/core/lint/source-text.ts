/**
 * Small, cached views of a document's text that several rules share: offset → position, the
 * section a range sits in, and values with markdown decoration reduced away.
 */
import type { DesignDocument, Position, Section, SourceRange } from '../model.js';

const LINE_STARTS = new WeakMap<DesignDocument, number[]>();

/** Offsets of each line start (index i is line i+1), computed once per document. */
export function lineStarts(doc: DesignDocument): number[] {
  let starts = LINE_STARTS.get(doc);
  if (!starts) {
    starts = [0];
    const text = doc.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    LINE_STARTS.set(doc, starts);
  }
  return starts;
}

/** The position of a 0-based offset. */
export function positionOf(doc: DesignDocument, offset: number): Position {
  const starts = lineStarts(doc);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] as number) + 1, offset };
}

/** The range between two offsets. */
export function rangeOf(doc: DesignDocument, start: number, end: number): SourceRange {
  return { start: positionOf(doc, start), end: positionOf(doc, end) };
}

/** The range of a whole line (without its line ending), 1-based. */
export function lineRange(doc: DesignDocument, line: number): SourceRange {
  const starts = lineStarts(doc);
  const start = starts[Math.max(0, Math.min(line - 1, starts.length - 1))] as number;
  let end = doc.text.indexOf('\n', start);
  if (end === -1) end = doc.text.length;
  if (end > start && doc.text[end - 1] === '\r') end--;
  return rangeOf(doc, start, end);
}

/** The first line of a range, as a range (for headings and blocks that span lines). */
export function firstLineOf(doc: DesignDocument, range: SourceRange): SourceRange {
  const line = lineRange(doc, range.start.line);
  return { start: range.start, end: line.end.offset < range.end.offset ? line.end : range.end };
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/**
 * A value reduced to what a reader sees: HTML comments (even unclosed ones), emphasis and code marks
 * removed, whitespace collapsed. Real documents leave comments after values (`Status: Draft <!-- … -->`).
 */
export function plainValue(value: string): string {
  let text = value;
  if (text.includes('<!--')) text = text.replace(COMMENT, ' ');
  return text.replace(/[*_`~]+/g, '').replace(/\s+/g, ' ').trim();
}

/** True when a value has nothing a reader would see besides list markers and punctuation. */
export function isBlankValue(value: string): boolean {
  return !/[\p{L}\p{N}]/u.test(plainValue(value));
}

/** True when `inner` lies within `outer`. */
export function contains(outer: SourceRange, inner: SourceRange): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

const SECTION_INDEX = new WeakMap<DesignDocument, Map<string, Section>>();
const SECTION_LIST = new WeakMap<DesignDocument, Section[]>();

/** Every section in document order, flattened. */
export function allSections(doc: DesignDocument): Section[] {
  let list = SECTION_LIST.get(doc);
  if (!list) {
    list = [];
    const walk = (sections: readonly Section[]): void => {
      for (const section of sections) {
        (list as Section[]).push(section);
        walk(section.children);
      }
    };
    walk(doc.sections);
    SECTION_LIST.set(doc, list);
  }
  return list;
}

/** The section with this id, or undefined. */
export function sectionById(doc: DesignDocument, id: string | null): Section | undefined {
  if (id === null) return undefined;
  let index = SECTION_INDEX.get(doc);
  if (!index) {
    index = new Map(allSections(doc).map((section) => [section.id, section]));
    SECTION_INDEX.set(doc, index);
  }
  return index.get(id);
}

/** The innermost section holding an offset, or undefined in the preamble. */
export function sectionAtOffset(doc: DesignDocument, offset: number): Section | undefined {
  let found: Section | undefined;
  for (const section of allSections(doc)) {
    if (section.range.start.offset > offset) break;
    if (offset < section.range.end.offset) found = section;
  }
  return found;
}

/** `"x"` with long values shortened, for messages. */
export function quote(text: string, max = 40): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  return `"${plain.length > max ? `${plain.slice(0, max - 1)}…` : plain}"`;
}
