/**
 * The Redis cache passes the same conformance suite as the LRU, and its invalidation holds across
 * instances: two caches on one Redis stand for two server processes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../../src/server/data/redis-cache.js';
import { REDIS_URL, requireServices, runScopedName } from '../support/services.js';
import { describeCacheConformance } from '../server/cache-conformance.js';

const available = await requireServices('Redis cache', 'redis');
const prefix = `${runScopedName('designdoc_test')}:`;

if (available) {
  describeCacheConformance('redis', () => createRedisCache({ url: REDIS_URL, prefix }));

  describe('Redis cache across instances', () => {
    const a = createRedisCache({ url: REDIS_URL, prefix: `${prefix}x:` });
    const b = createRedisCache({ url: REDIS_URL, prefix: `${prefix}x:` });
    afterAll(async () => {
      await a.clear();
      await a.close();
      await b.close();
    });

    it('a delete on one instance is seen by the next read on another', async () => {
      await a.set('doc:payments', 'revision 3');
      expect(await b.get('doc:payments')).toBe('revision 3');
      await b.delete('doc:payments');
      expect(await a.get('doc:payments')).toBeUndefined();
    });

    it('refuses to put back a value read before a delete (the fill race)', async () => {
      await a.set('doc:race', 'old');
      // Instance A reads the database (old), instance B writes and invalidates, A fills the cache late.
      const staleFromDatabase = 'old';
      await b.delete('doc:race');
      await a.set('doc:race', staleFromDatabase);
      expect(await b.get('doc:race')).toBeUndefined();
    });

    it('fills again once the tombstone has expired', async () => {
      const short = createRedisCache({ url: REDIS_URL, prefix: `${prefix}y:`, tombstoneMs: 30 });
      await short.delete('k');
      await short.set('k', 'refused');
      expect(await short.get('k')).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 80));
      await short.set('k', 'fresh');
      expect(await short.get('k')).toBe('fresh');
      await short.clear();
      await short.close();
    });
  });
} else {
  it.skip('Redis cache (Redis not available)', () => undefined);
}
