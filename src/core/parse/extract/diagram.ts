/**
 * The architecture overview diagram: the first diagram-like code block under an overview section
 * (or, failing that, under a section whose title mentions architecture, overview or diagram), with
 * the node names drawn in it.
 */
import type { Diagram, DiagramNode, Section } from '../../model.js';
import { LINE_CODE, rangeAt, rangeOnLine } from '../context.js';
import type { ExtractContext } from '../context.js';
import type { SectionIndex } from './section-index.js';
import { indexBefore } from './bounded-search.js';

const DIAGRAM_LANGUAGES = new Set([
  'mermaid',
  'plantuml',
  'puml',
  'dot',
  'graphviz',
  'd2',
  'ditaa',
  'ascii',
  'diagram',
  'svgbob',
  'text',
  'txt',
  'plain',
  'plaintext',
  '',
]);
const ASCII_CORNER = /\+[-=]{2,}/;
const ASCII_LINE = /--|->|<-|==|\+-|-\+|\^|\bv\b/;
const FALLBACK_WORDS = /\b(architecture|overview|diagram)\b/;

interface Block {
  language: string;
  /** Offsets of the whole block and of its content lines. */
  start: number;
  end: number;
  contentStart: number;
  contentEnd: number;
  firstContentLine: number;
  lastContentLine: number;
}

function isBoxChar(c: number): boolean {
  return c >= 0x2500 && c <= 0x257f;
}

function isArrowChar(c: number): boolean {
  return (c >= 0x2190 && c <= 0x21ff) || (c >= 0x25b2 && c <= 0x25c4) || c === 0x27f6 || c === 0x27f5;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** The code blocks whose lines lie in [fromLine, toLine] (1-based). */
function codeBlocks(ctx: ExtractContext, fromLine: number, toLine: number): Block[] {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  const blocks: Block[] = [];
  let i = fromLine - 1;
  while (i < toLine) {
    if (opaque[i] !== LINE_CODE) {
      i++;
      continue;
    }
    const first = i;
    const s = lineStarts[i] as number;
    const e = lineEnds[i] as number;
    let p = s;
    while (p < e && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    const fenceChar = text.charCodeAt(p);
    let fenceLen = 0;
    if (fenceChar === 96 || fenceChar === 126) while (text.charCodeAt(p + fenceLen) === fenceChar) fenceLen++;
    if (fenceLen >= 3) {
      const language =
        text
          .slice(p + fenceLen, e)
          .trim()
          .split(/[\s{,]/)[0] ?? '';
      let j = i + 1;
      let closed = false;
      for (; j < toLine && opaque[j] === LINE_CODE; j++) {
        const ls = lineStarts[j] as number;
        const le = lineEnds[j] as number;
        const line = text.slice(ls, le).trim();
        if (
          line.length >= fenceLen &&
          line.charCodeAt(0) === fenceChar &&
          [...line].every((ch) => ch.charCodeAt(0) === fenceChar)
        ) {
          closed = true;
          break;
        }
      }
      const lastContent = j - 1;
      const hasContent = lastContent >= first + 1;
      blocks.push({
        language: language.toLowerCase(),
        start: s,
        end: closed ? (lineEnds[j] as number) : (lineEnds[Math.max(first, lastContent)] as number),
        contentStart: hasContent ? (lineStarts[first + 1] as number) : e,
        contentEnd: hasContent ? (lineEnds[lastContent] as number) : e,
        firstContentLine: first + 2,
        lastContentLine: lastContent + 1,
      });
      i = closed ? j + 1 : j;
    } else {
      let j = i;
      while (j + 1 < toLine && opaque[j + 1] === LINE_CODE) j++;
      blocks.push({
        language: '',
        start: s,
        end: lineEnds[j] as number,
        contentStart: s,
        contentEnd: lineEnds[j] as number,
        firstContentLine: first + 1,
        lastContentLine: j + 1,
      });
      i = j + 1;
    }
  }
  return blocks;
}

/** Box-drawing characters, `[Name]` nodes, arrows, or a diagram language. */
function looksLikeDiagram(language: string, content: string): boolean {
  if (
    language === 'mermaid' ||
    language === 'plantuml' ||
    language === 'puml' ||
    language === 'dot' ||
    language === 'graphviz' ||
    language === 'd2'
  ) {
    return true;
  }
  for (let i = 0; i < content.length; i++) {
    if (isBoxChar(content.charCodeAt(i))) return true;
  }
  // Code in a programming language is not a diagram even when it has `->` or `[x]` in it.
  if (!DIAGRAM_LANGUAGES.has(language)) return false;
  return /-->|->|<-|=>|[→←↑↓▶▼]|(?:^|[^\w\]])\[[A-Za-z][^\]\n]*\]|\+[-=]{2,}\+/.test(content);
}

function addNode(
  nodes: DiagramNode[],
  seen: Set<string>,
  name: string,
  ctx: ExtractContext,
  line: number,
  start: number,
  end: number,
): void {
  const clean = name
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean === '' || seen.has(clean) || !/[\p{L}\p{N}]/u.test(clean)) return;
  seen.add(clean);
  nodes.push({ name: clean, range: rangeOnLine(ctx.lineStarts, line, start, end) });
}

