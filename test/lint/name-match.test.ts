import { expect, it } from 'vitest';
import { infosMatch, nameInfo } from '../../src/core/lint/name-match.js';

it('remembers the words of a short name, so a run derives them once per distinct name', () => {
  // A name sliced out of a larger text, as names are out of their document.
  const source = 'Overview: Payments API, Ledger Service';
  const first = nameInfo(source.slice(10, 22));
  expect(first.words).toEqual(['payment', 'api']);
  expect(nameInfo('Payments API')).toBe(first);
});

it('does not remember long names, and still matches them', () => {
  const long = `${'Very '.repeat(40)}Long Payments Gateway`;
  expect(nameInfo(long)).not.toBe(nameInfo(long));
  expect(infosMatch(nameInfo(long), nameInfo('Payments Gateway'))).toBe(true);
});
