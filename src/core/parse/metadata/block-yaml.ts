/**
 * A fast reader for the plain block YAML that metadata files are made of: `key: value` mappings,
 * `- item` lists, nested blocks, plain and simply quoted scalars, one-line `[a, b]` lists and
 * `#` comments. Anything else (block scalars, anchors, tags, escapes, multi-line flow or plain
 * scalars, several documents) returns null and the caller falls back to the `yaml` library.
 *
 * Why not always use the library: a `kep.yaml` takes it about half a millisecond, which alone would
 * cost a third of the 60 MB/s parse budget on the corpus. A differential test over every corpus
 * sidecar and front matter holds this reader to the library's results.
 */

export interface BlockYamlPair {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** Offset of the colon after the key. */
  colon: number;
  /** The value's JavaScript form (YAML 1.2 core schema), as `yaml`'s `toJS()` would give it. */
  value: unknown;
  /** Scalars as written (quotes removed); null for collections and absent values. */
  scalarText: string | null;
  /** Value offsets; both equal `colon + 1` when the value is absent. */
  valueStart: number;
  valueEnd: number;
}

export interface BlockYaml {
  data: Record<string, unknown>;
  pairs: BlockYamlPair[];
}

interface Line {
  indent: number;
  /** Offset of the first content character. */
  start: number;
  /** Offset just past the last content character, trailing comment and spaces removed. */
  end: number;
}

class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported();
};

