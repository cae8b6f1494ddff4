import type * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';

const TEXTS = ['', 'dd_abc123', 'Überblick — 概要 ✓\u0000 line\n'];

afterEach(() => {
  vi.doUnmock('node:crypto');
  vi.resetModules();
});

function expected(text: string, encoding: 'hex' | 'base64url'): string {
  return createHash('sha256').update(text, 'utf8').digest(encoding);
}

it('gives createHash digests of the UTF-8 text', async () => {
  const { sha256Digest } = await import('./sha256.js');
  for (const text of TEXTS) {
    expect(sha256Digest(text, 'hex')).toBe(expected(text, 'hex'));
    expect(sha256Digest(text, 'base64url')).toBe(expected(text, 'base64url'));
  }
});

it('works on a Node without the one-shot crypto.hash (before 20.12, which engines allow)', async () => {
  vi.doMock('node:crypto', async (importOriginal) => {
    // What an older Node's module namespace gives for it.
    const withoutHash = { ...(await importOriginal<typeof nodeCrypto>()), hash: undefined };
    return { ...withoutHash, default: withoutHash };
  });
  vi.resetModules();
  const { sha256Digest } = await import('./sha256.js');
  const { hashSecret } = await import('../server/services/accounts.js');
  const { sha256 } = await import('../server/services/document-analysis.js');
  for (const text of TEXTS) {
    expect(sha256Digest(text, 'hex')).toBe(expected(text, 'hex'));
    expect(hashSecret(text)).toBe(expected(text, 'base64url'));
    expect(sha256(text)).toBe(expected(text, 'hex'));
  }
});
