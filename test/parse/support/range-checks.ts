/**
 * Structural invariants of a parsed document: every range inside the text with start ≤ end and
 * positions consistent with offsets; sections in document order and nested inside their parents.
 */
import type { DesignDocument, Position, Section, SourceRange } from '../../../src/core/model.js';

function lineStartsOf(text: string): number[] {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function checkPosition(p: Position, starts: number[], text: string, what: string, out: string[]): void {
  if (!(p.offset >= 0 && p.offset <= text.length))
    out.push(`${what}: offset ${p.offset} outside 0..${text.length}`);
  const lineStart = starts[p.line - 1];
  if (lineStart === undefined) out.push(`${what}: line ${p.line} does not exist`);
  else if (p.offset - lineStart + 1 !== p.column)
    out.push(`${what}: column ${p.column} does not match offset ${p.offset} on line ${p.line}`);
}

function checkRange(r: SourceRange, starts: number[], text: string, what: string, out: string[]): void {
  checkPosition(r.start, starts, text, `${what}.start`, out);
  checkPosition(r.end, starts, text, `${what}.end`, out);
  if (r.start.offset > r.end.offset) out.push(`${what}: start ${r.start.offset} after end ${r.end.offset}`);
}

/** Every violated invariant, described; empty when the document is sound. */
export function rangeProblems(doc: DesignDocument): string[] {
  const out: string[] = [];
  const { text } = doc;
  const starts = lineStartsOf(text);
  doc.headings.forEach((h, i) => checkRange(h.range, starts, text, `heading ${i}`, out));
  doc.codeBlocks.forEach((c, i) => checkRange(c.range, starts, text, `code block ${i}`, out));
  let previous: Section | null = null;
  const visit = (s: Section, parent: Section | null): void => {
    checkRange(s.range, starts, text, `section ${s.id}`, out);
    checkRange(s.bodyRange, starts, text, `section ${s.id} body`, out);
    if (text.slice(s.bodyRange.start.offset, s.bodyRange.end.offset) !== s.body)
      out.push(`section ${s.id}: body is not the text of bodyRange`);
    if (s.bodyRange.start.offset < s.range.start.offset || s.bodyRange.end.offset > s.range.end.offset)
      out.push(`section ${s.id}: body outside section`);
    if (
      parent !== null &&
      (s.range.start.offset < parent.range.start.offset || s.range.end.offset > parent.range.end.offset)
    )
      out.push(`section ${s.id}: outside parent ${parent.id}`);
    if (previous !== null && s.range.start.offset < previous.range.start.offset)
      out.push(`section ${s.id}: before ${previous.id}`);
    if (s.depth < 1) out.push(`section ${s.id}: depth ${s.depth}`);
    previous = s;
    for (const c of s.children) visit(c, s);
  };
  for (const s of doc.sections) visit(s, null);
  const ids = new Set<string>();
  const all: Section[] = [];
  const collect = (s: Section): void => {
    all.push(s);
    s.children.forEach(collect);
  };
  doc.sections.forEach(collect);
  for (const s of all) {
    if (ids.has(s.id)) out.push(`duplicate section id ${s.id}`);
    ids.add(s.id);
  }
  if (doc.frontMatter !== null) checkRange(doc.frontMatter.range, starts, text, 'front matter', out);
  if (doc.title?.range) checkRange(doc.title.range, starts, text, 'title', out);
  return out;
}
