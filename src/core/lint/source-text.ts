/**
 * Small, cached views of a document's text that several rules share: offset → position, the
 * section a range sits in, and values with markdown decoration reduced away.
 */
import { DocumentMap } from '../document-cache.js';
import { documentLineStarts as lineStarts } from '../document-lines.js';
import type { DesignDocument, Position, Section, SourceRange } from '../model.js';

/** Offsets of each line start (index i is line i+1), computed once per document. */
export { lineStarts };

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
  const start = line <= 1 ? 0 : (lineStarts(doc)[Math.min(line - 1, lineStarts(doc).length - 1)] as number);
  const at: Position = line <= 1 ? { line: 1, column: 1, offset: 0 } : positionOf(doc, start);
  return restOfLine(doc, at);
}

/** From a position to the end of its line (line ending excluded); needs no line table. */
function restOfLine(doc: DesignDocument, at: Position): SourceRange {
  let end = doc.text.indexOf('\n', at.offset);
  if (end === -1) end = doc.text.length;
  if (end > at.offset && doc.text.charCodeAt(end - 1) === 13) end--;
  return { start: at, end: { line: at.line, column: at.column + (end - at.offset), offset: end } };
}

/** The first line of a range, as a range (for headings and blocks that span lines). */
export function firstLineOf(doc: DesignDocument, range: SourceRange): SourceRange {
  const line = restOfLine(doc, range.start);
  return line.end.offset < range.end.offset ? line : range;
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** The characters `\s` matches (and `String.prototype.trim` removes). */
export function isSpace(code: number): boolean {
  return code <= 32
    ? code === 32 || (code >= 9 && code <= 13)
    : code >= 0xa0 &&
        (code === 0xa0 ||
          code === 0x1680 ||
          (code >= 0x2000 && code <= 0x200a) ||
          code === 0x2028 ||
          code === 0x2029 ||
          code === 0x202f ||
          code === 0x205f ||
          code === 0x3000 ||
          code === 0xfeff);
}

/**
 * A value reduced to what a reader sees: HTML comments (even unclosed ones), emphasis and code marks
 * removed, whitespace collapsed. Real documents leave comments after values (`Status: Draft <!-- … -->`).
 */
export function plainValue(value: string): string {
  const text = value.includes('<!--') ? value.replace(COMMENT, ' ') : value;
  // One pass instead of remove-marks, collapse-spaces and trim: runs of kept characters are copied
  // as slices, and a blank goes between two runs only when whitespace separated them.
  let out = '';
  let runStart = -1;
  let blank = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const mark = code === 42 || code === 95 || code === 96 || code === 126; // * _ ` ~
    if (mark || isSpace(code)) {
      if (runStart >= 0) {
        out += text.slice(runStart, i);
        runStart = -1;
      }
      if (!mark) blank = true;
      continue;
    }
    if (runStart < 0) {
      if (blank && out !== '') out += ' ';
      blank = false;
      runStart = i;
    }
  }
  if (runStart >= 0) {
    if (runStart === 0) return text;
    out += text.slice(runStart);
  }
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** True when a value has nothing a reader would see besides list markers and punctuation. */
export function isBlankValue(value: string): boolean {
  // Most values are settled by their first ASCII letter or digit, which no comment can hide when
  // no `<` comes before it; anything else takes the general test.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)) return false;
    if (code === 60 || code >= 128) break;
    if (i === value.length - 1) return true;
  }
  // Emphasis marks carry no letters, so only comments need removing before the test.
  return !WORD_CHAR.test(value.includes('<!--') ? value.replace(COMMENT, ' ') : value);
}

/** True when `inner` lies within `outer`. */
export function contains(outer: SourceRange, inner: SourceRange): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

const SECTION_INDEX = new DocumentMap<Map<string, Section>>();
const SECTION_LIST = new DocumentMap<Section[]>();

/** Every section in document order, flattened. */
export function allSections(doc: DesignDocument): Section[] {
  let list = SECTION_LIST.get(doc);
  if (!list) {
    list = [];
    pushSections(doc.sections, list);
    SECTION_LIST.set(doc, list);
  }
  return list;
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).
function pushSections(sections: readonly Section[], out: Section[]): void {
  for (const section of sections) {
    out.push(section);
    pushSections(section.children, out);
  }
}

/** The section with this id, or undefined. */
export function sectionById(doc: DesignDocument, id: string | null): Section | undefined {
  if (id === null) return undefined;
  let index = SECTION_INDEX.get(doc);
  if (!index) {
    index = new Map();
    for (const section of allSections(doc)) index.set(section.id, section);
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
