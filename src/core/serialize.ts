/**
 * Model → markdown. `serialize(doc)` writes the canonical form of a parsed document.
 *
 * A document is *canonical* when:
 * 1. every line ends with LF (no CR anywhere);
 * 2. when it has front matter, the front matter's opening `---` is its first line (after an
 *    optional BOM), with no blank lines before it;
 * 3. every document-level heading (section headings, the title heading and any heading before it)
 *    is one ATX line at column 1: `#` × level, one space, then the heading's raw inline text, with
 *    the lines of a setext heading joined by one space. No closing sequence is written, except a
 *    single ` #` when the raw text itself ends in a run of `#` that would otherwise be read as one;
 * 4. every heading line and the front matter's closing delimiter are followed by a line ending;
 * 5. all other characters are exactly those of the source.
 *
 * So serialize(parse(x)) === x for every canonical x; serialize's output is always canonical, so
 * canonicalising twice is the same as once; and nothing outside heading lines, line endings and
 * blank lines before front matter is ever changed or dropped.
 */
import type { DesignDocument, Heading, Section } from './model.js';

/** The canonical ATX line for a heading (without line ending). */
export function canonicalHeadingLine(heading: Heading): string {
  let raw = heading.raw.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ');
  if (/(?:^|[ \t])#+$/.test(raw)) raw += ' #';
  return '#'.repeat(heading.level) + ' ' + raw;
}

function toLf(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

/**
 * Writes `text` (which sits at `start` in the source) with its line endings normalised and every
 * heading lying inside it rewritten as its canonical ATX line.
 */
function writeChunk(text: string, start: number, headings: readonly Heading[], source: string): string {
  const end = start + text.length;
  let out = '';
  let at = start;
  for (const h of headings) {
    const lineStart = h.range.start.offset - (h.range.start.column - 1);
    if (lineStart < at || h.range.end.offset > end) continue;
    out += toLf(source.slice(at, lineStart)) + canonicalHeadingLine(h);
    at = h.range.end.offset;
  }
  return out + toLf(source.slice(at, end));
}

function writeSection(section: Section, doc: DesignDocument, parts: string[]): void {
  parts.push(canonicalHeadingLine(section.heading), '\n');
  parts.push(writeChunk(section.body, section.bodyRange.start.offset, doc.headings, doc.text));
  for (const child of section.children) writeSection(child, doc, parts);
}

/**
 * Serialises a parsed document to its canonical markdown (see the module comment for what
 * "canonical" means): front matter, preamble, then each section as a canonical ATX heading
 * followed by its own body and its children, with LF line endings.
 */
export function serialize(doc: DesignDocument): string {
  const parts: string[] = [];
  if (doc.bom) parts.push('\uFEFF');
  const fm = doc.frontMatter;
  if (fm !== null) parts.push(toLf(doc.text.slice(fm.range.start.offset, fm.range.end.offset)), '\n');
  const first = doc.sections[0];
  const preambleEnd = first === undefined ? doc.text.length : first.range.start.offset;
  const preambleStart = preambleEnd - doc.preamble.length;
  parts.push(writeChunk(doc.preamble, preambleStart, doc.headings, doc.text));
  for (const section of doc.sections) writeSection(section, doc, parts);
  return parts.join('');
}
