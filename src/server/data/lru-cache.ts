/** The embedded cache: an in-process LRU bounded by total size (lru-cache). */
import { LRUCache } from 'lru-cache';
import type { Cache, CacheStats } from './cache.js';

export interface LruCacheOptions {
  /** Upper bound on the sum of value lengths (UTF-16 code units). Default 64 MiB worth. */
  maxSize?: number;
  /** Default time to live in ms; 0 means until evicted. */
  ttlMs?: number;
}

/** Creates the in-process LRU implementation of `Cache`. */
export function createLruCache(options: LruCacheOptions = {}): Cache {
  const lru = new LRUCache<string, string>({
    maxSize: options.maxSize ?? 32 * 1024 * 1024,
    sizeCalculation: (value, key) => value.length + key.length || 1,
    ttl: options.ttlMs ?? 0,
    ttlAutopurge: false,
  });
  const stats: CacheStats = { hits: 0, misses: 0 };
  return {
    async get(key) {
      const value = lru.get(key);
      if (value === undefined) stats.misses++;
      else stats.hits++;
      return value;
    },
    async set(key, value, ttlMs) {
      lru.set(key, value, ttlMs === undefined ? undefined : { ttl: ttlMs });
    },
    async delete(...keys) {
      for (const key of keys) lru.delete(key);
    },
    async clear() {
      lru.clear();
    },
    stats() {
      return { ...stats };
    },
    async close() {
      lru.clear();
    },
  };
}
