/**
 * The dialect loop: every server suite runs once per database dialect, as Kysely's own tests do.
 * Only SQLite exists now; issue 5 adds `postgres` here and every suite picks it up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/server/data/index.js';

export interface DialectUnderTest {
  name: DatabaseOptions['dialect'];
  /** A fresh, empty database (a new file in a new temp folder) and its cleanup. */
  open(): Promise<{ db: Database; options: DatabaseOptions; dir: string; cleanup(): Promise<void> }>;
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
  },
];

/** `describe` once per dialect; the callback receives the dialect to open databases with. */
export function describeEachDialect(title: string, body: (dialect: DialectUnderTest) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect.name}]`, () => body(dialect));
  }
}
