/**
 * Link reference definitions and the link syntax pieces they share with inline links
 * (label, destination, title), following CommonMark 0.31 as commonmark.js implements it, so
 * that "is this paragraph only definitions?" (setext headings) and "does `[x]` resolve?"
 * (heading text) get the same answers as the reference implementation.
 */
import { decodeHTMLStrict } from 'entities';

const ESCAPABLE = '[!"#$%&\'()*+,./:;<=>?@[\\\\\\]^_`{|}~-]';
const ENTITY = '&(?:#x[a-f0-9]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});';

/** Nesting limit for unbracketed link destinations, as in cmark (the spec allows a limit). */
const MAX_PARENS = 32;
const reLinkLabel = /\[(?:[^\\[\]]|\\.){0,1000}\]/sy;
const reSpnl = / *(?:\n *)?/y;
const reSpaceAtEndOfLine = / *(?:\n|$)/y;
// eslint-disable-next-line no-control-regex -- CommonMark names these control characters explicitly
const reLinkDestinationBraces = /<(?:[^<>\n\\\x00]|\\.)*>/y;
const reLinkTitle = new RegExp(
  '"(?:\\\\' +
    ESCAPABLE +
    '|\\\\[^\\\\]|[^\\\\"\\x00])*"' +
    "|'(?:\\\\" +
    ESCAPABLE +
    "|\\\\[^\\\\]|[^\\\\'\\x00])*'" +
    '|\\((?:\\\\' +
    ESCAPABLE +
    '|\\\\[^\\\\]|[^\\\\()\\x00])*\\)',
  'y',
);
const reEscapable = new RegExp('^' + ESCAPABLE);
const reEntityOrEscapedChar = new RegExp('\\\\' + ESCAPABLE + '|' + ENTITY, 'gi');

/** True when `code` is an ASCII punctuation character a backslash can escape. */
export function isEscapable(ch: string): boolean {
  return reEscapable.test(ch);
}

function unescapeChar(s: string): string {
  return s.charCodeAt(0) === 92 ? s.charAt(1) : decodeHTMLStrict(s);
}

/** Replaces backslash escapes and entity references with the characters they stand for. */
export function unescapeString(s: string): string {
  if (s.indexOf('\\') === -1 && s.indexOf('&') === -1) return s;
  return s.replace(reEntityOrEscapedChar, unescapeChar);
}

/**
 * Normalises a link label (with its brackets) for lookup: trimmed, inner whitespace collapsed,
 * Unicode case-folded the way commonmark.js does it.
 */
export function normalizeLabel(label: string): string {
  let inner = label.slice(1, label.length - 1).trim();
  if (/[\t\r\n]| {2}/.test(inner)) inner = inner.replace(/[ \t\r\n]+/g, ' ');
  return inner.toLowerCase().toUpperCase();
}

function matchSticky(re: RegExp, s: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(s) ? re.lastIndex : -1;
}

/** Length of a link label `[...]` at `pos`, or 0. */
export function linkLabelLength(s: string, pos: number): number {
  const end = matchSticky(reLinkLabel, s, pos);
  if (end === -1 || end - pos > 1001) return 0;
  return end - pos;
}

/** Position after optional spaces with at most one newline. */
export function skipSpnl(s: string, pos: number): number {
  const end = matchSticky(reSpnl, s, pos);
  return end === -1 ? pos : end;
}

function isWhitespaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 11 || c === 12 || c === 13;
}

/** A link destination at `pos`: its end and unescaped value, or null. */
export function linkDestination(s: string, pos: number): { end: number; value: string } | null {
  const braces = matchSticky(reLinkDestinationBraces, s, pos);
  if (braces !== -1) return { end: braces, value: unescapeString(s.slice(pos + 1, braces - 1)) };
  if (s.charCodeAt(pos) === 60) return null;
  let p = pos;
  let open = 0;
  let c = -1;
  const n = s.length;
  while (p < n) {
    c = s.charCodeAt(p);
    if (c === 92 && p + 1 < n && isEscapable(s.charAt(p + 1))) {
      p += 2;
    } else if (c === 40) {
      p++;
      open++;
      // cmark's limit: without it `[a](` repeated makes every bracket scan to the end of the line.
      if (open > MAX_PARENS) return null;
    } else if (c === 41) {
      if (open < 1) break;
      p++;
      open--;
    } else if (isWhitespaceCode(c)) {
      break;
    } else {
      p++;
    }
  }
  if (p >= n) c = -1;
  if (p === pos && c !== 41) return null;
  if (open !== 0) return null;
  return { end: p, value: unescapeString(s.slice(pos, p)) };
}

/** End of a link title at `pos` (quoted or parenthesised), or -1. */
export function linkTitleEnd(s: string, pos: number): number {
  return matchSticky(reLinkTitle, s, pos);
}

/**
 * Parses one link reference definition at `start` in `s` (a paragraph's content, lines joined
 * with `\n`), records it in `refs` unless the label is already defined, and returns the number of
 * characters it spans (0 when no definition starts there).
 */
export function parseLinkReference(s: string, refs: Map<string, string>, start = 0): number {
  const labelLength = linkLabelLength(s, start);
  if (labelLength === 0) return 0;
  let pos = start + labelLength;
  if (s.charCodeAt(pos) !== 58) return 0;
  pos = skipSpnl(s, pos + 1);
  const dest = linkDestination(s, pos);
  if (dest === null) return 0;
  pos = dest.end;
  const beforeTitle = pos;
  pos = skipSpnl(s, pos);
  let title = -1;
  if (pos !== beforeTitle) title = linkTitleEnd(s, pos);
  if (title === -1) pos = beforeTitle;
  else pos = title;
  let end = matchSticky(reSpaceAtEndOfLine, s, pos);
  if (end === -1) {
    if (title === -1) return 0;
    end = matchSticky(reSpaceAtEndOfLine, s, beforeTitle);
    if (end === -1) return 0;
  }
  const label = normalizeLabel(s.slice(start, start + labelLength));
  if (label === '') return 0;
  if (!refs.has(label)) refs.set(label, dest.value);
  return end - start;
}
