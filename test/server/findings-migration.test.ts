/**
 * Migration 0008 moves each revision's findings from a row per finding into one JSON column on the
 * revision row. A database written before it must come back with the same findings, in reading
 * order, for every revision — on each dialect.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Dialect, type Migration } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openDatabase, type DatabaseOptions } from '../../src/server/data/index.js';
import { postgresMigrations } from '../../src/server/data/postgres/migrations.js';
import { sqliteMigrations } from '../../src/server/data/sqlite/migrations.js';
import { createTestPostgresDatabase } from '../support/services.js';
import { describeEachDialect } from './dialects.js';

const NOW = '2026-11-27T12:00:00.000Z';

/** The findings table as migrations before 0008 made it, with rows out of reading order. */
const OLD_FINDINGS = [
  {
    revision: 1,
    rule_id: 'DD004',
    rule: 'empty-section',
    severity: 'warning',
    message: 'b',
    line: 9,
    column: 1,
  },
  {
    revision: 1,
    rule_id: 'DD001',
    rule: 'required-section-missing',
    severity: 'error',
    message: 'a',
    line: 2,
    column: 5,
  },
  {
    revision: 1,
    rule_id: 'DD005',
    rule: 'empty-field',
    severity: 'warning',
    message: 'c',
    line: 2,
    column: 1,
  },
  {
    revision: 2,
    rule_id: 'DD009',
    rule: 'metadata-invalid',
    severity: 'error',
    message: 'it\'s "quoted"',
    line: 1,
    column: 1,
  },
];

function migrationsBefore(all: Record<string, Migration>, name: string): Record<string, Migration> {
  return Object.fromEntries(Object.entries(all).filter(([key]) => key < name));
}

/** Writes a document with two revisions and the old findings rows through the old schema. */
async function writeOldDatabase(dialect: Dialect, migrations: Record<string, Migration>): Promise<void> {
  const db = new Kysely<unknown>({ dialect });
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
    await sql`insert into users (username, display_name, role, created_at) values ('ada', 'Ada', 'member', ${NOW})`.execute(
      db,
    );
    await sql`insert into documents (slug, title, template, status_raw, author_id, labels, current_revision, score, error_count, created_at, updated_at)
      values ('d', 'D', 'design-document', '', 1, '[]', 2, 50, 1, ${NOW}, ${NOW})`.execute(db);
    for (const number of [1, 2, 3])
      await sql`insert into revisions (document_id, number, text, sha256, author_id, message, section_hashes, created_at)
        values (1, ${number}, 'text', 'sha', 1, '', '{}', ${NOW})`.execute(db);
    for (const f of OLD_FINDINGS)
      await sql`insert into findings (document_id, revision, rule_id, rule, severity, message, line, "column", end_line, end_column)
        values (1, ${f.revision}, ${f.rule_id}, ${f.rule}, ${f.severity}, ${f.message}, ${f.line}, ${f.column}, ${f.line}, ${f.column + 3})`.execute(
        db,
      );
  } finally {
    await db.destroy();
  }
}

const asRecord = (f: (typeof OLD_FINDINGS)[number]) => ({
  ruleId: f.rule_id,
  rule: f.rule,
  severity: f.severity,
  message: f.message,
  line: f.line,
  column: f.column,
  endLine: f.line,
  endColumn: f.column + 3,
});

describeEachDialect('findings migration (0008)', (dialect) => {
  it('moves every revision’s findings into the revision row, in reading order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'designdoc-test-'));
    let options: DatabaseOptions;
    let drop = async () => {};
    if (dialect.name === 'sqlite') {
      const file = join(dir, 'designdoc.sqlite');
      await writeOldDatabase(
        new SqliteDialect({ database: new BetterSqlite3(file) }),
        migrationsBefore(sqliteMigrations, '0008'),
      );
      options = { dialect: 'sqlite', file };
    } else {
      const database = await createTestPostgresDatabase();
      drop = () => database.drop();
      await writeOldDatabase(
        new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }),
        migrationsBefore(postgresMigrations, '0008'),
      );
      options = { dialect: 'postgres', url: database.url };
    }
    try {
      const db = await openDatabase(options);
      try {
        // Line 2 column 1, line 2 column 5, line 9.
        expect(await db.listFindings(1, 1)).toEqual([2, 1, 0].map((i) => asRecord(OLD_FINDINGS[i]!)));
        expect(await db.listFindings(1, 2)).toEqual([asRecord(OLD_FINDINGS[3]!)]);
        expect(await db.listFindings(1, 3)).toEqual([]);
        expect(await db.listFindings(1, 4)).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
