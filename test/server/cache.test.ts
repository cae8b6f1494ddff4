import { describe, expect, it } from 'vitest';
import { createLruCache } from '../../src/server/data/lru-cache.js';
import { describeCacheConformance } from './cache-conformance.js';

describeCacheConformance('lru', () => createLruCache());

describe('LRU cache bounds', () => {
  it('evicts the least recently used entries beyond its size', async () => {
    const cache = createLruCache({ maxSize: 100 });
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, 'v'.repeat(10));
    expect(await cache.get('k0')).toBeUndefined();
    expect(await cache.get('k19')).toBe('v'.repeat(10));
  });
});
