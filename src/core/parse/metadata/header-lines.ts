/**
 * Metadata written as lines at the top of a document: bullet headers (`- Status: Draft`,
 * `* Status: **Implemented (Swift 5.9)**`), bold keys (`**Status:** X`, `**Status**: X`,
 * `**SIG: SIG-Network**`, `* **Owners:**` over a nested list), plain `Key: value` lines and small
 * key/value tables. Only the lines it is given are read (the preamble and the lines under the
 * title), so prose further down never turns into metadata.
 */
import type { MetadataEntry, MetadataSource } from '../../model.js';
import { LINE_OPEN, rangeOnLine, type ExtractContext } from '../context.js';
import { KNOWN_KEYS, REMARK_KEYS, metadataKeyName } from './metadata-key.js';

/** A 1-based, end-exclusive span of lines to read. */
export interface LineSpan {
  from: number;
  to: number;
}

/** Lines of prose after which only well-known keys still count as metadata. */
const PROSE_LIMIT = 3;
/** Upper bound on lines read, so a document without sections is not scanned to its end. */
const MAX_LINES = 240;

const BULLET = /^([ \t]*)([-*+])[ \t]+/;
/** A capitalised key of at most four words: `Status`, `Feature Name`, `RFC PR #`, `Author(s)`. */
const KEY_SHAPE = /^[\p{Lu}\p{N}][\p{L}\p{N}()'’/#.&+-]*(?: [\p{L}\p{N}()'’/#.&+-]+){0,3}$/u;
/** The same, any case: for keys that are known anyway (`- status: accepted`). */
const LOOSE_KEY_SHAPE = /^[\p{L}][\p{L}\p{N}()'’/#.&+-]*(?: [\p{L}\p{N}()'’/#.&+-]+){0,3}$/u;

interface Candidate {
  key: string;
  /** Offsets into the document text. */
  keyStart: number;
  value: string;
  valueStart: number;
  valueEnd: number;
  source: MetadataSource;
  /** The key was written bold (a strong hint the author meant a label). */
  bold: boolean;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xa0 && c !== 0x200b && c !== 0xfeff) return false;
  }
  return true;
}

/** Start and end offsets of `line` with surrounding whitespace trimmed off. */
function trimmedSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return [start, end];
}

/**
 * Reads `content` (the line after any bullet marker, starting at offset `base`) as a key/value
 * pair, or returns null when the line is not shaped like one.
 */
function readKeyValue(text: string, base: number, end: number, inBullet: boolean): Candidate | null {
  const content = text.slice(base, end);
  const source: MetadataSource = inBullet ? 'bullet' : 'key-value';
  const bold = /^(\*\*|__)(.+?)\1/.exec(content);
  if (bold) {
    const inner = bold[2] as string;
    const afterBold = base + bold[0].length;
    const rest = text.slice(afterBold, end);
    let key: string;
    let valueStart: number;
    if (/:\s*$/.test(inner)) {
      key = inner.replace(/\s*:\s*$/, '');
      valueStart = afterBold;
    } else if (/^\s*:/.test(rest)) {
      key = inner;
      valueStart = afterBold + rest.indexOf(':') + 1;
    } else if (/^[^:]+:\s+\S/.test(inner)) {
      // `**SIG: SIG-Network**`: key and value both inside the emphasis (and maybe more after it).
      const colon = inner.indexOf(':');
      key = inner.slice(0, colon).trim();
      if (!LOOSE_KEY_SHAPE.test(key)) return null;
      const blankAfter = isBlank(text, afterBold, end);
      const [vs, ve] = trimmedSpan(text, base + 2 + colon + 1, blankAfter ? afterBold - 2 : end);
      return {
        key,
        keyStart: base + 2,
        value: text.slice(vs, ve),
        valueStart: vs,
        valueEnd: ve,
        source: 'bold-key',
        bold: true,
      };
    } else if (KNOWN_KEYS.has(metadataKeyName(inner)) && /^\s+\S/.test(rest)) {
      // `**Owner** [Name](…)`: a known label without a colon.
      key = inner;
      valueStart = afterBold;
    } else {
      return null;
    }
    key = key.trim();
    if (!LOOSE_KEY_SHAPE.test(key)) return null;
    const [vs, ve] = trimmedSpan(text, valueStart, end);
    return {
      key,
      keyStart: base + 2,
      value: text.slice(vs, ve),
      valueStart: vs,
      valueEnd: ve,
      source: 'bold-key',
      bold: true,
    };
  }
  const colon = content.indexOf(':');
  if (colon <= 0 || colon > 48) return null;
  const after = content.charCodeAt(colon + 1);
  // `Key: value` needs a space (or the line end) after the colon: URLs and times are not keys.
  if (!Number.isNaN(after) && after !== 32 && after !== 9 && after !== 0xa0) return null;
  const key = content.slice(0, colon).trim();
  if (key === '' || !LOOSE_KEY_SHAPE.test(key)) return null;
  const [vs, ve] = trimmedSpan(text, base + colon + 1, end);
  return {
    key,
    keyStart: base,
    value: text.slice(vs, ve),
    valueStart: vs,
    valueEnd: ve,
    source,
    bold: false,
  };
}