/** Trimmed bounds of text[start, end). */
function trimmed(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return [start, end];
}

/** Nodes of an ASCII/box drawing: `│ Client │` boxes, `[API Gateway]`, `├─ Service A` branches. */
function asciiNodes(ctx: ExtractContext, block: Block): DiagramNode[] {
  const { text, lineStarts, lineEnds } = ctx;
  const nodes: DiagramNode[] = [];
  const seen = new Set<string>();
  // ASCII box art (`+--------+` / `| Client |`) uses `|` for the box sides.
  const asciiBoxes = ASCII_CORNER.test(text.slice(block.contentStart, block.contentEnd));
  for (let line = block.firstContentLine; line <= block.lastContentLine; line++) {
    const s = lineStarts[line - 1] as number;
    const e = lineEnds[line - 1] as number;
    const verticals: number[] = [];
    let nextClose = -2;
    for (let i = s; i < e; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5b) {
        // `[Name]`, not `arr[0]`. The next `]` is found once per stretch, not once per `[`.
        if (nextClose !== -1 && nextClose <= i) nextClose = indexBefore(text, ']', i + 1, e);
        const close = nextClose;
        if (close > i && (i === s || !isWordChar(text.charCodeAt(i - 1)))) {
          const [a, b] = trimmed(text, i + 1, close);
          if (a < b && /^[\p{L}]/u.test(text.charAt(a)))
            addNode(nodes, seen, text.slice(a, b), ctx, line, a, b);
          i = close;
        }
        continue;
      }
      if (
        c === 0x251c ||
        c === 0x2514 ||
        c === 0x2523 ||
        c === 0x2517 ||
        c === 0x2570 ||
        c === 0x255a ||
        c === 0x2560
      ) {
        // A tree branch: skip its line and arrow, then take the name up to the next drawing.
        let q = i + 1;
        while (
          q < e &&
          (isBoxChar(text.charCodeAt(q)) ||
            isArrowChar(text.charCodeAt(q)) ||
            text.charCodeAt(q) === 0x3e ||
            text.charCodeAt(q) === 0x2d)
        )
          q++;
        if (
          q < e &&
          (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9) &&
          text.charCodeAt(skip(text, q, e)) !== 0x5b
        ) {
          let r = q;
          while (
            r < e &&
            !isBoxChar(text.charCodeAt(r)) &&
            !isArrowChar(text.charCodeAt(r)) &&
            text.charCodeAt(r) !== 0x5b
          )
            r++;
          const [a, b] = trimmed(text, q, r);
          if (a < b) addNode(nodes, seen, text.slice(a, b), ctx, line, a, b);
          i = r - 1;
        }
        continue;
      }
      if (c === 0x2502 || c === 0x2503 || c === 0x2551 || (asciiBoxes && c === 0x7c)) verticals.push(i);
    }
    // Text between two verticals of a box line: `│   Client    │`.
    for (let k = 0; k + 1 < verticals.length; k++) {
      const [a, b] = trimmed(text, (verticals[k] as number) + 1, verticals[k + 1] as number);
      if (a >= b) continue;
      let plain = true;
      for (let q = a; q < b; q++) {
        const c = text.charCodeAt(q);
        if (isBoxChar(c) || isArrowChar(c) || c === 0x5b) {
          plain = false;
          break;
        }
      }
      if (plain && asciiBoxes && ASCII_LINE.test(text.slice(a, b))) plain = false;
      if (plain) addNode(nodes, seen, text.slice(a, b), ctx, line, a, b);
    }
  }
  return nodes;
}

