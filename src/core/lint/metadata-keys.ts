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

/** The document's entries (sidecar ones excluded) for a schema key or its aliases. */
export function entriesFor(doc: DesignDocument, key: SchemaMetadataKey | string): MetadataEntry[] {
  const names = typeof key === 'string' ? new Set([metadataName(key)]) : new Set([key.key, ...key.aliases].map(metadataName));
  return doc.metadata.filter((entry) => entry.source !== 'sidecar' && names.has(entry.name));
}

/** True when a sidecar (`kep.yaml`) supplies the key, so the document need not repeat it. */
export function sidecarHas(doc: DesignDocument, key: SchemaMetadataKey): boolean {
  const names = new Set([key.key, ...key.aliases].map(metadataName));
  return doc.metadata.some((entry) => entry.source === 'sidecar' && names.has(entry.name));
}
