/**
 * SHA-256 digests of text in one call. The one-shot `crypto.hash` costs about a third of a
 * `createHash` object for the short texts hashed here (a token on every authenticated request, each
 * section and extract on every save), but it arrived in Node 20.12 while the package supports
 * 20.10: a named import of it fails to link there and takes the whole server down, so it is looked
 * up when this module loads and `createHash` stands in where it is missing.
 */
import * as crypto from 'node:crypto';

type Digest = 'hex' | 'base64url';

const oneShot = (crypto as Partial<typeof crypto>).hash;

/** SHA-256 of `text` (as UTF-8) in `encoding`. */
export function sha256Digest(text: string, encoding: Digest): string {
  if (oneShot) return oneShot('sha256', text, encoding);
  return crypto.createHash('sha256').update(text, 'utf8').digest(encoding);
}
