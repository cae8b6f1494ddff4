/**
 * The contract every `Cache` implementation passes: the LRU now, Redis with issue 5. Called with a
 * factory, like hono's shared router cases, so each implementation runs the very same tests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/server/data/cache.js';

export function describeCacheConformance(name: string, factory: () => Promise<Cache> | Cache): void {
  describe(`Cache conformance: ${name}`, () => {
    let cache: Cache;
    beforeEach(async () => {
      cache = await factory();
      await cache.clear();
    });
    afterEach(async () => {
      await cache.close();
    });

    it('returns undefined for a key never set, and counts a miss', async () => {
      const before = cache.stats();
      expect(await cache.get('absent')).toBeUndefined();
      expect(cache.stats().misses).toBe(before.misses + 1);
    });

    it('returns what was set, byte for byte, and counts a hit', async () => {
      const value = 'Ünïcödé — "quotes" \u0000 and\r\nCRLF 🚀';
      await cache.set('k', value);
      const before = cache.stats();
      expect(await cache.get('k')).toBe(value);
      expect(cache.stats().hits).toBe(before.hits + 1);
    });

    it('overwrites, and delete removes several keys at once', async () => {
      await cache.set('a', '1');
      await cache.set('a', '2');
      await cache.set('b', '3');
      expect(await cache.get('a')).toBe('2');
      await cache.delete('a', 'b', 'never-set');
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBeUndefined();
    });

    it('expires a value after its time to live', async () => {
      await cache.set('short', 'x', 40);
      await cache.set('long', 'y', 60_000);
      expect(await cache.get('short')).toBe('x');
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toBe('y');
    });

    it('clear empties the cache', async () => {
      await cache.set('a', '1');
      await cache.set('b', '2');
      await cache.clear();
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBeUndefined();
    });

    it('holds a large value intact', async () => {
      const big = 'x'.repeat(512 * 1024) + 'end';
      await cache.set('big', big);
      expect(await cache.get('big')).toBe(big);
    });

    it('keeps keys apart that differ only in case or punctuation', async () => {
      await cache.set('doc:A', 'upper');
      await cache.set('doc:a', 'lower');
      await cache.set('doc-a', 'dash');
      expect([await cache.get('doc:A'), await cache.get('doc:a'), await cache.get('doc-a')]).toEqual([
        'upper',
        'lower',
        'dash',
      ]);
    });
  });
}