/** `| a | b |` cells with their offsets (pipes inside code spans are not handled: tables here are tiny). */
function tableCells(
  text: string,
  start: number,
  end: number,
): Array<{ text: string; start: number; end: number }> {
  const cells: Array<{ text: string; start: number; end: number }> = [];
  let cellStart = text.indexOf('|', start) + 1;
  for (let i = cellStart; i <= end; i++) {
    if (i === end || (text[i] === '|' && text[i - 1] !== '\\')) {
      if (i === end && isBlank(text, cellStart, end)) break;
      const [s, e] = trimmedSpan(text, cellStart, i);
      cells.push({ text: text.slice(s, e), start: s, end: e });
      cellStart = i + 1;
    }
  }
  return cells;
}

function stripBold(cell: string): string {
  return cell
    .replace(/^(\*\*|__)(.*)\1$/, '$2')
    .replace(/:$/, '')
    .trim();
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).
function pushEntry(
  entries: MetadataEntry[],
  lineStarts: readonly number[],
  candidate: Candidate,
  line: number,
  valueLine: number,
  entryEnd: number,
): void {
  entries.push({
    key: candidate.key,
    name: metadataKeyName(candidate.key),
    value: candidate.value,
    source: candidate.source,
    range: {
      start: rangeOnLine(lineStarts, line, candidate.keyStart, candidate.keyStart).start,
      end: rangeOnLine(lineStarts, valueLine, entryEnd, entryEnd).end,
    },
    valueRange: rangeOnLine(lineStarts, valueLine, candidate.valueStart, candidate.valueEnd),
  });
}

/**
 * Entries from the given line spans of the document, in source order. `spans` must be sorted and
 * not overlap.
 */
