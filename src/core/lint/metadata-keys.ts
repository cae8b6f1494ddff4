/**
 * Metadata lookups shared by the metadata rules: which entries a schema key (or one of its
 * aliases) names, with entries from a sidecar file kept apart because their ranges are not in the
 * document text.
 */
import type { DesignDocument, MetadataEntry } from '../model.js';
import type { SchemaMetadataKey } from '../template/schema.js';

/** The key as the parser normalises entry names: lower case, spaces and dashes as `-`. */
export function metadataName(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-');
}

const BY_NAME = new WeakMap<DesignDocument, Map<string, MetadataEntry[]>>();

/** The document's own entries (sidecar ones excluded) by normalised name, built once per document. */
function byName(doc: DesignDocument): Map<string, MetadataEntry[]> {
  let map = BY_NAME.get(doc);
  if (!map) {
    map = new Map();
    for (const entry of doc.metadata) {
      if (entry.source === 'sidecar') continue;
      const list = map.get(entry.name);
      if (list) list.push(entry);
      else map.set(entry.name, [entry]);
    }
    BY_NAME.set(doc, map);
  }
  return map;
}

const NAMES = new WeakMap<SchemaMetadataKey, string[]>();

/** A schema key's normalised names (key, then aliases, duplicates dropped), once per key: schemas outlive documents. */
function namesOf(key: SchemaMetadataKey): string[] {
  let names = NAMES.get(key);
  if (!names) {
    names = [...new Set([key.key, ...key.aliases].map(metadataName))];
    NAMES.set(key, names);
  }
  return names;
}

/** The document's entries (sidecar ones excluded) for a schema key or its aliases, in source order. */
export function entriesFor(doc: DesignDocument, key: SchemaMetadataKey | string): MetadataEntry[] {
  if (doc.metadata.length === 0) return [];
  const map = byName(doc);
  if (typeof key === 'string') return map.get(metadataName(key)) ?? [];
  const names = namesOf(key);
  if (names.length === 1) return (map.get(names[0] as string) ?? []).slice();
  const found = names.flatMap((name) => map.get(name) ?? []);
  return found.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/** True when a sidecar (`kep.yaml`) supplies the key, so the document need not repeat it. */
export function sidecarHas(doc: DesignDocument, key: SchemaMetadataKey): boolean {
  const names = namesOf(key);
  return doc.metadata.some((entry) => entry.source === 'sidecar' && names.includes(entry.name));
}

/** How a vocabulary word is written in a document: lower-case words (`in review`) in Title Case. */
export function displayWord(word: string): string {
  return word === word.toLowerCase()
    ? word.replace(/(^|[\s-])(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase())
    : word;
}
