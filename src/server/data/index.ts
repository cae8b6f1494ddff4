/**
 * The data layer's entry and its one dialect switch: `openDatabase()` picks the engine from the
 * options and hands back the `Database` repository. Nothing outside this folder knows which
 * engine is in use.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { dirname } from 'node:path';
import type { Cache } from './cache.js';
import type * as CopyModule from './postgres/copy-from-sqlite.js';
import type { Database } from './database.js';
import { withEvents } from './event-emitting-database.js';
import { KyselyDatabase } from './kysely-database.js';
import { createLruCache } from './lru-cache.js';
import { createSqliteDriver } from './sqlite/sqlite-driver.js';

export * from './database.js';
export * from './events.js';
export type { Cache, CacheStats } from './cache.js';
export { createLruCache, type LruCacheOptions } from './lru-cache.js';
export type { RedisCacheOptions } from './redis-cache.js';
export type { CopyReport, TableVerification } from './postgres/copy-from-sqlite.js';

// PostgreSQL (pg) and Redis (ioredis) clients load only when a deployment names them: the
// embedded default starts without paying for either.

/** `designdoc migrate`'s copy of an embedded SQLite database into PostgreSQL (see copy-from-sqlite). */
export async function copySqliteToPostgres(
  ...args: Parameters<typeof CopyModule.copySqliteToPostgres>
): ReturnType<typeof CopyModule.copySqliteToPostgres> {
  const { copySqliteToPostgres: copy } = await import('./postgres/copy-from-sqlite.js');
  return copy(...args);
}

/**
 * The cache for a configuration: Redis when a URL is given (shared by every instance), else the
 * in-process LRU. Redis keys are prefixed per database, so deployments and test runs that share
 * one Redis never read each other's entries.
 */
export async function openCache(config: {
  redisUrl?: string | null;
  databaseUrl?: string | null;
  sqliteFile?: string;
}): Promise<Cache> {
  const url = config.redisUrl ?? null;
  if (url === null || url === '') return createLruCache();
  const { createRedisCache, checkRedisReachable } = await import('./redis-cache.js');
  // Reads survive a Redis outage, but writes fail their invalidation: a Redis that does not
  // answer at start (a wrong URL, a server not running) stops the command instead.
  await checkRedisReachable(url);
  return createRedisCache({ url, prefix: redisPrefix(config) });
}

/** `designdoc:<hash of the database>:` — one deployment's keys in a Redis others may share. */
function redisPrefix(config: { databaseUrl?: string | null; sqliteFile?: string }): string {
  return `designdoc:${createHash('sha256')
    .update(config.databaseUrl ?? config.sqliteFile ?? '')
    .digest('hex')
    .slice(0, 12)}:`;
}

/**
 * The store for rate-limit counters shared by every instance (@fastify/rate-limit's `redis` and
 * `nameSpace` options), or null without a Redis URL (each process counts for itself). The caller
 * closes the client.
 */
export async function openRateLimitStore(config: {
  redisUrl?: string | null;
  databaseUrl?: string | null;
  sqliteFile?: string;
}): Promise<{ redis: Redis; nameSpace: string } | null> {
  const url = config.redisUrl ?? null;
  if (url === null || url === '') return null;
  const { Redis } = await import('ioredis');
  // Fail fast: a request must not wait on a Redis that is down (the limiter then lets it through).
  const redis = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  return { redis, nameSpace: `${redisPrefix(config)}rate-limit:` };
}

export type DatabaseOptions =
  { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; poolSize?: number };

/**
 * The one place a configuration becomes a dialect: a `postgres://` database URL selects
 * PostgreSQL, anything else keeps the embedded SQLite file in the data folder.
 */
export function databaseOptionsFor(config: {
  databaseUrl?: string | null;
  sqliteFile: string;
}): DatabaseOptions {
  const url = config.databaseUrl ?? null;
  if (url !== null && url !== '') return { dialect: 'postgres', url };
  return { dialect: 'sqlite', file: config.sqliteFile };
}

/** Opens the database, brings its schema up to date, and returns the repository. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const queryTime = { seconds: 0 };
  const onQuery = (millis: number): void => {
    queryTime.seconds += millis / 1000;
  };
  switch (options.dialect) {
    case 'sqlite': {
      if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
      const driver = createSqliteDriver({ file: options.file, onQuery });
      await driver.migrate();
      return withEvents(new KyselyDatabase(driver, queryTime));
    }
    case 'postgres': {
      const { createPostgresDriver } = await import('./postgres/postgres-driver.js');
      const driver = createPostgresDriver({
        url: options.url,
        ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
        onQuery,
      });
      await driver.migrate();
      return withEvents(new KyselyDatabase(driver, queryTime));
    }
  }
}