function skip(text: string, p: number, e: number): number {
  while (p < e && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
  return p;
}

const MERMAID_KEYWORDS = new Set([
  'graph',
  'flowchart',
  'subgraph',
  'end',
  'classdef',
  'class',
  'style',
  'linkstyle',
  'click',
  'direction',
  'td',
  'tb',
  'bt',
  'lr',
  'rl',
  'sequencediagram',
  'classdiagram',
  'statediagram',
  'erdiagram',
  'note',
  'loop',
  'alt',
  'else',
  'opt',
  'par',
  'and',
  'rect',
  'autonumber',
  'activate',
  'deactivate',
  'title',
  'over',
  'of',
  'left',
  'right',
]);
const OPENERS: Record<string, string> = { '[': ']', '(': ')', '{': '}', '>': ']' };

/** Nodes of a mermaid diagram: labelled nodes (`A[Label]`, `B(Label)`, `C{Label}`), bare ids on edges, participants. */
function mermaidNodes(ctx: ExtractContext, block: Block): DiagramNode[] {
  const { text, lineStarts, lineEnds } = ctx;
  const labelled = new Map<string, { name: string; line: number; start: number; end: number }>();
  const bare: { id: string; line: number; start: number; end: number }[] = [];
  const order: string[] = [];
  for (let line = block.firstContentLine; line <= block.lastContentLine; line++) {
    const s = lineStarts[line - 1] as number;
    const e = lineEnds[line - 1] as number;
    const body = text.slice(s, e);
    const head = /^\s*(participant|actor)\s+(.+?)(?:\s+as\s+(.+?))?\s*$/i.exec(body);
    if (head) {
      const id = head[2] as string;
      const label = head[3] ?? id;
      const at = s + body.lastIndexOf(label);
      if (!labelled.has(id)) {
        labelled.set(id, { name: label, line, start: at, end: at + label.length });
        order.push(id);
      }
      continue;
    }
    const trimmedBody = body.trim();
    if (trimmedBody.startsWith('%%')) continue;
    const firstWord = /^\s*([A-Za-z]+)/.exec(body)?.[1]?.toLowerCase() ?? '';
    if (
      firstWord === 'subgraph' ||
      firstWord === 'classdef' ||
      firstWord === 'class' ||
      firstWord === 'style' ||
      firstWord === 'linkstyle' ||
      firstWord === 'click' ||
      firstWord === 'note'
    )
      continue;
    const hasEdge = /--|==|-\.|->/.test(body);
    let i = s;
    while (i < e) {
      const c = text.charCodeAt(i);
      if (c === 0x3a && text.startsWith(':::', i)) {
        i += 3;
        while (i < e && isWordChar(text.charCodeAt(i))) i++;
        continue;
      }
      // `A->>B: message`, `A --> B : label`: the rest of the line is a label, not nodes.
      if (c === 0x3a && text.charCodeAt(i + 1) !== 0x3a && (i === s || text.charCodeAt(i - 1) !== 0x3a))
        break;
      if (c === 0x7c) {
        const close = indexBefore(text, '|', i + 1, e);
        i = close < 0 ? e : close + 1;
        continue;
      }
      if (!(isWordChar(c) && (i === s || !isWordChar(text.charCodeAt(i - 1))))) {
        i++;
        continue;
      }
      let j = i;
      while (
        j < e &&
        (isWordChar(text.charCodeAt(j)) ||
          (text.charCodeAt(j) === 0x2d && isWordChar(text.charCodeAt(j + 1))))
      )
        j++;
      const id = text.slice(i, j);
      const opener = text.charAt(j);
      const closer = OPENERS[opener];
      if (closer !== undefined && !(opener === '>' && text.charCodeAt(j - 1) === 0x2d)) {
        const close = findCloser(text, j, e, opener, closer);
        if (close > 0) {
          let a = j + 1;
          let b = close;
          // Shape decorations: `[(db)]`, `((circle))`, `[[sub]]`, `{{hex}}`, `[/para/]`, quotes.
          while (a < b && '[({/\\"'.includes(text.charAt(a))) a++;
          while (b > a && '])}/\\"'.includes(text.charAt(b - 1))) b--;
          [a, b] = trimmed(text, a, b);
          if (!labelled.has(id) && a < b) {
            labelled.set(id, { name: text.slice(a, b), line, start: a, end: b });
            order.push(id);
          }
          i = close + 1;
          while (i < e && text.charAt(i) !== ' ' && '])}'.includes(text.charAt(i))) i++;
          continue;
        }
      }
      if (hasEdge && !MERMAID_KEYWORDS.has(id.toLowerCase()) && !/^\d+$/.test(id)) {
        bare.push({ id, line, start: i, end: j });
      }
      i = j;
      // `A:::className` styles a node; the class name is not one.
      if (text.startsWith(':::', i)) {
        i += 3;
        while (i < e && isWordChar(text.charCodeAt(i))) i++;
      }
    }
  }
  for (const b of bare) {
    if (!labelled.has(b.id)) {
      labelled.set(b.id, { name: b.id, line: b.line, start: b.start, end: b.end });
      order.push(b.id);
    }
  }
  const nodes: DiagramNode[] = [];
  const seen = new Set<string>();
  const sorted = order
    .map((id) => labelled.get(id) as { name: string; line: number; start: number; end: number })
    .sort((x, y) => x.start - y.start);
  for (const n of sorted) addNode(nodes, seen, n.name, ctx, n.line, n.start, n.end);
  return nodes;
}

/** Offset of the closer matching the opener at `open` (same-kind nesting counted), or -1. */
function findCloser(text: string, open: number, end: number, opener: string, closer: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < end; i++) {
    const ch = text.charAt(i);
    if (ch === '"') quoted = !quoted;
    if (quoted) continue;
    if (ch === opener && opener !== '>') depth++;
    else if (ch === closer) {
      depth--;
      if (depth <= 0) {
        // Doubled shapes close with the last of their run: `((x))`, `[[x]]`.
        let k = i;
        while (k + 1 < end && text.charAt(k + 1) === closer && depth < 0) k++;
        return opener === '>' ? i : k;
      }
    }
  }
  return -1;
}

