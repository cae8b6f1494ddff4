/**
 * The Redis cache passes the same conformance suite as the LRU, and its invalidation holds across
 * instances: two caches on one Redis stand for two server processes.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
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

  /** A TCP relay in front of Redis that the test can cut and restore: Redis "going away". */
  async function relay(): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void> }> {
    const target = new URL(REDIS_URL);
    const sockets = new Set<Socket>();
    let server: Server;
    const listen = (port: number) =>
      new Promise<number>((resolve) => {
        server = createServer((client) => {
          const upstream = createConnection(Number(target.port || 6379), target.hostname);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('error', () => undefined);
            s.on('close', () => sockets.delete(s));
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
      });
    const port = await listen(0);
    return {
      url: `redis://127.0.0.1:${port}`,
      async cut() {
        await new Promise((resolve) => {
          server.close(resolve);
          for (const s of sockets) s.destroy();
        });
      },
      async restore() {
        await listen(port);
      },
    };
  }

  describe('Redis cache when Redis goes away', () => {
    it('misses instead of failing reads, fails the invalidation loudly, and flushes once Redis is back', async () => {
      const link = await relay();
      const cache = createRedisCache({ url: link.url, prefix: `${prefix}gone:` });
      await cache.set('doc:a', 'revision 1');
      expect(await cache.get('doc:a')).toBe('revision 1');
      await link.cut();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await cache.get('doc:a')).toBeUndefined();
      await cache.set('doc:b', 'not stored');
      await expect(cache.delete('doc:a')).rejects.toMatchObject({ code: 'DD_E_INTERNAL' });
      await link.restore();
      // ioredis reconnects on its own schedule; reads stay misses until the flush has happened.
      const deadline = Date.now() + 10_000;
      let value: string | undefined = 'unset';
      while (Date.now() < deadline) {
        value = await cache.get('doc:a');
        if (value === undefined && (await cache.set('doc:c', 'after'), await cache.get('doc:c')) === 'after')
          break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The entry the lost delete meant to remove is gone: the cache was flushed on recovery.
      expect(value).toBeUndefined();
      expect(await cache.get('doc:c')).toBe('after');
      await cache.clear();
      await cache.close();
      await link.cut();
    });
  });
} else {
  it.skip('Redis cache (Redis not available)', () => undefined);
}
