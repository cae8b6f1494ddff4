/**
 * The block pass: a CommonMark 0.31 block-structure parser that keeps only what designdoc needs.
 * It follows commonmark.js's algorithm (open-block chain, `continue` per container, block starts
 * in spec order, lazy continuation, tab stops) so its document-level headings agree with the
 * reference implementation, but it allocates no AST and builds no per-line strings: it walks the
 * text with `charCodeAt`, records paragraph lines by offset and only materialises a paragraph's
 * content when it may hold link reference definitions or becomes a setext heading.
 *
 * One deliberate deviation from CommonMark: a bullet marker followed only by blanks (`- `, the
 * empty item of an unfilled template) after a paragraph line starts an empty list item. CommonMark
 * reads `**Data Layer**` + `- ` as a setext heading, which would turn every group label of the
 * design-document template into a section. A bare `-` with no trailing blank stays an underline.
 * Neither the CommonMark spec examples nor the shared corpus contain the pattern, so the
 * differential test against commonmark.js is unaffected.
 */
import type { CodeBlock, Heading, SourceRange } from '../../model.js';
import { LINE_CODE, LINE_FRONT_MATTER, LINE_HEADING, LINE_HTML } from '../context.js';
import { headingPlainText } from '../inline/heading-text.js';
import { parseLinkReference, unescapeString } from '../inline/link-reference.js';
import { detectFrontMatter } from './front-matter.js';
import { HtmlBlockCloser, htmlBlockKind } from './html-block.js';
import { buildLineTable } from './line-table.js';

/** Everything the block pass finds. */
export interface BlockScan {
  /** Offset of each line's first character (index i is line i+1); after a BOM line 1 starts at 1. */
  lineStarts: number[];
  /** Offset just past each line's content, before its line ending. */
  lineEnds: number[];
  /** One LINE_* flag per line. */
  opaque: Uint8Array;
  /** Document-level headings (not inside lists or block quotes), in order. */
  headings: Heading[];
  /** Every code block, at any depth, in order of their end. */
  codeBlocks: CodeBlock[];
  /** Link reference definitions: normalised label (as commonmark.js folds it) → destination. */
  linkReferences: Map<string, string>;
  /** The YAML between the front matter delimiters and the range of the whole block (delimiters included). */
  frontMatter: { raw: string; range: SourceRange } | null;
  bom: boolean;
  lineEnding: '\n' | '\r\n';
}

const T_DOC = 0;
const T_LIST = 1;
const T_QUOTE = 2;
const T_ITEM = 3;
const T_PARA = 4;
const T_HEADING = 5;
const T_HR = 6;
const T_CODE = 7;
const T_HTML = 8;

const C_TAB = 9;
const C_SPACE = 32;

class OpenBlock {
  child: OpenBlock | null = null;
  hasChild = false;
  /** Lists and items. */
  ordered = false;
  bulletChar = 0;
  delimiter = 0;
  markerOffset = 0;
  padding = 0;
  /** Code blocks. */
  fenced = false;
  closed = false;
  fenceChar = 0;
  fenceLength = 0;
  fenceOffset = 0;
  /** HTML blocks. */
  htmlKind = 0;
  /** Paragraphs: first line of content not yet consumed by link reference definitions. */
  contentLine: number;
  lastLine: number;

  constructor(
    readonly type: number,
    readonly parent: OpenBlock | null,
    readonly startLine: number,
    readonly startOffset: number,
  ) {
    this.contentLine = startLine;
    this.lastLine = startLine;
  }
}

interface PendingHeading {
  level: number;
  kind: 'atx' | 'setext';
  /** The content the inline parser sees (setext: lines joined with `\n`). */
  source: string;
  rawStart: number;
  rawEnd: number;
  startOffset: number;
  startLine: number;
  endLine: number;
}

function canContain(parent: number, child: number): boolean {
  switch (parent) {
    case T_DOC:
    case T_QUOTE:
    case T_ITEM:
      return child !== T_ITEM;
    case T_LIST:
      return child === T_ITEM;
    default:
      return false;
  }
}