function toDiagram(ctx: ExtractContext, block: Block): Diagram {
  return {
    language: block.language,
    text: ctx.text.slice(block.contentStart, block.contentEnd),
    range: rangeAt(ctx.lineStarts, block.start, block.end),
    contentRange: rangeAt(ctx.lineStarts, block.contentStart, block.contentEnd),
    nodes: block.language === 'mermaid' ? mermaidNodes(ctx, block) : asciiNodes(ctx, block),
  };
}

function firstDiagramIn(ctx: ExtractContext, section: Section): Diagram | null {
  const from = section.heading.range.end.line + 1;
  const to = section.range.end.offset === ctx.text.length ? ctx.lineStarts.length : section.range.end.line;
  for (const block of codeBlocks(ctx, from, to)) {
    if (looksLikeDiagram(block.language, ctx.text.slice(block.contentStart, block.contentEnd)))
      return toDiagram(ctx, block);
  }
  return null;
}

/** The overview diagram and its node names, or null when the document draws none. */
export function extractDiagram(ctx: ExtractContext, index: SectionIndex): Diagram | null {
  for (let i = 0; i < index.list.length; i++) {
    if (index.kind[i] !== 'overview') continue;
    const found = firstDiagramIn(ctx, index.list[i] as Section);
    if (found !== null) return found;
  }
  for (let i = 0; i < index.list.length; i++) {
    if (index.kind[i] === 'overview') continue;
    const section = index.list[i] as Section;
    if (!FALLBACK_WORDS.test(index.normalized[i] as string)) continue;
    const found = firstDiagramIn(ctx, section);
    if (found !== null) return found;
  }
  return null;
}