/** Content end of a line with any ` # comment` removed; quotes opened at a token start are respected. */
export function contentEnd(text: string, start: number, end: number): number {
  let quote = '';
  let tokenStart = true;
  for (let i = start; i < end; i++) {
    const c = text[i] as string;
    if (quote !== '') {
      if (c === quote) quote = '';
      continue;
    }
    if ((c === '"' || c === "'") && tokenStart) {
      quote = c;
      continue;
    }
    if (c === '#' && (i === start || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      end = i;
      break;
    }
    tokenStart =
      c === ' ' ||
      c === '[' ||
      c === ',' ||
      (c === ':' && text[i + 1] === ' ') ||
      (c === '-' && text[i + 1] === ' ');
  }
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let lineEnd = nl;
    if (lineEnd > pos && text[lineEnd - 1] === '\r') lineEnd--;
    let start = pos;
    while (start < lineEnd && text[start] === ' ') start++;
    if (start < lineEnd && text[start] === '\t') unsupported();
    if (start < lineEnd && text[start] !== '#') {
      if (
        start === pos &&
        (text.startsWith('---', pos) || text.startsWith('...', pos)) &&
        /^(---|\.\.\.)\s*$/.test(text.slice(pos, lineEnd))
      )
        unsupported();
      const end = contentEnd(text, start, lineEnd);
      if (end > start) lines.push({ indent: start - pos, start, end });
    }
    pos = nl + 1;
  }
  return lines;
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** A plain scalar under the YAML 1.2 core schema. */
function resolvePlain(raw: string): unknown {
  if (raw === '' || raw === '~' || raw === 'null' || raw === 'Null' || raw === 'NULL') return null;
  if (raw === 'true' || raw === 'True' || raw === 'TRUE') return true;
  if (raw === 'false' || raw === 'False' || raw === 'FALSE') return false;
  if (INT.test(raw)) {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : unsupported();
  }
  if (
    /^0o[0-7]+$/.test(raw) ||
    /^0x[0-9a-fA-F]+$/.test(raw) ||
    /^[-+]?\.(inf|Inf|INF)$/.test(raw) ||
    /^\.(nan|NaN|NAN)$/.test(raw)
  )
    unsupported();
  if (FLOAT.test(raw)) return Number(raw);
  return raw;
}

/** One inline scalar or one-line flow list between `start` and `end`. */
function readInline(text: string, start: number, end: number): { value: unknown; scalarText: string | null } {
  const raw = text.slice(start, end);
  const first = raw[0];
  if (first === '"') {
    if (raw.length < 2 || !raw.endsWith('"') || raw.slice(1, -1).includes('"') || raw.includes('\\'))
      unsupported();
    const value = raw.slice(1, -1);
    return { value, scalarText: value };
  }
  if (first === "'") {
    const inner = raw.slice(1, -1);
    if (raw.length < 2 || !raw.endsWith("'") || /(^|[^'])'('')*([^']|$)/.test(inner.replace(/''/g, '')))
      unsupported();
    const value = inner.replace(/''/g, "'");
    return { value, scalarText: value };
  }
  if (first === '[') {
    if (!raw.endsWith(']')) unsupported();
    const inner = raw.slice(1, -1).trim();
    if (/[[\]{}]/.test(inner)) unsupported();
    if (inner === '') return { value: [], scalarText: null };
    const items = inner.split(',').map((item) => item.trim());
    if (items[items.length - 1] === '') items.pop();
    return {
      value: items.map((item) => {
        if (item === '' || item.includes(': ')) unsupported();
        if (item.startsWith('"') || item.startsWith("'")) return readInline(item, 0, item.length).value;
        if (/^[&*!|>%@`?]/.test(item)) unsupported();
        return resolvePlain(item);
      }),
      scalarText: null,
    };
  }
  if (first === '{') {
    if (raw.replace(/\s+/g, '') !== '{}') unsupported();
    return { value: {}, scalarText: null };
  }
  if (first !== undefined && '&*!|>%@`?'.includes(first)) unsupported();
  if (/:(\s|$)/.test(raw) || raw.startsWith('- ') || raw === '-') unsupported();
  return { value: resolvePlain(raw), scalarText: raw };
}

const KEY = /^(?:"([^"\\]*)"|'([^']*)'|([^\s"'#\-?:,[\]{}&*!|>%@`][^#]*?|-[^\s#][^#]*?))[ \t]*:(?:[ \t]|$)/;

interface Cursor {
  lines: Line[];
  index: number;
  text: string;
}

/** A block node whose first line is `cursor.lines[cursor.index]` at exactly `indent`. */
function readBlock(
  cursor: Cursor,
  indent: number,
  pairs: BlockYamlPair[] | null,
): { value: unknown; end: number } {
  const line = cursor.lines[cursor.index] as Line;
  const isItem = (l: Line): boolean =>
    cursor.text[l.start] === '-' && (l.end === l.start + 1 || cursor.text[l.start + 1] === ' ');
  if (isItem(line)) return readSequence(cursor, indent);
  return readMapping(cursor, indent, pairs);
}

function readSequence(cursor: Cursor, indent: number): { value: unknown[]; end: number } {
  const { text, lines } = cursor;
  const items: unknown[] = [];
  let end = (lines[cursor.index] as Line).end;
  while (cursor.index < lines.length) {
    const line = lines[cursor.index] as Line;
    if (
      line.indent !== indent ||
      text[line.start] !== '-' ||
      !(line.end === line.start + 1 || text[line.start + 1] === ' ')
    )
      break;
    let itemStart = line.start + 1;
    while (itemStart < line.end && text[itemStart] === ' ') itemStart++;
    if (itemStart >= line.end) {
      cursor.index++;
      const next = lines[cursor.index];
      if (next && next.indent > indent) {
        const nested = readBlock(cursor, next.indent, null);
        items.push(nested.value);
        end = nested.end;
      } else {
        items.push(null);
        end = line.end;
      }
      continue;
    }
    if (
      KEY.test(text.slice(itemStart, line.end)) ||
      (text[itemStart] === '-' && text[itemStart + 1] === ' ')
    ) {
      // `- key: value` opens a mapping whose column is the key's.
      const column = line.indent + (itemStart - line.start);
      lines[cursor.index] = { indent: column, start: itemStart, end: line.end };
      const nested = readBlock(cursor, column, null);
      items.push(nested.value);
      end = nested.end;
      continue;
    }
    items.push(readInline(text, itemStart, line.end).value);
    end = line.end;
    cursor.index++;
  }
  return { value: items, end };
}

function readMapping(
  cursor: Cursor,
  indent: number,
  pairs: BlockYamlPair[] | null,
): { value: Record<string, unknown>; end: number } {
  const { text, lines } = cursor;
  const map: Record<string, unknown> = {};
  let end = (lines[cursor.index] as Line).end;
  while (cursor.index < lines.length) {
    const line = lines[cursor.index] as Line;
    if (line.indent < indent) break;
    if (line.indent > indent) unsupported();
    const match = KEY.exec(text.slice(line.start, line.end));
    if (!match) unsupported();
    const keyMatch = match as RegExpExecArray;
    const key = keyMatch[1] ?? keyMatch[2] ?? (keyMatch[3] as string).trimEnd();
    if (key === '<<' || Object.prototype.hasOwnProperty.call(map, key)) unsupported();
    const colon = line.start + keyMatch[0].lastIndexOf(':');
    const keyEnd =
      keyMatch[1] !== undefined || keyMatch[2] !== undefined
        ? line.start + key.length + 2
        : line.start + key.length;
    let valueStart = colon + 1;
    while (valueStart < line.end && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
    let value: unknown;
    let scalarText: string | null = null;
    let valueEnd: number;
    cursor.index++;
    if (valueStart < line.end) {
      const inline = readInline(text, valueStart, line.end);
      value = inline.value;
      scalarText = inline.scalarText;
      valueEnd = line.end;
    } else {
      const next = lines[cursor.index];
      const nextIsItem =
        next !== undefined &&
        text[next.start] === '-' &&
        (next.end === next.start + 1 || text[next.start + 1] === ' ');
      if (next && (next.indent > indent || (next.indent === indent && nextIsItem))) {
        valueStart = next.start;
        const nested =
          next.indent === indent ? readSequence(cursor, indent) : readBlock(cursor, next.indent, null);
        value = nested.value;
        valueEnd = nested.end;
      } else {
        value = null;
        valueStart = valueEnd = colon + 1;
      }
    }
    map[key] = value;
    end = Math.max(end, valueEnd, line.end);
    pairs?.push({ key, keyStart: line.start, keyEnd, colon, value, scalarText, valueStart, valueEnd });
  }
  return { value: map, end };
}

/** Reads `text` as a block mapping, or returns null when it uses YAML this reader does not handle. */
export function readBlockYaml(text: string): BlockYaml | null {
  try {
    const lines = splitLines(text);
    const pairs: BlockYamlPair[] = [];
    if (lines.length === 0) return null;
    const cursor: Cursor = { lines, index: 0, text };
    const first = lines[0] as Line;
    if (first.indent !== 0) return null;
    const result = readMapping(cursor, 0, pairs);
    if (cursor.index !== lines.length) return null;
    return { data: result.value, pairs };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}
