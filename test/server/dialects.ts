/**
 * The dialect loop: every server suite runs once per database dialect, as Kysely's own tests do.
 * PostgreSQL joins when it answers on the loopback (a fresh database per opened instance, dropped
 * afterwards); without it the loop prints SKIPPED and runs SQLite alone, unless CI=true.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/server/data/index.js';
import { createTestPostgresDatabase, requireServices } from '../support/services.js';

export interface DialectUnderTest {
  name: DatabaseOptions['dialect'];
  /** A fresh, empty database (a new file in a new temp folder) and its cleanup. */
  open(): Promise<{ db: Database; options: DatabaseOptions; dir: string; cleanup(): Promise<void> }>;
  /** For a test server: the `databaseUrl` setting (null = the data folder's SQLite file) and its cleanup. */
  serverDatabase(): Promise<{ databaseUrl: string | null; cleanup(): Promise<void> }>;
}

export const DIALECTS: DialectUnderTest[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'designdoc-test-'));
      const options: DatabaseOptions = { dialect: 'sqlite', file: join(dir, 'designdoc.sqlite') };
      const db = await openDatabase(options);
      return {
        db,
        options,
        dir,
        async cleanup() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    async serverDatabase() {
      return { databaseUrl: null, async cleanup() {} };
    },
  },
];

if (await requireServices('server suites on PostgreSQL', 'postgres')) {
  DIALECTS.push({
    name: 'postgres',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'designdoc-test-'));
      const database = await createTestPostgresDatabase();
      const options: DatabaseOptions = { dialect: 'postgres', url: database.url };
      const db = await openDatabase(options);
      return {
        db,
        options,
        dir,
        async cleanup() {
          await db.close();
          await database.drop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    async serverDatabase() {
      const database = await createTestPostgresDatabase();
      return { databaseUrl: database.url, cleanup: () => database.drop() };
    },
  });
}

/** `describe` once per dialect; the callback receives the dialect to open databases with. */
export function describeEachDialect(title: string, body: (dialect: DialectUnderTest) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect.name}]`, () => body(dialect));
  }
}
