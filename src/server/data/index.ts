/**
 * The data layer's entry and its one dialect switch: `openDatabase()` picks the engine from the
 * options and hands back the `Database` repository. Nothing outside this folder knows which
 * engine is in use.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './database.js';
import { KyselyDatabase } from './kysely-database.js';
import { createSqliteDriver } from './sqlite/sqlite-driver.js';

export * from './database.js';
export type { Cache, CacheStats } from './cache.js';
export { createLruCache, type LruCacheOptions } from './lru-cache.js';

export type DatabaseOptions = { dialect: 'sqlite'; file: string };

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
      return new KyselyDatabase(driver, queryTime);
    }
  }
}
