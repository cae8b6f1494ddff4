/**
 * Metadata lookups shared by the metadata rules: which entries a schema key (or one of its
 * aliases) names, with entries from a sidecar file kept apart because their ranges are not in the
 * document text.
 */
import { DocumentMap } from '../document-cache.js';
import type { DesignDocument, MetadataEntry } from '../model.js';
import { metadataKeyName } from '../parse/metadata/metadata-key.js';
import { STATUS_KEYS, TYPE_KEYS, VERSION_KEYS } from '../parse/metadata/metadata-key.js';
import type { SchemaMetadataKey } from '../template/schema.js';
import { byStartOffset } from '../source-order.js';

/**
 * Names the parser itself reads as the same thing: a document whose status is on a `State:` line
 * has a status (the model shows it), so a rule must not call it missing.
 */
const EQUIVALENT: ReadonlyMap<string, readonly string[]> = new Map([
  ['status', STATUS_KEYS],
  ['type', TYPE_KEYS],
  ['version', VERSION_KEYS],
  ['author', ['author', 'authors', 'author-s']],
  ['authors', ['authors', 'author', 'author-s']],
  ['owner', ['owner', 'owners', 'owner-s']],
  ['owners', ['owners', 'owner', 'owner-s']],
]);

const BY_NAME = new DocumentMap<Map<string, MetadataEntry[]>>();

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
    names = [...new Set([key.key, ...key.aliases].map(metadataKeyName))];
    NAMES.set(key, names);
  }
  return names;
}

/** The document's entries (sidecar ones excluded) for a schema key or its aliases, in source order. */
export function entriesFor(doc: DesignDocument, key: SchemaMetadataKey | string): MetadataEntry[] {
  if (doc.metadata.length === 0) return [];
  const map = byName(doc);
  if (typeof key === 'string') return map.get(metadataKeyName(key)) ?? [];
  const names = namesOf(key);
  if (names.length === 1) return (map.get(names[0] as string) ?? []).slice();
  const found = names.flatMap((name) => map.get(name) ?? []);
  return found.sort(byStartOffset);
}

const PRESENCE_NAMES = new WeakMap<SchemaMetadataKey, ReadonlySet<string>>();

/** A schema key's names plus what the parser reads as the same key (`State` for `Status`). */
function presenceNamesOf(key: SchemaMetadataKey): ReadonlySet<string> {
  let names = PRESENCE_NAMES.get(key);
  if (!names) {
    const own = namesOf(key);
    names = new Set([...own, ...own.flatMap((name) => EQUIVALENT.get(name) ?? [])]);
    PRESENCE_NAMES.set(key, names);
  }
  return names;
}

/**
 * Whether the document (or its sidecar) gives the key at all, under its own names, its aliases or
 * a name the parser treats as the same key. Values are checked only under the key's own names.
 */
export function hasMetadataFor(doc: DesignDocument, key: SchemaMetadataKey): boolean {
  const names = presenceNamesOf(key);
  return doc.metadata.some((entry) => names.has(entry.name));
}

/** How a vocabulary word is written in a document: lower-case words (`in review`) in Title Case. */
export function displayWord(word: string): string {
  return word === word.toLowerCase()
    ? word.replace(/(^|[\s-])(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase())
    : word;
}
