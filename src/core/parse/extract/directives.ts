/**
 * Inline lint directives: `<!-- designdoc-disable rule-a, rule-b -->`, `designdoc-enable`,
 * `designdoc-disable-next-line` and `designdoc-disable-line`, in HTML blocks or inline, never in
 * code. An empty rule list means every rule.
 */
import type { Directive } from '../../model.js';
import { LINE_CODE, LINE_FRONT_MATTER, LINE_OPEN, rangeAt } from '../context.js';
import type { ExtractContext } from '../context.js';

// Longest first: `designdoc-disable` is a prefix of the line forms.
const KINDS: readonly Directive['kind'][] = ['disable-next-line', 'disable-line', 'disable', 'enable'];
const PREFIX = 'designdoc-';

/** Whether `at` on an open line sits inside a code span (a `` `<!-- … -->` `` example in prose). */
function inCodeSpan(text: string, start: number, at: number, end: number): boolean {
  let i = start;
  while (i < at) {
    if (text.charCodeAt(i) !== 96) {
      i++;
      continue;
    }
    let run = 1;
    while (text.charCodeAt(i + run) === 96) run++;
    let j = i + run;
    let closed = -1;
    while (j < end) {
      if (text.charCodeAt(j) !== 96) {
        j++;
        continue;
      }
      let n = 1;
      while (j + n < end && text.charCodeAt(j + n) === 96) n++;
      if (n === run) {
        closed = j + n;
        break;
      }
      j += n;
    }
    if (closed < 0) i += run;
    else if (closed > at) return true;
    else i = closed;
  }
  return false;
}

/** Every designdoc directive comment in the document, in source order. */
export function extractDirectives(ctx: ExtractContext): Directive[] {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  const out: Directive[] = [];
  let line = 0;
  let at = text.indexOf('<!--');
  while (at >= 0) {
    while (line < lineEnds.length - 1 && (lineEnds[line] as number) < at) line++;
    const flag = opaque[line];
    const close = text.indexOf('-->', at + 4);
    if (close < 0) break;
    if (
      flag === LINE_CODE ||
      flag === LINE_FRONT_MATTER ||
      (flag === LINE_OPEN && inCodeSpan(text, lineStarts[line] as number, at, lineEnds[line] as number))
    ) {
      at = text.indexOf('<!--', at + 4);
      continue;
    }
    const body = text.slice(at + 4, close).trim();
    if (body.startsWith(PREFIX)) {
      const rest = body.slice(PREFIX.length);
      for (const kind of KINDS) {
        if (!rest.startsWith(kind)) continue;
        const after = rest.slice(kind.length);
        if (after !== '' && !/^[\s,:]/.test(after)) continue;
        out.push({
          kind,
          rules: after.split(/[\s,:]+/).filter((r) => r !== '' && r !== '--'),
          range: rangeAt(lineStarts, at, close + 3),
        });
        break;
      }
    }
    at = text.indexOf('<!--', close + 3);
  }
  return out;
}
