// The ASCII loop of `countWords` must count exactly what the Unicode regex counts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords, countWordsByRegex } from './thin-security.js';

const PIECES = [
  'a',
  'Z',
  '0',
  '9',
  "'",
  '.',
  '-',
  ' ',
  '\t',
  '_',
  '@',
  '`',
  '*',
  ':',
  'é',
  '’',
  '日本',
  '{',
  '[',
];

describe('countWords', () => {
  it('agrees with the regex on random text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(countWords(text)).toBe(countWordsByRegex(text));
      }),
      { seed: 20261128, numRuns: 20_000 },
    );
  });

  it('agrees with the regex on random ASCII text (the loop, not the fallback)', () => {
    const ascii = PIECES.filter((piece) => [...piece].every((char) => char.charCodeAt(0) < 128));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ascii), { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(countWords(text)).toBe(countWordsByRegex(text));
      }),
      { seed: 20261128, numRuns: 20_000 },
    );
  });

  it('counts words of prose', () => {
    expect(countWords("TLS 1.3 everywhere; tokens can't leak - see RFC-9110.")).toBe(8);
    expect(countWords('')).toBe(0);
    expect(countWords('—')).toBe(0);
  });
});
