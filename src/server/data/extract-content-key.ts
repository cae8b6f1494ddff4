/**
 * The key a stored extract row carries so that a save can tell an unchanged extract from a changed
 * one without reading the old rows' text back: a SHA-256 of everything the row holds but its line.
 * Computed with the rest of a save's analysis (on an analysis thread when the server has one), so
 * the request thread only compares keys.
 */
import { sha256Digest } from '../../node/sha256.js';
import type { ExtractRecord } from './database.js';

export function extractContentKey(extract: ExtractRecord): string {
  const checked = extract.checked === null ? '' : extract.checked ? '1' : '0';
  return sha256Digest(
    `${extract.kind}\u0000${extract.section}\u0000${extract.label}\u0000${extract.value}\u0000${checked}`,
    'base64url',
  );
}