class BlockScanner {
  readonly opaque: Uint8Array;
  readonly headings: PendingHeading[] = [];
  readonly codeBlocks: CodeBlock[] = [];
  readonly refs = new Map<string, string>();
  /** Where each paragraph or code line's content starts (after container markers). */
  private readonly contentStart: Int32Array;
  private readonly doc = new OpenBlock(T_DOC, null, 0, 0);
  private tip: OpenBlock = this.doc;
  private oldtip: OpenBlock = this.doc;
  private lastMatched: OpenBlock = this.doc;
  private allClosed = true;
  private readonly html: HtmlBlockCloser;
  private nextBacktick = -2;

  private line = 0;
  private le = 0;
  /** Where the last failed thematic-break scan started and the offset that failed it (see startThematicBreak). */
  private breakScanChar = -1;
  private breakScanFrom = -1;
  private breakScanFail = -1;
  private offset = 0;
  private column = 0;
  private nextNonspace = 0;
  private nextNonspaceColumn = 0;
  private indent = 0;
  private indented = false;
  private blank = false;
  private partial = false;
  private nnOffset = -1;
  private nnColumn = -1;
  private nnLine = -1;
  private nnSpacesOnly = false;

  constructor(
    private readonly text: string,
    private readonly starts: readonly number[],
    private readonly ends: readonly number[],
  ) {
    this.opaque = new Uint8Array(starts.length);
    this.contentStart = contentStartTable(starts.length);
    this.html = new HtmlBlockCloser(text);
  }

  run(firstLine: number, endLine: number): void {
    for (let li = firstLine; li < endLine; li++) this.incorporateLine(li);
    while (this.tip !== this.doc) this.finalize(this.tip, endLine - 1);
  }

  private peek(pos: number): number {
    return pos < this.le ? this.text.charCodeAt(pos) : -1;
  }

  private findNextNonspace(): void {
    // Offsets only grow, so (offset, column) identifies the last computation; paragraph lines would
    // otherwise scan their indentation twice.
    if (this.offset === this.nnOffset && this.column === this.nnColumn) return;
    if (
      this.nnLine === this.line &&
      this.nnSpacesOnly &&
      this.offset > this.nnOffset &&
      this.offset <= this.nextNonspace
    ) {
      // Still inside the run of spaces scanned last time: deep list nesting would otherwise rescan
      // the indentation once per container (quadratic in the depth).
      this.nnOffset = this.offset;
      this.nnColumn = this.column;
      this.nextNonspaceColumn = this.column + (this.nextNonspace - this.offset);
      this.indent = this.nextNonspaceColumn - this.column;
      this.indented = this.indent >= 4;
      return;
    }
    this.nnLine = this.line;
    this.nnOffset = this.offset;
    this.nnColumn = this.column;
    const text = this.text;
    let i = this.offset;
    let cols = this.column;
    const le = this.le;
    let spacesOnly = true;
    while (i < le) {
      const c = text.charCodeAt(i);
      if (c === C_SPACE) {
        i++;
        cols++;
      } else if (c === C_TAB) {
        i++;
        cols += 4 - (cols % 4);
        spacesOnly = false;
      } else break;
    }
    this.nnSpacesOnly = spacesOnly;
    this.blank = i >= le;
    this.nextNonspace = i;
    this.nextNonspaceColumn = cols;
    this.indent = cols - this.column;
    this.indented = this.indent >= 4;
  }

