import type { DesignDocument, ListItem } from '../../model.js';
import type { Rule } from '../rule.js';
import { contains, isBlankValue, lineRange, quote, rangeOf } from '../source-text.js';
import { itemGapsAt, templateText } from '../template-text.js';

// Upper-case markers only: "todo" in prose is a word, "TODO" is a note to self.
const PLACEHOLDER =
  /\b(?:TBD|TBA|TBC|TODO|FIXME|XXX)\b|\b[Ll]orem [Ii]psum\b|<(?:\.\.\.|…|[A-Za-z][\w-]*(?: [\w-]+)+)>|\[(?:\.\.\.|…|insert [^\]]*|your [^\]]*|describe [^\]]*)\](?![([:])|\((?:if applicable|optional|if any|or reference [^)]*)\)/g;
const INSTRUCTION = /^\((?:if applicable|optional|if any|or reference [^)]*)\)$/;
// `<details open>` is HTML, `<service name>` is a placeholder.
const HTML_TAGS = new Set(
  'a abbr b br code del details div em h1 h2 h3 h4 h5 h6 hr i img input kbd li ol p picture pre source span strong sub summary sup table tbody td th thead tr u ul video audio iframe section nav header footer'.split(
    ' ',
  ),
);

/** Offsets that never hold prose: code blocks, front matter, HTML comments; sorted by start (they may overlap). */
function opaqueSpans(doc: DesignDocument): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const block of doc.codeBlocks) spans.push([block.range.start.offset, block.range.end.offset]);
  if (doc.frontMatter) spans.push([doc.frontMatter.range.start.offset, doc.frontMatter.range.end.offset]);
  const text = doc.text;
  for (let at = text.indexOf('<!--'); at !== -1; at = text.indexOf('<!--', at + 4)) {
    const end = text.indexOf('-->', at + 4);
    spans.push([at, end === -1 ? text.length : end + 3]);
    if (end === -1) break;
  }
  return spans.sort(bySpanStart);
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).
function bySpanStart(a: [number, number], b: [number, number]): number {
  return a[0] - b[0];
}

/** True when `offset` sits inside an inline code span on its line (an odd number of backticks before it). */
function inInlineCode(text: string, lineStart: number, offset: number): boolean {
  let ticks = 0;
  for (let i = lineStart; i < offset; i++) if (text.charCodeAt(i) === 96) ticks++;
  return ticks % 2 === 1;
}

/** True when the group or field labelled on this line has been filled in below its label. */
function labelFilled(doc: DesignDocument, line: number): boolean | null {
  for (const group of doc.groups) {
    if (group.labelRange.start.line !== line) continue;
    for (const f of group.fields) if (!isBlankValue(f.value)) return true;
    for (const i of group.items) if (!isBlankValue(i.text)) return true;
    return false;
  }
  for (const field of doc.fields) {
    if (field.labelRange.start.line !== line) continue;
    if (!isBlankValue(field.value)) return true;
    for (const i of doc.items) if (contains(field.range, i.range) && !isBlankValue(i.text)) return true;
    return false;
  }
  return null;
}

/** DD006: placeholder text or template instructions left in the document. */
export const placeholderText: Rule = {
  id: 'DD006',
  slug: 'placeholder-text',
  description:
    'No placeholders (TBD, TODO, FIXME, XXX, `<...>`, `[...]`, lorem ipsum) and no template instructions such as "(if applicable)" or a half-filled "Integrates with  for " may be left in.',
  tags: ['content'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/placeholder-text.md',
  check({ doc, schema }, report) {
    const text = doc.text;
    // Scan only the prose between code blocks, front matter and comments (KEP-style documents are
    // half comments), one regex pass per stretch.
    const spans = opaqueSpans(doc);
    let from = 0;
    for (let i = 0; i <= spans.length; i++) {
      const span = spans[i];
      const to = span ? Math.max(from, span[0]) : text.length;
      if (to > from) scan(from, to);
      if (span) from = Math.max(from, span[1]);
    }

    function scan(from: number, to: number): void {
      // A slice bounds the regex: exec on the whole text would run on past `to` looking for a match.
      const stretch = from === 0 && to === text.length ? text : text.slice(from, to);
      PLACEHOLDER.lastIndex = 0;
      for (let match = PLACEHOLDER.exec(stretch); match !== null; match = PLACEHOLDER.exec(stretch)) {
        const start = from + match.index;
        const found = match[0];
        if (found.startsWith('<') && HTML_TAGS.has((/^<([\w-]+)/.exec(found)?.[1] ?? '').toLowerCase()))
          continue;
        if (inInlineCode(text, text.lastIndexOf('\n', start) + 1, start)) continue;
        const range = rangeOf(doc, start, start + found.length);
        if (INSTRUCTION.test(found)) {
          // "(if any)" is plain English in prose; it is an instruction on a template label. On a
          // blank label the emptiness is what matters (empty-field reports it); on a filled one
          // it is the leftover.
          if (labelFilled(doc, range.start.line) !== true) continue;
          report({
            message: `Template instruction left in: expected it removed once filled, found ${quote(found)}`,
            range,
          });
          continue;
        }
        report({ message: `Placeholder left in: expected real content, found ${quote(found)}`, range });
      }
    }

    const template = templateText(schema);
    if (template.items.length === 0) return;
    for (let index = 0; index < doc.items.length; index++) {
      const item = doc.items[index] as ListItem;
      if (isBlankValue(item.text)) continue;
      const gaps = itemGapsAt(doc, index, template);
      if (!gaps || gaps.unchanged || gaps.emptyGaps === 0) continue;
      const range =
        item.textRange.start.offset === item.textRange.end.offset
          ? lineRange(doc, item.range.start.line)
          : item.textRange;
      report({
        message: `Template text half filled in: expected every blank of ${quote(gaps.item.replace(/\s{2,}/g, ' … '))} filled, found ${quote(item.text)}`,
        range,
      });
    }
  },
};
