/**
 * The cache every service talks to. Values are strings (callers serialise) so the in-process LRU
 * and a shared Redis implement the same contract; `test/server/cache-conformance.ts` holds the
 * suite every implementation must pass.
 */

export interface CacheStats {
  hits: number;
  misses: number;
}

export interface Cache {
  /** The value, or undefined when absent or expired. Counts a hit or a miss. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value`; `ttlMs` bounds its life (default: the cache's own). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Removes the keys; absent keys are fine. */
  delete(...keys: string[]): Promise<void>;
  /** Removes everything this cache holds. */
  clear(): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
}