export function readHeaderLines(ctx: ExtractContext, spans: readonly LineSpan[]): MetadataEntry[] {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  const entries: MetadataEntry[] = [];
  let proseLines = 0;
  let seenKnown = false;
  let budget = MAX_LINES;

  for (const span of spans) {
    const last = Math.min(span.to, lineStarts.length + 1);
    for (let line = span.from; line < last && budget > 0; line++, budget--) {
      if (opaque[line - 1] !== LINE_OPEN) continue;
      const start = lineStarts[line - 1] as number;
      const end = lineEnds[line - 1] as number;
      if (isBlank(text, start, end)) continue;

      if (/^[ \t]{0,3}\|/.test(text.slice(start, start + 5))) {
        line = readTable(ctx, line, last, entries) - 1;
        continue;
      }

      const bullet = BULLET.exec(text.slice(start, Math.min(end, start + 16)));
      const contentStart = bullet ? start + bullet[0].length : trimmedSpan(text, start, end)[0];
      const candidate = readKeyValue(text, contentStart, end, bullet !== null);
      if (!candidate) {
        proseLines++;
        continue;
      }
      const name = metadataKeyName(candidate.key);
      const known = KNOWN_KEYS.has(name);
      if (known) seenKnown = true;
      if (REMARK_KEYS.has(name) && !known) {
        proseLines++;
        continue;
      }
      if (!known) {
        // An unknown key must look like a label, not the start of a sentence; a plain line
        // (no bullet, no bold) counts only inside a header that already had a well-known key.
        const plausible =
          proseLines <= PROSE_LIMIT &&
          KEY_SHAPE.test(candidate.key) &&
          (candidate.bold ||
            bullet !== null ||
            (seenKnown && candidate.value.length <= 80 && !/[.!?]\s/.test(candidate.value)));
        if (!plausible) {
          proseLines++;
          continue;
        }
      }

      // `* **Owners:**` with the value as a nested list below it.
      if (candidate.value === '') {
        const indent = bullet ? (bullet[1] as string).replace(/\t/g, '    ').length : -1;
        const items: Array<{ text: string; start: number; end: number; line: number }> = [];
        let next = line + 1;
        let lastItemLine = line;
        while (next < last) {
          if (opaque[next - 1] !== LINE_OPEN) break;
          const ns = lineStarts[next - 1] as number;
          const ne = lineEnds[next - 1] as number;
          if (isBlank(text, ns, ne)) {
            next++;
            continue;
          }
          const nested = BULLET.exec(text.slice(ns, Math.min(ne, ns + 24)));
          if (!nested || (nested[1] as string).replace(/\t/g, '    ').length <= indent) break;
          const [is, ie] = trimmedSpan(text, ns + nested[0].length, ne);
          items.push({ text: text.slice(is, ie), start: is, end: ie, line: next });
          lastItemLine = next;
          next++;
        }
        const firstItem = items[0];
        const lastItem = items[items.length - 1];
        if (firstItem && lastItem) {
          candidate.value = items
            .map((item) => item.text)
            .filter((item) => item !== '')
            .join(', ');
          const entryStart = candidate.keyStart;
          entries.push({
            key: candidate.key,
            name,
            value: candidate.value,
            source: candidate.source,
            range: {
              start: rangeOnLine(lineStarts, line, entryStart, entryStart).start,
              end: rangeOnLine(lineStarts, lastItem.line, lastItem.end, lastItem.end).end,
            },
            valueRange: {
              start: rangeOnLine(lineStarts, firstItem.line, firstItem.start, firstItem.start).start,
              end: rangeOnLine(lineStarts, lastItem.line, lastItem.end, lastItem.end).end,
            },
          });
          line = lastItemLine;
          continue;
        }
        // `**Status:**` with the value as the next paragraph.
        if (candidate.bold) {
          const valueLine = nextParagraphLine(ctx, line + 1, Math.min(last, line + 3));
          if (valueLine !== null) {
            const [vs, ve] = trimmedSpan(
              text,
              lineStarts[valueLine - 1] as number,
              lineEnds[valueLine - 1] as number,
            );
            candidate.value = text.slice(vs, ve);
            candidate.valueStart = vs;
            candidate.valueEnd = ve;
            pushEntry(entries, lineStarts, candidate, line, valueLine, ve);
            line = valueLine;
            continue;
          }
        }
      }
      const pairs = splitInlinePairs(text, candidate, bullet !== null);
      for (const [i, pair] of pairs.entries())
        pushEntry(entries, lineStarts, pair, line, line, i === pairs.length - 1 ? end : pair.valueEnd);
    }
  }
  return entries;
}

/** ` | `, ` · ` or ` • ` between pairs written on one line. */
const PAIR_SEPARATOR = /[ \t]+[|·•][ \t]+/g;

/**
 * `**Status:** Accepted | **Date:** 2025-02-25`: several pairs on one line, each its own entry. A
 * separator splits the value only where a key shaped like a label follows it, so `A | B` stays a
 * value.
 */
function splitInlinePairs(text: string, first: Candidate, inBullet: boolean): Candidate[] {
  const pairs = [first];
  let current = first;
  PAIR_SEPARATOR.lastIndex = 0;
  const value = first.value;
  let match: RegExpExecArray | null;
  while ((match = PAIR_SEPARATOR.exec(value)) !== null) {
    const cut = first.valueStart + match.index;
    const next = readKeyValue(text, cut + match[0].length, first.valueEnd, inBullet);
    if (next === null) continue;
    const name = metadataKeyName(next.key);
    if (!KNOWN_KEYS.has(name) && !KEY_SHAPE.test(next.key)) continue;
    if (next.value === '') continue;
    const [vs, ve] = trimmedSpan(text, current.valueStart, cut);
    current.value = text.slice(vs, ve);
    current.valueEnd = ve;
    pairs.push(next);
    current = next;
  }
  return pairs;
}

