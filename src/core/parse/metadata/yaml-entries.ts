/**
 * YAML mappings (front matter, a sidecar `kep.yaml`) read into metadata entries with the exact
 * source range of every key and value, plus the plain data and the first YAML error.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { MetadataEntry, MetadataSource } from '../../model.js';
import { rangeAt } from '../context.js';
import { contentEnd, readBlockYaml } from './block-yaml.js';
import { metadataKeyName } from './metadata-key.js';

export interface YamlEntries {
  data: Record<string, unknown> | null;
  error: string | null;
  entries: MetadataEntry[];
}

/** Offsets of each line start in `text` (for ranges inside a sidecar, which has no line table yet). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * A YAML value as one string: scalars as written (unquoted), lists joined by `, `, mappings as
 * `key: value` pairs joined by `, `, nested collections in brackets so nothing is silently lost.
 */
export function flattenYaml(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) {
    return value
      .map((item) =>
        typeof item === 'object' && item !== null ? `[${flattenYaml(item)}]` : flattenYaml(item),
      )
      .filter((item) => item !== '')
      .join(', ');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => {
        const text =
          typeof item === 'object' && item !== null && !(item instanceof Date)
            ? `[${flattenYaml(item)}]`
            : flattenYaml(item);
        return `${key}: ${text}`;
      })
      .join(', ');
  }
  return '';
}

/** A scalar's entry value: strings as parsed, numbers and booleans as written (`1.10` stays `1.10`), null as ''. */
function scalarEntryValue(value: unknown, written: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  return written.trim();
}

/**
 * Parses `yamlText` (which sits at `baseOffset` in a text whose line table is `lineStarts`) and
 * returns one entry per top-level key. Plain block YAML goes through the fast reader; anything else
 * through the `yaml` library. Never throws: a YAML error becomes `error`, and a document that is
 * not a mapping gives `data: null` and no entries.
 */
export function readYamlEntries(
  yamlText: string,
  baseOffset: number,
  lineStarts: readonly number[],
  source: MetadataSource,
): YamlEntries {
  const fast = readBlockYaml(yamlText);
  if (!fast) return readYamlEntriesWithLibrary(yamlText, baseOffset, lineStarts, source);
  const entries = fast.pairs.map((pair): MetadataEntry => {
    const value =
      pair.scalarText !== null ? scalarEntryValue(pair.value, pair.scalarText) : flattenYaml(pair.value);
    return {
      key: pair.key,
      name: metadataKeyName(pair.key),
      value,
      source,
      range: rangeAt(
        lineStarts,
        baseOffset + pair.keyStart,
        baseOffset + Math.max(pair.valueEnd, pair.keyEnd),
      ),
      valueRange: rangeAt(lineStarts, baseOffset + pair.valueStart, baseOffset + pair.valueEnd),
    };
  });
  return { data: fast.data, error: null, entries };
}

/** `readYamlEntries` through the `yaml` library only (the reference the fast reader is tested against). */
export function readYamlEntriesWithLibrary(
  yamlText: string,
  baseOffset: number,
  lineStarts: readonly number[],
  source: MetadataSource,
): YamlEntries {
  let doc;
  try {
    doc = parseDocument(yamlText, { uniqueKeys: false, prettyErrors: false });
  } catch (cause) {
    return { data: null, error: cause instanceof Error ? cause.message : String(cause), entries: [] };
  }
  const firstError = doc.errors[0];
  const error = firstError ? (firstError.message.split('\n')[0] ?? firstError.message) : null;
  const contents = doc.contents;
  if (!isMap(contents)) return { data: null, error, entries: [] };

  let data: Record<string, unknown> | null = null;
  try {
    const js: unknown = doc.toJS({ maxAliasCount: 100 });
    if (js !== null && typeof js === 'object' && !Array.isArray(js)) data = js as Record<string, unknown>;
  } catch {
    data = null;
  }

  const entries: MetadataEntry[] = [];
  for (const pair of contents.items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as Node | null;
    if (!isScalar(keyNode) || !keyNode.range) continue;
    const key = String(keyNode.value);
    const keyStart = keyNode.range[0];
    const valueNode = pair.value as Node | null;
    let valueStart: number;
    let valueEnd: number;
    let value: string;
    const written = valueNode?.range ? yamlText.slice(valueNode.range[0], valueNode.range[1]).trim() : '';
    if (valueNode && valueNode.range && (written !== '' || !isScalar(valueNode))) {
      valueStart = valueNode.range[0];
      valueEnd = valueNode.range[1];
      value = isScalar(valueNode)
        ? scalarEntryValue(valueNode.value, yamlText.slice(valueStart, valueEnd))
        : flattenYaml(isSeq(valueNode) || isMap(valueNode) ? valueNode.toJSON() : null);
    } else {
      const colon = yamlText.indexOf(':', keyNode.range[1]);
      valueStart = valueEnd = colon === -1 ? keyNode.range[1] : colon + 1;
      value = '';
    }
    // Trailing newlines inside block scalars and collections are not part of the value.
    while (valueEnd > valueStart && /\s/.test(yamlText[valueEnd - 1] as string)) valueEnd--;
    // Nor is a comment after a collection's last item, which the library counts in.
    if (valueNode && !isScalar(valueNode)) {
      for (;;) {
        const lastLineStart = Math.max(valueStart, yamlText.lastIndexOf('\n', valueEnd - 1) + 1);
        let contentStart = lastLineStart;
        while (contentStart < valueEnd && yamlText[contentStart] === ' ') contentStart++;
        const end = contentEnd(yamlText, contentStart, valueEnd);
        if (end > contentStart || lastLineStart <= valueStart) {
          valueEnd = Math.max(valueStart, end);
          break;
        }
        // A comment-only last line: step back over it and its line break.
        valueEnd = lastLineStart;
        while (valueEnd > valueStart && /\s/.test(yamlText[valueEnd - 1] as string)) valueEnd--;
      }
    }
    entries.push({
      key,
      name: metadataKeyName(key),
      value,
      source,
      range: rangeAt(lineStarts, baseOffset + keyStart, baseOffset + Math.max(valueEnd, keyNode.range[1])),
      valueRange: rangeAt(lineStarts, baseOffset + valueStart, baseOffset + valueEnd),
    });
  }
  return { data, error, entries };
}
