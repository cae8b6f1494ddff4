// The ASCII loop of `countWords` must count exactly what the Unicode regex counts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords, countWordsByRegex } from './thin-security.js';

const ASCII_PIECES = ['a', 'Z', '0', '9', "'", '.', '-', ' ', '\t', '_', '@', '`', '*', ':', '{', '['];
const PIECES = [...ASCII_PIECES, 'é', '’', '日本'];

describe('countWords', () => {
  // Mixed text mostly takes the regex fallback; ASCII-only text exercises the loop itself.
  for (const [name, pieces] of [
    ['random text', PIECES],
    ['random ASCII text', ASCII_PIECES],
  ] as const) {
    it(`agrees with the regex on ${name}`, () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
          const text = parts.join('');
          expect(countWords(text)).toBe(countWordsByRegex(text));
        }),
        { seed: 20261128, numRuns: 20_000 },
      );
    });
  }

  it('counts words of prose', () => {
    expect(countWords("TLS 1.3 everywhere; tokens can't leak - see RFC-9110.")).toBe(8);
    expect(countWords('')).toBe(0);
    expect(countWords('—')).toBe(0);
  });
});
