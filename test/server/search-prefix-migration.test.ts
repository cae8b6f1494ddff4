/**
 * Migration 0009 rebuilds SQLite's full-text index with prefix entries. Documents indexed before
 * it must still be found afterwards — by words, phrases and prefixes — with their highlights.
 * Migration 0010 then sets the rebuilt index to merge at eight segments (FTS5 keeps the setting in
 * the index's own config table).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/data/index.js';
import { sqliteMigrations } from '../../src/server/data/sqlite/migrations.js';

const NOW = '2026-11-27T12:00:00.000Z';
const ALL = { all: true, userId: null };
let dir = '';

const automerge = (raw: BetterSqlite3.Database) =>
  raw.prepare(`select v from documents_fts_config where k = 'automerge'`).pluck().get();

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('keeps every indexed document searchable when the index is rebuilt with prefixes', async () => {
  dir = mkdtempSync(join(tmpdir(), 'designdoc-test-'));
  const file = join(dir, 'designdoc.sqlite');
  const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(file) }) });
  const before = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0009'));
  const { error } = await new Migrator({
    db: old,
    provider: { getMigrations: async () => before },
  }).migrateToLatest();
  expect(error).toBeUndefined();
  const bodies = [
    'Caching in Redis keeps reads cheap.',
    'A cache per instance, then a shared one.',
    'Nothing here.',
  ];
  for (const [i, body] of bodies.entries()) {
    const id = i + 1;
    await sql`insert into documents (id, slug, title, template, status_raw, labels, current_revision, score, error_count, created_at, updated_at)
      values (${id}, ${`d${id}`}, ${`Doc ${id}`}, 'design-document', '', '[]', 1, 50, 0, ${NOW}, ${NOW})`.execute(
      old,
    );
    await sql`insert into documents_fts (rowid, title, metadata, body) values (${id}, ${`Doc ${id}`}, 'Status: Draft', ${body})`.execute(
      old,
    );
  }
  await old.destroy();

  const db = await openDatabase({ dialect: 'sqlite', file });
  try {
    const titles = async (query: string) =>
      (await db.search(query, { visibility: ALL, limit: 10 })).map((hit) => hit.title).sort();
    expect(await titles('ca*')).toEqual(['Doc 1', 'Doc 2']);
    expect(await titles('cach*')).toEqual(['Doc 1', 'Doc 2']);
    expect(await titles('cache')).toEqual(['Doc 1', 'Doc 2']);
    expect(await titles('"shared one"')).toEqual(['Doc 2']);
    expect(await titles('nothing')).toEqual(['Doc 3']);
    const [hit] = await db.search('redi*', { visibility: ALL, limit: 10 });
    expect(hit?.snippet).toContain('<mark>Redis</mark>');
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      const { sql: schema } = raw
        .prepare(`select sql from sqlite_master where name = 'documents_fts'`)
        .get() as {
        sql: string;
      };
      expect(schema).toContain(`prefix = '2 3 4'`);
      expect(automerge(raw)).toBe(8);
    } finally {
      raw.close();
    }
  } finally {
    await db.close();
  }
});

it('creates a new database with an index that merges at eight segments', async () => {
  dir = mkdtempSync(join(tmpdir(), 'designdoc-test-'));
  const file = join(dir, 'designdoc.sqlite');
  const db = await openDatabase({ dialect: 'sqlite', file });
  await db.close();
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    expect(automerge(raw)).toBe(8);
  } finally {
    raw.close();
  }
});
