/**
 * A small stand-in for the block pass, for the extractor tests: line table, fences, HTML
 * comments/blocks, front matter, ATX and setext headings and a section tree. It is deliberately
 * simple; the real block pass lives in src/core/parse/blocks/ and `parse()` replaces this helper
 * once it lands.
 */
import type { Heading, Section } from '../../src/core/model.js';
import {
  LINE_CODE,
  LINE_FRONT_MATTER,
  LINE_HEADING,
  LINE_HTML,
  LINE_OPEN,
  rangeAt,
} from '../../src/core/parse/context.js';
import type { ExtractContext } from '../../src/core/parse/context.js';

function slug(title: string, seen: Map<string, number>): string {
  const base = title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}

export function buildContext(text: string, fileName: string | null = null): ExtractContext {
  const lineStarts: number[] = [];
  const lineEnds: number[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    lineStarts.push(pos);
    let nl = pos;
    while (nl < text.length && text.charCodeAt(nl) !== 10 && text.charCodeAt(nl) !== 13) nl++;
    lineEnds.push(nl);
    if (nl >= text.length) break;
    pos = text.charCodeAt(nl) === 13 && text.charCodeAt(nl + 1) === 10 ? nl + 2 : nl + 1;
  }
  const n = lineStarts.length;
  const lineAt = (i: number): string => text.slice(lineStarts[i], lineEnds[i]);
  const opaque = new Uint8Array(n);
  let frontMatter: ExtractContext['frontMatter'] = null;
  let i = 0;
  if (lineAt(0) === '---') {
    for (let j = 1; j < n; j++) {
      if (lineAt(j) === '---' || lineAt(j) === '...') {
        for (let k = 0; k <= j; k++) opaque[k] = LINE_FRONT_MATTER;
        frontMatter = {
          raw: text.slice(lineStarts[1], lineStarts[j]),
          range: rangeAt(lineStarts, lineStarts[0] as number, lineEnds[j] as number),
        };
        i = j + 1;
        break;
      }
    }
  }
  const headingLines: { line: number; level: number; raw: string; kind: 'atx' | 'setext'; end: number }[] = [];
  let previousParagraph = false;
  for (; i < n; i++) {
    const l = lineAt(i);
    const fence = /^(\s*)(`{3,}|~{3,})/.exec(l);
    if (fence) {
      const marker = fence[2] as string;
      opaque[i] = LINE_CODE;
      let j = i + 1;
      for (; j < n; j++) {
        opaque[j] = LINE_CODE;
        const close = lineAt(j).trim();
        if (close.startsWith(marker) && /^(`+|~+)$/.test(close)) break;
      }
      i = j;
      previousParagraph = false;
      continue;
    }
    if (/^ {0,3}<!--/.test(l)) {
      let j = i;
      for (; j < n; j++) {
        opaque[j] = LINE_HTML;
        if (lineAt(j).includes('-->')) break;
      }
      i = j;
      previousParagraph = false;
      continue;
    }
    if (/^ {0,3}<\/?(details|summary|div|table|p)\b/i.test(l)) {
      let j = i;
      for (; j < n && lineAt(j).trim() !== ''; j++) opaque[j] = LINE_HTML;
      i = j;
      previousParagraph = false;
      continue;
    }
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(l);
    if (atx) {
      opaque[i] = LINE_HEADING;
      headingLines.push({ line: i + 1, level: (atx[1] as string).length, raw: atx[2] ?? '', kind: 'atx', end: lineEnds[i] as number });
      previousParagraph = false;
      continue;
    }
    if (previousParagraph && /^ {0,3}(=+|-+)[ \t]*$/.test(l) && !/^\s*[-*+]\s/.test(lineAt(i - 1))) {
      opaque[i - 1] = LINE_HEADING;
      opaque[i] = LINE_HEADING;
      headingLines.push({ line: i, level: l.trim().startsWith('=') ? 1 : 2, raw: lineAt(i - 1).trim(), kind: 'setext', end: lineEnds[i] as number });
      previousParagraph = false;
      continue;
    }
    opaque[i] = LINE_OPEN;
    previousParagraph = l.trim() !== '' && !/^\s*([-*+]|\d+[.)])(\s|$)/.test(l) && !/^\s{4}/.test(l);
  }

  const headings: Heading[] = headingLines.map((h) => ({
    level: h.level as Heading['level'],
    text: h.raw.replace(/\*\*|`/g, '').trim(),
    raw: h.raw,
    kind: h.kind,
    range: rangeAt(lineStarts, lineStarts[h.line - 1] as number, h.end),
  }));
  const sectionLevel = headings.some((h) => h.level === 2) ? Math.min(...headings.filter((h) => h.level >= 2).map((h) => h.level)) : Math.min(7, ...headings.map((h) => h.level));
  const seen = new Map<string, number>();
  const sectionList: Section[] = [];
  const sections: Section[] = [];
  const stack: Section[] = [];
  const docEnd = text.length;
  headings.forEach((heading, k) => {
    if (heading.level < sectionLevel) return;
    let end = docEnd;
    for (let m = k + 1; m < headings.length; m++) {
      if ((headings[m] as Heading).level <= heading.level) {
        end = (headings[m] as Heading).range.start.offset;
        break;
      }
    }
    const bodyStart = Math.min(docEnd, heading.range.end.offset + 1);
    const next = headings[k + 1];
    const bodyEnd = next && next.range.start.offset < end ? next.range.start.offset : end;
    const section: Section = {
      id: slug(heading.text, seen),
      title: heading.text,
      heading,
      level: heading.level,
      depth: heading.level - sectionLevel + 1,
      range: rangeAt(lineStarts, heading.range.start.offset, end),
      bodyRange: rangeAt(lineStarts, Math.min(bodyStart, bodyEnd), bodyEnd),
      body: text.slice(Math.min(bodyStart, bodyEnd), bodyEnd),
      hasContent: text.slice(Math.min(bodyStart, bodyEnd), bodyEnd).trim() !== '',
      children: [],
    };
    while (stack.length > 0 && (stack[stack.length - 1] as Section).level >= heading.level) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(section);
    else sections.push(section);
    stack.push(section);
    sectionList.push(section);
  });
  return { text, lineStarts, lineEnds, opaque, sections, sectionList, sectionLevel, frontMatter, fileName };
}
