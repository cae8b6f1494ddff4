/**
 * The differential oracle: document-level headings as commonmark.js sees them, in the same shape
 * as ours (level, plain text, 1-based line). Plain text is the concatenation of text and code
 * literals with soft and hard line breaks as one space, the convention `headingPlainText` uses.
 * commonmark.js knows neither BOMs nor front matter, so the BOM is dropped and front matter lines
 * are blanked (line numbers kept) before it sees the text.
 */
import { Parser, type Node } from 'commonmark';
import type { Heading } from '../../../src/core/model.js';

export interface HeadingShape {
  level: number;
  text: string;
  line: number;
}

const parser = new Parser();

function plainText(node: Node): string {
  let out = '';
  const walker = node.walker();
  let event;
  while ((event = walker.next())) {
    if (!event.entering) continue;
    const n = event.node;
    if (n.type === 'text' || n.type === 'code') out += n.literal ?? '';
    else if (n.type === 'softbreak' || n.type === 'linebreak') out += ' ';
  }
  return out;
}

/** Text as commonmark.js should see it: BOM dropped, lines `from..to` (1-based, inclusive) blanked. */
export function oracleInput(text: string, blank: { from: number; to: number } | null): string {
  let input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (blank !== null) {
    const lines = input.split(/\r\n|\n|\r/);
    for (let i = blank.from - 1; i <= blank.to - 1 && i < lines.length; i++) lines[i] = '';
    input = lines.join('\n');
  }
  return input;
}

/**
 * commonmark.js 0.31 does not move a setext heading's start line past the link reference
 * definitions it strips when it meets the underline (it does for paragraphs), so its line is the
 * first definition's. We report the heading's own first line. The correction asks commonmark.js
 * itself: the heading starts after the longest prefix of its lines that parses to nothing.
 */
function setextStartLine(lines: string[], start: number, end: number): number {
  if (!/^ {0,3}\[/.test(lines[start - 1] ?? '')) return start;
  let line = start;
  for (let k = start + 1; k < end; k++) {
    if (parser.parse(lines.slice(start - 1, k - 1).join('\n')).firstChild === null) line = k;
  }
  return line;
}

/** Document-level headings of `input` according to commonmark.js. */
export function commonmarkHeadings(input: string): HeadingShape[] {
  const doc = parser.parse(input);
  const out: HeadingShape[] = [];
  let lines: string[] | null = null;
  for (let child = doc.firstChild; child !== null; child = child.next) {
    if (child.type !== 'heading') continue;
    let line = child.sourcepos[0][0];
    const endLine = child.sourcepos[1][0];
    if (endLine > line) {
      lines ??= input.split(/\r\n|\n|\r/);
      line = setextStartLine(lines, line, endLine);
    }
    out.push({ level: child.level, text: plainText(child), line });
  }
  return out;
}

/** Our headings in the oracle's shape. */
export function headingShapes(headings: readonly Heading[]): HeadingShape[] {
  return headings.map((h) => ({ level: h.level, text: h.text, line: h.range.start.line }));
}

/** A readable description of the first difference between two heading lists, or null. */
export function firstDifference(ours: HeadingShape[], theirs: HeadingShape[]): string | null {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === undefined || b === undefined || a.level !== b.level || a.text !== b.text || a.line !== b.line) {
      const show = (h: HeadingShape | undefined): string =>
        h === undefined ? '(none)' : `h${h.level} line ${h.line} ${JSON.stringify(h.text)}`;
      return `heading #${i + 1}: ours ${show(a)} / commonmark.js ${show(b)} (ours ${ours.length}, theirs ${theirs.length})`;
    }
  }
  return null;
}