  private advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partial = false;
  }

  private advanceOffset(count: number, columns: boolean): void {
    const text = this.text;
    while (count > 0 && this.offset < this.le) {
      if (text.charCodeAt(this.offset) === C_TAB) {
        const toTab = 4 - (this.column % 4);
        if (columns) {
          this.partial = toTab > count;
          const advance = toTab > count ? count : toTab;
          this.column += advance;
          if (!this.partial) this.offset++;
          count -= advance;
        } else {
          this.partial = false;
          this.column += toTab;
          this.offset++;
          count--;
        }
      } else {
        this.partial = false;
        this.offset++;
        this.column++;
        count--;
      }
    }
  }

  private incorporateLine(li: number): void {
    this.line = li;
    this.le = this.ends[li] as number;
    this.offset = this.starts[li] as number;
    this.column = 0;
    this.blank = false;
    this.partial = false;
    this.oldtip = this.tip;
    let container = this.doc;
    let child: OpenBlock | null;
    while ((child = container.child) !== null) {
      container = child;
      this.findNextNonspace();
      const r = this.continueBlock(container);
      if (r === 2) return;
      if (r === 1) {
        container = container.parent as OpenBlock;
        break;
      }
    }
    this.allClosed = container === this.oldtip;
    this.lastMatched = container;
    let matchedLeaf = container.type === T_CODE || container.type === T_HTML;
    while (!matchedLeaf) {
      this.findNextNonspace();
      if (!this.indented) {
        const c = this.peek(this.nextNonspace);
        // Only these characters can start a block (CommonMark's "maybe special" test).
        if (!(
          c === 35 ||
          c === 96 ||
          c === 126 ||
          c === 42 ||
          c === 43 ||
          c === 95 ||
          c === 61 ||
          c === 60 ||
          c === 62 ||
          c === 45 ||
          (c >= 48 && c <= 57)
        )) {
          this.advanceNextNonspace();
          break;
        }
      }
      const r = this.tryStarts(container);
      if (r === 0) {
        this.advanceNextNonspace();
        break;
      }
      container = this.tip;
      if (r === 2) matchedLeaf = true;
    }
    if (!this.allClosed && !this.blank && this.tip.type === T_PARA) {
      this.addLine(this.tip);
      return;
    }
    this.closeUnmatchedBlocks();
    const t = container.type;
    if (t === T_PARA || t === T_CODE || t === T_HTML) {
      this.addLine(container);
      if (
        t === T_HTML &&
        container.htmlKind >= 1 &&
        container.htmlKind <= 5 &&
        this.html.closes(container.htmlKind, this.offset, this.le)
      ) {
        this.finalize(container, li);
      }
    } else if (this.offset < this.le && !this.blank) {
      const para = this.addChild(T_PARA, this.offset);
      this.advanceNextNonspace();
      this.addLine(para);
    }
  }

  private addLine(block: OpenBlock): void {
    const li = this.line;
    block.lastLine = li;
    this.contentStart[li] = this.partial ? this.offset + 1 : this.offset;
    if (block.type === T_CODE) this.opaque[li] = LINE_CODE;
    else if (block.type === T_HTML) this.opaque[li] = LINE_HTML;
  }

  private continueBlock(b: OpenBlock): number {
    switch (b.type) {
      case T_LIST:
        return 0;
      case T_QUOTE:
        if (!this.indented && this.peek(this.nextNonspace) === 62) {
          this.advanceNextNonspace();
          this.advanceOffset(1, false);
          const c = this.peek(this.offset);
          if (c === C_SPACE || c === C_TAB) this.advanceOffset(1, true);
          return 0;
        }
        return 1;
      case T_ITEM:
        if (this.blank) {
          if (!b.hasChild) return 1;
          this.advanceNextNonspace();
        } else if (this.indent >= b.markerOffset + b.padding) {
          this.advanceOffset(b.markerOffset + b.padding, true);
        } else {
          return 1;
        }
        return 0;
      case T_CODE:
        if (b.fenced) {
          if (this.indent <= 3 && this.peek(this.nextNonspace) === b.fenceChar) {
            const text = this.text;
            let p = this.nextNonspace;
            while (p < this.le && text.charCodeAt(p) === b.fenceChar) p++;
            const n = p - this.nextNonspace;
            while (p < this.le && (text.charCodeAt(p) === C_SPACE || text.charCodeAt(p) === C_TAB)) p++;
            if (n >= 3 && n >= b.fenceLength && p === this.le) {
              this.opaque[this.line] = LINE_CODE;
              b.lastLine = this.line;
              b.closed = true;
              this.finalize(b, this.line);
              return 2;
            }
          }
          let i = b.fenceOffset;
          while (i > 0) {
            const c = this.peek(this.offset);
            if (c !== C_SPACE && c !== C_TAB) break;
            this.advanceOffset(1, true);
            i--;
          }
          return 0;
        }
        if (this.indent >= 4) this.advanceOffset(4, true);
        else if (this.blank) this.advanceNextNonspace();
        else return 1;
        return 0;
      case T_HTML:
        return this.blank && (b.htmlKind === 6 || b.htmlKind === 7) ? 1 : 0;
      case T_PARA:
        return this.blank ? 1 : 0;
      default:
        return 1;
    }
  }

  private closeUnmatchedBlocks(): void {
    if (this.allClosed) return;
    while (this.oldtip !== this.lastMatched) {
      const parent = this.oldtip.parent as OpenBlock;
      this.finalize(this.oldtip, this.line - 1);
      this.oldtip = parent;
    }
    this.allClosed = true;
  }

  private addChild(type: number, offset: number): OpenBlock {
    while (!canContain(this.tip.type, type)) this.finalize(this.tip, this.line - 1);
    const block = new OpenBlock(type, this.tip, this.line, offset);
    this.tip.child = block;
    this.tip.hasChild = true;
    this.tip = block;
    return block;
  }

  private finalize(b: OpenBlock, lastLine: number): void {
    const parent = b.parent as OpenBlock;
    if (parent.child === b) parent.child = null;
    this.tip = parent;
    if (b.type === T_PARA) {
      if (this.mayStartReference(b)) this.consumeReferences(b, b.lastLine);
    } else if (b.type === T_CODE) {
      this.finishCode(b, b.fenced ? Math.max(b.lastLine, b.startLine) : b.lastLine);
    }
    void lastLine;
  }

  /**
   * Cheap test before building a paragraph's content: a definition starts with `[label]:`, and a
   * label cannot contain an unescaped bracket, so a first line whose first unescaped `]` is not
   * followed by `:` (or that has a `[` before it) cannot start one.
   */
  private mayStartReference(b: OpenBlock): boolean {
    const text = this.text;
    let p = this.contentStart[b.contentLine] as number;
    if (b.contentLine > b.lastLine || text.charCodeAt(p) !== 91) return false;
    const end = this.ends[b.contentLine] as number;
    for (p++; p < end; p++) {
      const c = text.charCodeAt(p);
      if (c === 92) p++;
      else if (c === 91) return false;
      else if (c === 93) return text.charCodeAt(p + 1) === 58;
    }
    return true;
  }

  /** The paragraph's unconsumed content as commonmark.js holds it: lines from their content start, joined by `\n`. */
  private paragraphContent(b: OpenBlock, lastLine: number): string {
    let s = '';
    for (let l = b.contentLine; l <= lastLine; l++) {
      s += this.text.slice(this.contentStart[l] as number, this.ends[l] as number) + '\n';
    }
    return s;
  }

  /** Strips leading link reference definitions from a paragraph; returns the content left. */
  private consumeReferences(b: OpenBlock, lastLine: number): string {
    const content = this.paragraphContent(b, lastLine);
    let pos = 0;
    while (content.charCodeAt(pos) === 91) {
      const used = parseLinkReference(content, this.refs, pos);
      if (used === 0) break;
      const end = pos + used;
      for (let i = content.indexOf('\n', pos); i !== -1 && i < end; i = content.indexOf('\n', i + 1))
        b.contentLine++;
      pos = end;
    }
    return pos === 0 ? content : content.slice(pos);
  }

  private finishCode(b: OpenBlock, lastLine: number): void {
    const text = this.text;
    let last = lastLine;
    if (!b.fenced) {
      while (last > b.startLine) {
        let p = this.contentStart[last] as number;
        const e = this.ends[last] as number;
        while (p < e && (text.charCodeAt(p) === C_SPACE || text.charCodeAt(p) === C_TAB)) p++;
        if (p < e) break;
        this.opaque[last] = 0;
        last--;
      }
    }
    let info = '';
    if (b.fenced) {
      const infoStart = this.contentStart[b.startLine] as number;
      info = unescapeString(text.slice(infoStart, this.ends[b.startLine] as number).trim());
    }
    const start = b.startOffset;
    const end = this.ends[last] as number;
    const startLineStart = this.starts[b.startLine] as number;
    const endLineStart = this.starts[last] as number;
    this.codeBlocks.push({
      kind: b.fenced ? 'fenced' : 'indented',
      info,
      range: {
        start: { line: b.startLine + 1, column: start - startLineStart + 1, offset: start },
        end: { line: last + 1, column: end - endLineStart + 1, offset: end },
      },
      unclosed: b.fenced && !b.closed,
    });
  }

  /** Block starts in CommonMark order, dispatched on the first non-space character. */
  private tryStarts(container: OpenBlock): number {
    if (this.indented) {
      // An indented line can only start indented code (list markers may not be indented 4+).
      if (this.tip.type !== T_PARA && !this.blank) {
        this.advanceOffset(4, true);
        this.closeUnmatchedBlocks();
        this.addChild(T_CODE, this.offset);
        return 2;
      }
      return 0;
    }
    const c = this.peek(this.nextNonspace);
    switch (c) {
      case 62:
        this.advanceNextNonspace();
        this.advanceOffset(1, false);
        {
          const d = this.peek(this.offset);
          if (d === C_SPACE || d === C_TAB) this.advanceOffset(1, true);
        }
        this.closeUnmatchedBlocks();
        this.addChild(T_QUOTE, this.nextNonspace);
        return 1;
      case 35:
        return this.startAtxHeading();
      case 96:
      case 126:
        return this.startFence(c);
      case 60:
        return this.startHtml(container);
      case 61:
        return this.startSetext(container);
      case 45:
        return this.startSetext(container) || this.startThematicBreak(c) || this.startListItem(container);
      case 42:
        return this.startThematicBreak(c) || this.startListItem(container);
      case 95:
        return this.startThematicBreak(c);
      default:
        return this.startListItem(container);
    }
  }

  private startAtxHeading(): number {
    const text = this.text;
    const le = this.le;
    let p = this.nextNonspace;
    while (p < le && text.charCodeAt(p) === 35) p++;
    const level = p - this.nextNonspace;
    if (level > 6) return 0;
    if (p < le) {
      const d = text.charCodeAt(p);
      if (d !== C_SPACE && d !== C_TAB) return 0;
      while (p < le && (text.charCodeAt(p) === C_SPACE || text.charCodeAt(p) === C_TAB)) p++;
    }
    const markerStart = this.nextNonspace;
    this.advanceNextNonspace();
    this.offset = p;
    this.closeUnmatchedBlocks();
    const heading = this.addChild(T_HEADING, markerStart);
    // Closing sequence: a run of `#` preceded by a space or tab (or the whole content), then blanks.
    let e = le;
    while (e > p && (text.charCodeAt(e - 1) === C_SPACE || text.charCodeAt(e - 1) === C_TAB)) e--;
    let h = e;
    while (h > p && text.charCodeAt(h - 1) === 35) h--;
    if (h < e) {
      if (h === p) e = p;
      else if (text.charCodeAt(h - 1) === C_SPACE || text.charCodeAt(h - 1) === C_TAB) {
        e = h;
        while (e > p && (text.charCodeAt(e - 1) === C_SPACE || text.charCodeAt(e - 1) === C_TAB)) e--;
      }
    }
    if (heading.parent === this.doc) {
      const li = this.line;
      this.opaque[li] = LINE_HEADING;
      this.headings.push({
        level,
        kind: 'atx',
        source: text.slice(p, e),
        rawStart: p,
        rawEnd: e,
        startOffset: markerStart,
        startLine: li,
        endLine: li,
      });
    }
    this.offset = le;
    return 2;
  }

  private startFence(ch: number): number {
    const text = this.text;
    const le = this.le;
    let p = this.nextNonspace;
    while (p < le && text.charCodeAt(p) === ch) p++;
    const n = p - this.nextNonspace;
    if (n < 3) return 0;
    if (ch === 96) {
      if (this.nextBacktick !== -1 && this.nextBacktick < p) this.nextBacktick = text.indexOf('`', p);
      if (this.nextBacktick !== -1 && this.nextBacktick < le) return 0;
    }
    this.closeUnmatchedBlocks();
    const b = this.addChild(T_CODE, this.nextNonspace);
    b.fenced = true;
    b.fenceLength = n;
    b.fenceChar = ch;
    b.fenceOffset = this.indent;
    this.advanceNextNonspace();
    this.offset = p;
    this.column += n;
    return 2;
  }

  private startHtml(container: OpenBlock): number {
    const kind7 = container.type !== T_PARA && !(!this.allClosed && !this.blank && this.tip.type === T_PARA);
    const kind = htmlBlockKind(this.text.slice(this.nextNonspace, this.le), kind7);
    if (kind === 0) return 0;
    this.closeUnmatchedBlocks();
    const b = this.addChild(T_HTML, this.offset);
    b.htmlKind = kind;
    return 2;
  }

  private startSetext(container: OpenBlock): number {
    if (container.type !== T_PARA) return 0;
    const text = this.text;
    const le = this.le;
    const ch = text.charCodeAt(this.nextNonspace);
    let p = this.nextNonspace;
    while (p < le && text.charCodeAt(p) === ch) p++;
    // Deviation: a lone `-` with trailing blanks is an empty list item, not an underline (see top).
    if (ch === 45 && p - this.nextNonspace === 1 && p < le) return 0;
    while (p < le && (text.charCodeAt(p) === C_SPACE || text.charCodeAt(p) === C_TAB)) p++;
    if (p !== le) return 0;
    this.closeUnmatchedBlocks();
    const para = container;
    const content = this.mayStartReference(para) ? this.consumeReferences(para, this.line - 1) : null;
    if (content === '' || para.contentLine > this.line - 1) {
      // Only definitions: the underline is not a heading underline; the paragraph keeps going empty.
      para.contentLine = this.line;
      return 0;
    }
    const parent = para.parent as OpenBlock;
    const heading = new OpenBlock(T_HEADING, parent, para.startLine, para.startOffset);
    parent.child = heading;
    this.tip = heading;
    if (parent === this.doc) {
      const first = para.contentLine;
      const last = this.line - 1;
      const source = content ?? this.paragraphContent(para, last);
      const rawStart = this.contentStart[first] as number;
      let rawEnd = this.ends[last] as number;
      while (
        rawEnd > rawStart &&
        (text.charCodeAt(rawEnd - 1) === C_SPACE || text.charCodeAt(rawEnd - 1) === C_TAB)
      )
        rawEnd--;
      for (let l = first; l <= this.line; l++) this.opaque[l] = LINE_HEADING;
      this.headings.push({
        level: ch === 61 ? 1 : 2,
        kind: 'setext',
        source,
        rawStart,
        rawEnd,
        startOffset: rawStart,
        startLine: first,
        endLine: this.line,
      });
    }
    this.offset = le;
    return 2;
  }

  private startThematicBreak(ch: number): number {
    const text = this.text;
    const from = this.nextNonspace;
    // `- - - - … x` nests a list per marker, and each would rescan the rest of the line to the
    // `x`: remember where this line's scan for `ch` failed, so the line costs O(length) in all.
    if (this.breakScanChar === ch && from >= this.breakScanFrom && from <= this.breakScanFail) return 0;
    let count = 0;
    for (let p = from; p < this.le; p++) {
      const c = text.charCodeAt(p);
      if (c === ch) count++;
      else if (c !== C_SPACE && c !== C_TAB) {
        this.breakScanChar = ch;
        this.breakScanFrom = from;
        this.breakScanFail = p;
        return 0;
      }
    }
    if (count < 3) return 0;
    this.closeUnmatchedBlocks();
    this.addChild(T_HR, this.nextNonspace);
    this.offset = this.le;
    return 2;
  }

  private startListItem(container: OpenBlock): number {
    if (this.indent >= 4) return 0;
    const text = this.text;
    const le = this.le;
    const start = this.nextNonspace;
    const c = text.charCodeAt(start);
    let markerEnd: number;
    let ordered = false;
    let delimiter = 0;
    if (c === 42 || c === 43 || c === 45) {
      markerEnd = start + 1;
    } else if (c >= 48 && c <= 57) {
      let p = start;
      while (p < le && p - start < 10 && text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57) p++;
      const digits = p - start;
      if (digits > 9 || p >= le) return 0;
      const d = text.charCodeAt(p);
      if (d !== 46 && d !== 41) return 0;
      if (container.type === T_PARA && !(digits === 1 ? c === 49 : Number(text.slice(start, p)) === 1))
        return 0;
      ordered = true;
      delimiter = d;
      markerEnd = p + 1;
    } else {
      return 0;
    }
    if (markerEnd < le) {
      const next = text.charCodeAt(markerEnd);
      if (next !== C_SPACE && next !== C_TAB) return 0;
    }
    if (container.type === T_PARA) {
      let p = markerEnd;
      while (p < le) {
        const d = text.charCodeAt(p);
        if (d !== C_SPACE && d !== C_TAB && d !== 12 && d !== 11) break;
        p++;
      }
      if (p >= le && (ordered || markerEnd >= le)) return 0;
    }
    const markerOffset = this.indent;
    const markerLength = markerEnd - start;
    this.advanceNextNonspace();
    this.advanceOffset(markerLength, true);
    const spacesStartCol = this.column;
    const spacesStartOffset = this.offset;
    let nextc: number;
    do {
      this.advanceOffset(1, true);
      nextc = this.peek(this.offset);
    } while (this.column - spacesStartCol < 5 && (nextc === C_SPACE || nextc === C_TAB));
    const blankItem = this.peek(this.offset) === -1;
    const spacesAfter = this.column - spacesStartCol;
    let padding: number;
    if (spacesAfter >= 5 || spacesAfter < 1 || blankItem) {
      padding = markerLength + 1;
      this.column = spacesStartCol;
      this.offset = spacesStartOffset;
      const d = this.peek(this.offset);
      if (d === C_SPACE || d === C_TAB) this.advanceOffset(1, true);
    } else {
      padding = markerLength + spacesAfter;
    }
    this.closeUnmatchedBlocks();
    const bulletChar = ordered ? 0 : c;
    if (
      this.tip.type !== T_LIST ||
      this.tip.ordered !== ordered ||
      this.tip.delimiter !== delimiter ||
      this.tip.bulletChar !== bulletChar
    ) {
      const list = this.addChild(T_LIST, this.nextNonspace);
      list.ordered = ordered;
      list.delimiter = delimiter;
      list.bulletChar = bulletChar;
    }
    const item = this.addChild(T_ITEM, this.nextNonspace);
    item.ordered = ordered;
    item.delimiter = delimiter;
    item.bulletChar = bulletChar;
    item.markerOffset = markerOffset;
    item.padding = padding;
    return 1;
  }
}

