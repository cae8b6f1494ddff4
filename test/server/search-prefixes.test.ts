import { expect, it } from 'vitest';
import { searchPrefixes } from '../../src/server/data/search-prefixes.js';

it('finds the prefixes both engines expand', () => {
  expect(searchPrefixes('cach*')).toEqual(['cach']);
  expect(searchPrefixes('title:mig* AND "feature fl"*')).toEqual(['mig', 'fl']);
  expect(searchPrefixes('ab_c*')).toEqual(['c']);
  expect(searchPrefixes('été*')).toEqual(['été']);
  // A star inside quotes is text, not a prefix; a star after nothing is the engine's syntax error.
  expect(searchPrefixes('"c*" redis')).toEqual([]);
  expect(searchPrefixes('*')).toEqual([]);
  expect(searchPrefixes('redis *')).toEqual([]);
});