/** The first non-blank line in [from, to) when it is a plain one-line paragraph (no marker, no key). */
function nextParagraphLine(ctx: ExtractContext, from: number, to: number): number | null {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  for (let line = from; line < to && line <= lineStarts.length; line++) {
    const start = lineStarts[line - 1] as number;
    const end = lineEnds[line - 1] as number;
    if (isBlank(text, start, end)) continue;
    if (opaque[line - 1] !== LINE_OPEN) return null;
    const content = text.slice(start, end).trim();
    if (/^([-*+>|#]|\d+[.)]\s|\*\*|__)/.test(content) || readKeyValue(text, start, end, false) !== null)
      return null;
    const following =
      line < lineStarts.length ? text.slice(lineStarts[line] as number, lineEnds[line] as number) : '';
    return following.trim() === '' && content.length <= 80 ? line : null;
  }
  return null;
}

/**
 * A table at the top: either rows of `| Key | Value |`, or one header row of keys over one row of
 * values. Returns the first line after the table.
 */
function readTable(ctx: ExtractContext, firstLine: number, limit: number, entries: MetadataEntry[]): number {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  const rows: Array<{ line: number; cells: Array<{ text: string; start: number; end: number }> }> = [];
  let line = firstLine;
  for (; line < limit; line++) {
    if (opaque[line - 1] !== LINE_OPEN) break;
    const start = lineStarts[line - 1] as number;
    const end = lineEnds[line - 1] as number;
    if (!/^\s{0,3}\|/.test(text.slice(start, Math.min(end, start + 8)))) break;
    rows.push({ line, cells: tableCells(text, start, end) });
  }
  const isDelimiter = (cells: Array<{ text: string }>): boolean =>
    cells.length > 0 && cells.every((cell) => /^:?-+:?$/.test(cell.text));
  const header = rows[0];
  const delimiterAt = rows.findIndex((row) => isDelimiter(row.cells));
  const keyCell = (cell: string): boolean => {
    const key = stripBold(cell);
    return key !== '' && LOOSE_KEY_SHAPE.test(key) && KNOWN_KEYS.has(metadataKeyName(key));
  };
  const addEntry = (
    key: { text: string; start: number },
    value: { text: string; start: number; end: number },
    keyLine: number,
    valueLine: number,
  ): void => {
    const keyText = stripBold(key.text);
    entries.push({
      key: keyText,
      name: metadataKeyName(keyText),
      value: value.text,
      source: 'table',
      range: {
        start: rangeOnLine(lineStarts, keyLine, key.start, key.start).start,
        end: rangeOnLine(lineStarts, valueLine, value.end, value.end).end,
      },
      valueRange: rangeOnLine(lineStarts, valueLine, value.start, value.end),
    });
  };
  // One header row of keys over one row of values.
  if (
    header &&
    delimiterAt === 1 &&
    rows.length === 3 &&
    header.cells.length >= 2 &&
    header.cells.filter((cell) => keyCell(cell.text)).length >= 2
  ) {
    const values = rows[2] as (typeof rows)[number];
    header.cells.forEach((cell, index) => {
      const value = values.cells[index];
      if (value) addEntry(cell, value, header.line, values.line);
    });
    return line;
  }
  // Two-column `| Key | Value |` rows (a header row counts too when it is itself a pair). One
  // well-known key shows the table is metadata; then every label-shaped key counts (`RFC #`,
  // `Submitted`), and a row with an empty key continues the value above (a second author).
  const pairs = rows.filter((row) => row.cells.length === 2 && !isDelimiter(row.cells));
  const isMetadataTable = pairs.some((row) => keyCell((row.cells[0] as { text: string }).text));
  let previous: MetadataEntry | null = null;
  for (const row of pairs) {
    const [key, value] = row.cells as [(typeof row.cells)[number], (typeof row.cells)[number]];
    if (key.text === '' && previous !== null && isMetadataTable) {
      if (value.text === '') continue;
      previous.value = previous.value === '' ? value.text : `${previous.value}, ${value.text}`;
      const end = rangeOnLine(lineStarts, row.line, value.end, value.end).end;
      previous.range = { start: previous.range.start, end };
      previous.valueRange = { start: previous.valueRange.start, end };
      continue;
    }
    const label = stripBold(key.text);
    // A header row names the columns (`| Field | Value |`); it is a pair only with a known key,
    // or a bold one (`| **RFC #** | 0011 |`: a label, as in the rows below it).
    const headerRow = row === header && delimiterAt === 1;
    const relaxed = isMetadataTable && (!headerRow || /^(\*\*|__).+\1$/.test(key.text));
    if (keyCell(key.text) || (relaxed && label !== '' && LOOSE_KEY_SHAPE.test(label))) {
      addEntry(key, value, row.line, row.line);
      previous = entries[entries.length - 1] as MetadataEntry;
    } else {
      previous = null;
    }
  }
  return line;
}
