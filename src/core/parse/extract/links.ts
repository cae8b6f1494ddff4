/**
 * Links and images: inline `[text](url)`, reference links `[text][ref]`, `[text][]` and `[ref]`
 * resolved against the document's definitions, and `<https://…>` autolinks; never inside code
 * spans or code blocks (headings count: a placeholder link there is still a placeholder). Only
 * lines holding a `[` or `<` are looked at character by character.
 */
import type { Link } from '../../model.js';
import { LINE_HEADING, LINE_OPEN, rangeAt, rangeOnLine } from '../context.js';
import type { ExtractContext } from '../context.js';
import { indexBefore } from './bounded-search.js';

const BACKSLASH = 92;
const BACKTICK = 96;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const BANG = 33;
const LT = 60;
const GT = 62;
const CARET = 94;
const COLON = 58;

const URI = /^[a-z][a-z0-9+.-]{1,31}:[^\s<>]*$/i;
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
// Backslash escapes of ASCII punctuation (`#method\\(\\)`) stand for the punctuation itself.
const ESCAPED = /\\([!-/:-@[-`{-~])/g;
const PLACEHOLDER_URLS = new Set(['', '#', 'todo', 'tbd', '<>', 'tba', 'xxx', '...', '…']);

/** Whether a link target is a placeholder left to fill in (`#`, empty, `TODO`, `TBD`, `<>`). */
export function isPlaceholderUrl(url: string): boolean {
  // Every placeholder is at most four characters once trimmed; real URLs are longer.
  if (url.length > 12) return false;
  return PLACEHOLDER_URLS.has(url.trim().toLowerCase());
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

// Link text longer than this is not looked for: it keeps a line full of unmatched `[` linear.
const MAX_LINK_TEXT = 1000;
// Likewise for code spans: a backtick run whose closer is further away is read literally.
const MAX_CODE_SPAN = 2000;

/** Offset just past the `]` matching the `[` at `open`, or -1 (on this line, escapes honoured). */
function closeBracket(text: string, open: number, end: number): number {
  let depth = 0;
  const limit = Math.min(end, open + MAX_LINK_TEXT);
  for (let i = open; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACKET && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Parses `(dest "title")` starting at the `(` at `open`; returns the destination and the offset
 * after `)`, or null when it is not a link destination.
 */
function inlineDestination(text: string, open: number, end: number): { url: string; after: number } | null {
  let i = open + 1;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  let url: string;
  if (text.charCodeAt(i) === LT) {
    const close = indexBefore(text, '>', i + 1, end);
    if (close < 0) return null;
    url = text.slice(i + 1, close);
    i = close + 1;
  } else {
    const start = i;
    let depth = 0;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === OPEN_PAREN) depth++;
      else if (c === CLOSE_PAREN) {
        if (depth === 0) break;
        depth--;
      } else if (isBlank(c)) break;
    }
    url = text.slice(start, Math.min(i, end));
  }
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39 || q === OPEN_PAREN) {
    const closer = q === OPEN_PAREN ? ')' : String.fromCharCode(q);
    const close = indexBefore(text, closer, i + 1, end);
    if (close < 0) return null;
    i = close + 1;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
  }
  if (i >= end || text.charCodeAt(i) !== CLOSE_PAREN) return null;
  if (url.includes('\\')) url = url.replace(ESCAPED, '$1');
  return { url, after: i + 1 };
}

interface Pending {
  link: Link;
  /**
   * Reference label as written, for links still to resolve; null for inline links. Normalised
   * only when the document defines any reference (most define none).
   */
  label: string | null;
}

/** Every link in the document, in source order. */
export function extractLinks(ctx: ExtractContext): Link[] {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  const found: Pending[] = [];
  const definitions = new Map<string, string>();
  let nextBracket = text.indexOf('[');
  let nextAngle = text.indexOf('<');
  let line = 0;

  // An unmatched `[` at the end of a paragraph line may close on the next line
  // (`[is not\noptimal](url)`); that line is then scanned even without a `[` of its own.
  let carry = -1;
  for (;;) {
    if (carry < 0) {
      if (nextBracket < 0 && nextAngle < 0) break;
      const at = nextBracket < 0 ? nextAngle : nextAngle < 0 ? nextBracket : Math.min(nextBracket, nextAngle);
      while (line < lineEnds.length - 1 && (lineEnds[line] as number) < at) line++;
    } else {
      line++;
    }
    const start = lineStarts[line] as number;
    const end = lineEnds[line] as number;
    const flag = opaque[line];
    carry =
      flag === LINE_OPEN || flag === LINE_HEADING
        ? scanLine(ctx, line + 1, start, end, found, definitions, flag === LINE_OPEN, carry)
        : -1;
    const after = end + 1;
    if (nextBracket >= 0 && nextBracket < after) nextBracket = text.indexOf('[', after);
    if (nextAngle >= 0 && nextAngle < after) nextAngle = text.indexOf('<', after);
    if (line >= lineEnds.length - 1) break;
    if (carry >= 0 && (flag !== LINE_OPEN || opaque[line + 1] !== LINE_OPEN)) carry = -1;
  }

  const links: Link[] = [];
  for (const { link, label } of found) {
    if (label === null) {
      links.push(link);
      continue;
    }
    if (definitions.size === 0) continue;
    const url = definitions.get(normalizeLabel(label));
    if (url === undefined) continue;
    link.url = url;
    link.placeholder = isPlaceholderUrl(url);
    links.push(link);
  }
  return links;
}

function scanLine(
  ctx: ExtractContext,
  line: number,
  start: number,
  end: number,
  found: Pending[],
  definitions: Map<string, string>,
  mayDefine: boolean,
  carried: number,
): number {
  const { text, lineStarts } = ctx;
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (i === end) return -1;
  let unmatched = -1;
  // Next `]` and `>` on the line at or after the scan position, found once and reused, so a line
  // of unmatched `[` or `<` costs one pass instead of one pass per opener.
  let nextClose = -2;
  let nextGt = -2;

  if (carried >= 0) {
    const close = closeBracket(text, carried, end);
    if (close > 0 && text.charCodeAt(close) === OPEN_PAREN) {
      const dest = inlineDestination(text, close, end);
      if (dest !== null) {
        const image = text.charCodeAt(carried - 1) === BANG;
        found.push({
          link: {
            text: text.slice(carried + 1, close - 1),
            url: dest.url,
            placeholder: isPlaceholderUrl(dest.url),
            range: rangeAt(lineStarts, image ? carried - 1 : carried, dest.after),
          },
          label: null,
        });
        i = dest.after;
        mayDefine = false;
      }
    }
  }

  // A link reference definition: `[label]: url "title"` on its own line (indented inside list
  // items too; code lines never get here).
  if (mayDefine && text.charCodeAt(i) === OPEN_BRACKET) {
    const close = closeBracket(text, i, end);
    if (close > i + 2 && text.charCodeAt(close) === COLON && text.charCodeAt(i + 1) !== CARET) {
      let u = close + 1;
      while (u < end && isBlank(text.charCodeAt(u))) u++;
      let v = u;
      if (text.charCodeAt(u) === LT) {
        v = indexBefore(text, '>', u, end);
        v = v < 0 ? end : v;
        u++;
      } else {
        while (v < end && !isBlank(text.charCodeAt(v))) v++;
      }
      let url = text.slice(u, v);
      if (u === end) url = destinationOnNextLine(ctx, line) ?? '';
      // `[label]:` with no destination at all is not a definition (CommonMark); read on.
      if (url !== '' || text.charCodeAt(u) === LT) {
        const label = normalizeLabel(text.slice(i + 1, close - 1));
        if (!definitions.has(label)) definitions.set(label, url);
        return -1;
      }
    }
  }

  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === BACKTICK) {
      let run = 1;
      while (i + run < end && text.charCodeAt(i + run) === BACKTICK) run++;
      const closeAt = closingBackticks(text, i + run, end, run);
      i = closeAt < 0 ? i + run : closeAt;
      continue;
    }
    if (c === LT) {
      if (nextGt !== -1 && nextGt <= i) nextGt = indexBefore(text, '>', i + 1, end);
      const close = nextGt;
      if (close > i) {
        const inner = text.slice(i + 1, close);
        const email = EMAIL.test(inner);
        if (email || URI.test(inner)) {
          found.push({
            link: {
              text: inner,
              url: email ? `mailto:${inner}` : inner,
              placeholder: false,
              range: rangeOnLine(lineStarts, line, i, close + 1),
            },
            label: null,
          });
          i = close + 1;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c !== OPEN_BRACKET) {
      i++;
      continue;
    }
    const image = i > start && text.charCodeAt(i - 1) === BANG;
    const linkStart = image ? i - 1 : i;
    if (nextClose !== -1 && nextClose <= i) nextClose = indexBefore(text, ']', i + 1, end);
    const close = nextClose < 0 ? -1 : closeBracket(text, i, end);
    if (close < 0 || text.charCodeAt(i + 1) === CARET) {
      if (close < 0 && unmatched < 0 && text.charCodeAt(i + 1) !== CARET) unmatched = i;
      i++;
      continue;
    }
    const inner = text.slice(i + 1, close - 1);
    const next = text.charCodeAt(close);
    if (next === OPEN_PAREN) {
      const dest = inlineDestination(text, close, end);
      if (dest !== null) {
        found.push({
          link: {
            text: inner,
            url: dest.url,
            placeholder: isPlaceholderUrl(dest.url),
            range: rangeOnLine(lineStarts, line, linkStart, dest.after),
          },
          label: null,
        });
        i = dest.after;
        continue;
      }
    }
    if (next === OPEN_BRACKET) {
      const refClose = closeBracket(text, close, end);
      if (refClose > 0) {
        const ref = text.slice(close + 1, refClose - 1);
        found.push({
          link: {
            text: inner,
            url: '',
            placeholder: false,
            range: rangeOnLine(lineStarts, line, linkStart, refClose),
          },
          label: ref.trim() === '' ? inner : ref,
        });
        i = refClose;
        continue;
      }
    }
    // A shortcut reference `[ref]`; dropped later unless a definition names it. Its content is
    // still scanned, so `[see [RFC](url)]` yields the inner link.
    if (inner.trim() !== '') {
      found.push({
        link: {
          text: inner,
          url: '',
          placeholder: false,
          range: rangeOnLine(lineStarts, line, linkStart, close),
        },
        label: inner,
      });
    }
    i++;
  }
  return unmatched;
}

/** A definition's destination written on the line after `[label]:` (1-based `line`). */
function destinationOnNextLine(ctx: ExtractContext, line: number): string | null {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  if (line >= lineStarts.length || opaque[line] !== LINE_OPEN) return null;
  let u = lineStarts[line] as number;
  const end = lineEnds[line] as number;
  while (u < end && isBlank(text.charCodeAt(u))) u++;
  let v = u;
  while (v < end && !isBlank(text.charCodeAt(v))) v++;
  if (u === v) return null;
  return text.charCodeAt(u) === LT && text.charCodeAt(v - 1) === GT
    ? text.slice(u + 1, v - 1)
    : text.slice(u, v);
}

/** Offset after the closing run of exactly `run` backticks, or -1 when the span is not closed. */
function closingBackticks(text: string, from: number, end: number, run: number): number {
  let i = from;
  end = Math.min(end, from + MAX_CODE_SPAN);
  while (i < end) {
    if (text.charCodeAt(i) !== BACKTICK) {
      i++;
      continue;
    }
    let n = 1;
    while (i + n < end && text.charCodeAt(i + n) === BACKTICK) n++;
    if (n === run) return i + n;
    i += n;
  }
  return -1;
}
