/**
 * The search box's query language translated for PostgreSQL: the same queries SQLite's FTS5
 * accepts become equivalent tsquery text, and the malformed ones are refused with
 * DD_E_SEARCH_SYNTAX and a message naming the problem, never passed to the engine.
 */
import { describe, expect, it } from 'vitest';
import { DesignDocError } from '../../src/core/errors.js';
import { firstSearchWord, planSearchQuery, toTsQuery } from '../../src/server/data/postgres/search-query.js';

describe('toTsQuery', () => {
  it.each([
    ['cache', "'cache'"],
    ['redis cache', "'redis' & 'cache'"],
    ['redis AND cache', "'redis' & 'cache'"],
    ['redis OR memcached', "'redis' | 'memcached'"],
    ['redis NOT kafka', "'redis' & !'kafka'"],
    ['"feature flags"', "('feature' <-> 'flags')"],
    ['cach*', "'cach':*"],
    ['title:payments', "'payments':A"],
    ['metadata:draft body:latency*', "'draft':B & 'latency':*C"],
    ['(a OR b) c', "('a' | 'b') & 'c'"],
    ["o'brien", "'o' & 'brien'"],
    ['back\\slash', "'back' & 'slash'"],
    ['idempotency-keys', "'idempotency' & 'keys'"],
  ])('%s → %s', (query, expected) => {
    expect(toTsQuery(query)).toBe(expected);
  });

  it('returns null when there is nothing to search for', () => {
    expect(toTsQuery('')).toBeNull();
    expect(toTsQuery('  -- ')).toBeNull();
  });

  it.each([
    ['"unterminated', /unterminated string/],
    ['AND', /expected a word/],
    ['AND OR', /expected a word/],
    ['(((', /expected a word/],
    ['(redis', /expected "\)"/],
    ['redis)', /unexpected "\)"/],
    ['title:(', /expected a word/],
    ['nosuchcolumn:word', /no such column: nosuchcolumn/],
    ['redis NOT', /expected a word/],
  ])('refuses %s', (query, message) => {
    const error = (() => {
      try {
        toTsQuery(query);
        return null;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DesignDocError);
    expect((error as DesignDocError).code).toBe('DD_E_SEARCH_SYNTAX');
    expect((error as DesignDocError).message).toMatch(message);
  });

  it('finds the word a snippet window opens at: not a column name, not a negated word', () => {
    expect(firstSearchWord('title:Payments latency')).toBe('payments');
    expect(firstSearchWord('NOT kafka redis')).toBe('redis');
    expect(firstSearchWord('"Feature flags"')).toBe('feature');
    expect(firstSearchWord('"unterminated')).toBeNull();
  });
});

describe('planSearchQuery', () => {
  it.each([
    // Without a column every match needs: the whole query without weights, on titles.
    ['redis cache', { column: 'title', tsquery: "'redis' & 'cache'", required: false }],
    ['redis NOT kafka', { column: 'title', tsquery: "'redis' & !'kafka'", required: false }],
    ['title:redis OR cache', { column: 'title', tsquery: "'redis' | 'cache'", required: false }],
    ['body:redis', { column: 'title', tsquery: "'redis'", required: false }],
    // A column every match needs a hit in: what that hit is, on that column's own vector.
    ['title:payments', { column: 'title', tsquery: "'payments'", required: true }],
    ['title:payments latency', { column: 'title', tsquery: "'payments'", required: true }],
    [
      'title:"feature flags" NOT kafka',
      { column: 'title', tsquery: "('feature' <-> 'flags')", required: true },
    ],
    ['title:(a OR b) c', { column: 'title', tsquery: "('a' | 'b')", required: true }],
    ['title:a OR title:b', { column: 'title', tsquery: "'a' | 'b'", required: true }],
    ['metadata:draft redis', { column: 'metadata', tsquery: "'draft'", required: true }],
    ['metadata:draft OR title:billing', { column: 'title', tsquery: "'draft' | 'billing'", required: false }],
  ])('%s', (query, header) => {
    const plan = planSearchQuery(query);
    expect(plan?.tsquery).toBe(toTsQuery(query));
    expect(plan?.header).toEqual(header);
  });

  it('has nothing to plan for a query without words, and refuses what toTsQuery refuses', () => {
    expect(planSearchQuery(' -- ')).toBeNull();
    expect(() => planSearchQuery('title:(')).toThrow(/expected a word/);
  });
});
