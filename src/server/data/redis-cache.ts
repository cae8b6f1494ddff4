/**
 * The shared cache: Redis behind the same `Cache` contract as the in-process LRU, so every server
 * instance reads one store. There is deliberately no in-process tier in front of it: a delete is
 * one Redis command the writer awaits before its response goes out, after which no instance can
 * read the old entry — invalidation reaches every instance without messages to acknowledge.
 *
 * What remains is cache-aside's fill race: a reader that loaded a record from the database just
 * before a write could put the old record back just after the writer's delete. A delete therefore
 * leaves a short-lived tombstone, and a set is refused (one Lua script, atomic) while a tombstone
 * for its key lives. A reader would have to hold a value for longer than the tombstone's life
 * between its database read and its cache write to restore an older record.
 *
 * When Redis is unreachable, reads miss (the database answers) and fills are dropped; a delete that
 * cannot reach Redis fails the request that made it (its change is committed, the old entry may
 * survive), and this cache is flushed before it is read again.
 */
import { Redis } from 'ioredis';
import { DesignDocError } from '../../core/errors.js';
import type { Cache, CacheStats } from './cache.js';
import { unreachableError } from './connection-errors.js';

export interface RedisCacheOptions {
  /** `redis://host:port/db` */
  url: string;
  /** Prepended to every key, so deployments (and test runs) can share one Redis. */
  prefix?: string;
  /** Default time to live in ms (default one day; 0 keeps values until evicted or deleted). */
  ttlMs?: number;
  /** How long a delete refuses sets of the same key, in ms (default 10 s). */
  tombstoneMs?: number;
}

const SET_UNLESS_TOMBSTONED = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

/**
 * Connects once to the Redis at `url` and asks it for a PING, with a deadline; throws
 * DD_E_DATABASE_UNREACHABLE naming host:port and the reason when it does not answer.
 */
export async function checkRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // ioredis rejects connect() with "Connection is closed."; the socket's own error comes as an event.
  let cause: unknown = null;
  probe.on('error', (error: unknown) => {
    cause ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const unreachable = unreachableError(
      'Redis',
      url,
      cause ?? error,
      'check the Redis URL and that Redis runs there and accepts this client',
    );
    throw unreachable ?? error;
  } finally {
    // disconnect() on a client that already ended holds the process for two seconds.
    if (probe.status !== 'end') probe.disconnect();
  }
}

/** Creates the Redis implementation of `Cache`; `close()` ends its connection. */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const prefix = options.prefix ?? 'designdoc:';
  const ttlDefault = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const tombstoneMs = options.tombstoneMs ?? 10_000;
  // No offline queue: while Redis is away a command fails at once instead of holding a request.
  const redis = new Redis(options.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
  });
  redis.on('error', () => undefined);
  redis.defineCommand('setUnlessTombstoned', { numberOfKeys: 2, lua: SET_UNLESS_TOMBSTONED });
  const firstReady = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  const valueKey = (key: string) => `${prefix}v:${key}`;
  const tombKey = (key: string) => `${prefix}t:${key}`;
  const stats: CacheStats = { hits: 0, misses: 0 };
  // Set when a delete could not reach Redis: the entry it meant to remove may still be there, so
  // everything this deployment cached is dropped before the cache is used again.
  let dirty = false;

  async function connected(): Promise<void> {
    if (redis.status === 'ready') return;
    // Only the first connection is waited for (start-up); later outages fail fast.
    await Promise.race([firstReady, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }

  async function clearAll(): Promise<void> {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await redis.unlink(...found);
    } while (cursor !== '0');
  }

  /** True when the cache may be read: connected, and flushed after a lost delete. */
  async function usable(): Promise<boolean> {
    await connected();
    if (!dirty) return true;
    try {
      await clearAll();
      dirty = false;
      return true;
    } catch {
      return false;
    }
  }

  return {
    async get(key) {
      let value: string | null = null;
      try {
        // Redis unreachable is a miss: the caller reads the database, which is always right.
        if (await usable()) value = await redis.get(valueKey(key));
      } catch {
        value = null;
      }
      if (value === null) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      return value;
    },

    async set(key, value, ttlMs) {
      try {
        if (!(await usable())) return;
        await (
          redis as unknown as {
            setUnlessTombstoned(k1: string, k2: string, v: string, ttl: number): Promise<number>;
          }
        ).setUnlessTombstoned(valueKey(key), tombKey(key), value, ttlMs ?? ttlDefault);
      } catch {
        // A value not cached is only a later miss.
      }
    },

    async delete(...keys) {
      if (keys.length === 0) return;
      try {
        await connected();
        const multi = redis.multi();
        for (const key of keys) {
          multi.del(valueKey(key));
          multi.set(tombKey(key), '1', 'PX', tombstoneMs);
        }
        const results = await multi.exec();
        const failed = results?.find(([error]) => error !== null);
        if (results === null || failed) throw failed?.[0] ?? new Error('transaction aborted');
      } catch (error) {
        // The write has committed but its old entry may survive: say so, and flush on recovery.
        dirty = true;
        throw new DesignDocError(
          'DD_E_INTERNAL',
          'The shared cache (Redis) could not be invalidated; the change is saved, and the cache is flushed when Redis is back.',
          {
            cause: error,
          },
        );
      }
    },

    async clear() {
      await connected();
      await clearAll();
      dirty = false;
    },

    stats() {
      return { ...stats };
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
