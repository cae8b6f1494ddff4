/**
 * JSON read through the cache, parsed once per distinct cached text: a hot document read otherwise
 * re-parses the same record and the same caller on every request. Parsed values are shared by every
 * caller of the process and deep-frozen so that none can change what another reads. The memo
 * belongs to the cache it mirrors (two servers in one process never share entries) and compares the
 * cached text itself, so a value is never newer or older than the cache's own.
 */
import type { Cache } from '../data/cache.js';

const MAX_ENTRIES = 20_000;
const memos = new WeakMap<Cache, Map<string, { raw: string; value: unknown }>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** `JSON.parse(raw)` for the entry `key` of `cache`, reusing the last parse while `raw` is unchanged. */
export function parseCachedJson<T>(cache: Cache, key: string, raw: string): T {
  let memo = memos.get(cache);
  if (!memo) {
    memo = new Map();
    memos.set(cache, memo);
  }
  const known = memo.get(key);
  if (known !== undefined && known.raw === raw) return known.value as T;
  const value = deepFreeze(JSON.parse(raw) as T);
  if (memo.size >= MAX_ENTRIES) memo.clear();
  memo.set(key, { raw, value });
  return value;
}