// One scratch table reused by every scan (a scan never outlives its call, and scans do not nest):
// allocating a fresh typed array per document showed in corpus profiles.
let contentStartScratch = new Int32Array(4096);

/** A zeroed table of `lines` entries, exactly what `new Int32Array(lines)` would give. */
function contentStartTable(lines: number): Int32Array {
  if (contentStartScratch.length < lines) {
    contentStartScratch = new Int32Array(Math.max(lines, contentStartScratch.length * 2));
    return contentStartScratch.subarray(0, lines);
  }
  contentStartScratch.fill(0, 0, lines);
  return contentStartScratch.subarray(0, lines);
}

/**
 * Runs the block pass over `text`: line tables, front matter, document-level headings with their
 * plain text, per-line opaque flags, code blocks and link reference definitions. Never throws on
 * well-formed strings; handles LF, CRLF and lone CR, a BOM, tabs and a missing final newline.
 */
export function scanBlocks(text: string): BlockScan {
  const table = buildLineTable(text);
  const { lineStarts, lineEnds } = table;
  const scanner = new BlockScanner(text, lineStarts, lineEnds);
  const fm = detectFrontMatter(text, lineStarts, lineEnds);
  let first = 0;
  let frontMatter: BlockScan['frontMatter'] = null;
  if (fm !== null) {
    for (let l = fm.openLine; l <= fm.closeLine; l++) scanner.opaque[l] = LINE_FRONT_MATTER;
    first = fm.closeLine + 1;
    frontMatter = {
      raw: fm.raw,
      range: {
        start: {
          line: fm.openLine + 1,
          column: fm.start - (lineStarts[fm.openLine] as number) + 1,
          offset: fm.start,
        },
        end: {
          line: fm.closeLine + 1,
          column: fm.end - (lineStarts[fm.closeLine] as number) + 1,
          offset: fm.end,
        },
      },
    };
  }
  let end = lineStarts.length;
  // A final empty line (the text ends with a line ending) is not a line of the document.
  if (end > 1 && lineStarts[end - 1] === text.length) end--;
  scanner.run(first, end);
  const headings: Heading[] = [];
  for (const h of scanner.headings) {
    const startLineStart = lineStarts[h.startLine] as number;
    const endOffset = lineEnds[h.endLine] as number;
    headings.push({
      level: h.level as Heading['level'],
      text: headingPlainText(h.source, scanner.refs),
      raw: text.slice(h.rawStart, h.rawEnd),
      kind: h.kind,
      range: {
        start: { line: h.startLine + 1, column: h.startOffset - startLineStart + 1, offset: h.startOffset },
        end: {
          line: h.endLine + 1,
          column: endOffset - (lineStarts[h.endLine] as number) + 1,
          offset: endOffset,
        },
      },
    });
  }
  return {
    lineStarts,
    lineEnds,
    opaque: scanner.opaque,
    headings,
    codeBlocks: scanner.codeBlocks,
    linkReferences: scanner.refs,
    frontMatter,
    bom: table.bom,
    lineEnding: table.lineEnding,
  };
}
