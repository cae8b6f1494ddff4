/**
 * `designdoc restore` on each dialect, through the command itself: a real SQLite file in a temp
 * folder, and the real PostgreSQL on the loopback (a fresh database per test, dropped afterwards)
 * with the real pg_dump and pg_restore. A backup goes back complete; a database that holds data is
 * replaced only with --force; a backup of the other dialect, or no designdoc backup at all, is
 * refused naming the file and what it is; without pg_restore the refusal prints the exact command;
 * a failing pg_restore leaves the database as it was and never shows the password.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { run as backup } from '../../src/cli/commands/backup.js';
import { run as restore } from '../../src/cli/commands/restore.js';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/server/data/index.js';
import { openServices } from '../../src/server/index.js';
import { createDocument, systemActor } from '../../src/server/services/index.js';
import {
  createTestPostgresDatabase,
  requireServices,
  type TestPostgresDatabase,
} from '../support/services.js';
import { captureCli, refusal } from '../support/cli-io.js';
import { seedBackupData as seed } from './fixtures.js';

const PATH = process.env.PATH ?? '';

function cli(cwd: string, env: NodeJS.ProcessEnv = { PATH }): CliIO & { out: () => string } {
  return captureCli(cwd, env);
}

/** A document written after the backup was taken: a restore must take it away. */
async function addLaterDocument(dataDir: string, databaseUrl: string | null): Promise<void> {
  const ctx = await openServices({ dataDir, templatesDir: null, finalCommentDays: 0, databaseUrl });
  try {
    await createDocument(ctx, systemActor(), {
      markdown: '# Later\n\nStatus: Draft\n\n## Summary\n\nAfter.\n',
    });
  } finally {
    await ctx.db.close();
  }
}

async function withDatabase<T>(options: DatabaseOptions, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(options);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

async function documentCount(db: Database): Promise<number> {
  return (await db.countDocumentsByStatus()).reduce((sum, row) => sum + row.count, 0);
}

async function expectComplete(db: Database): Promise<void> {
  const ledger = await db.getDocumentBySlug('ledger');
  expect(ledger?.currentRevision).toBe(2);
  expect((await db.getRevision(ledger?.id ?? -1, 2))?.text).toContain('Why ledger, revised.');
  expect(await documentCount(db)).toBe(3);
  expect(await db.getDocumentBySlug('later')).toBeNull();
  expect(await db.search('payments', { visibility: { all: true, userId: null }, limit: 5 })).toHaveLength(1);
  expect((await db.events.listWebhooks()).map((w) => w.secret)).toEqual(['whsec_kept']);
}

/** Tables in the public schema of a PostgreSQL database (and the server's own catalog answers). */
async function pgQuery<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

async function publicTables(url: string): Promise<string[]> {
  return (
    await pgQuery<{ name: string }>(
      url,
      `select tablename as name from pg_tables where schemaname = 'public' order by 1`,
    )
  ).map((row) => row.name);
}

/** The same URL carrying a password (the loopback server trusts its clients, so it is never checked). */
function withPassword(url: string): string {
  const out = url.replace('postgres://postgres@', 'postgres://postgres:s3cr%40t@');
  expect(out).not.toBe(url);
  return out;
}

describe('designdoc restore [sqlite]', () => {
  let dir: string;
  let source: string;
  let file: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-restore-'));
    source = join(dir, 'data');
    await seed(source, null);
    file = join(dir, 'designdoc.backup');
    expect(await backup([file, '--data', source], cli(dir))).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts a backup back into a new data folder, complete', async () => {
    const target = join(dir, 'restored');
    const io = cli(dir);
    expect(await restore([file, '--data', target], io)).toBe(0);
    expect(io.out()).toBe(`designdoc: restored ${file} (3 documents) into ${target}\n`);
    await withDatabase({ dialect: 'sqlite', file: join(target, 'designdoc.sqlite') }, expectComplete);
    // The backup itself is never changed by a restore (it is checked on a copy).
    expect(readdirSync(target).sort()).toEqual(['designdoc.sqlite']);
  });

  it('replaces a database that holds data only with --force, and keeps the one it replaced', async () => {
    await addLaterDocument(source, null);
    const error = await refusal(restore([file, '--data', source], cli(dir)));
    expect(error.code).toBe('DD_E_DATABASE_NOT_EMPTY');
    expect(error.message).toMatch(/already holds a database \(designdoc\.sqlite, \d+ bytes, last written/);
    expect(error.message).toContain('pass --force to replace it');
    const live = join(source, 'designdoc.sqlite');
    await withDatabase({ dialect: 'sqlite', file: live }, async (db) =>
      expect(await documentCount(db)).toBe(4),
    );

    const io = cli(dir);
    expect(await restore([file, '--data', source, '--force'], io)).toBe(0);
    expect(io.out()).toContain(
      `(3 documents) into ${source}; the database it replaced is kept as ${live}.before-restore`,
    );
    await withDatabase({ dialect: 'sqlite', file: live }, expectComplete);
    await withDatabase({ dialect: 'sqlite', file: `${live}.before-restore` }, async (db) => {
      expect(await documentCount(db)).toBe(4);
      expect((await db.getDocumentBySlug('later'))?.title).toBe('Later');
    });
  });

  it('refuses files that are not a designdoc backup, naming the file and what it is', async () => {
    const target = join(dir, 'untouched');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    let error = await refusal(restore([text, '--data', target], cli(dir)));
    expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
    expect(error.message).toBe(
      `${text} is text, neither a SQLite database nor a pg_dump archive: not a designdoc backup`,
    );

    const foreign = join(dir, 'other-app.sqlite');
    const other = new BetterSqlite3(foreign);
    other.exec('create table notes (id integer primary key, body text)');
    other.close();
    error = await refusal(restore([foreign, '--data', target], cli(dir)));
    expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
    expect(error.message).toBe(
      `${foreign} is a SQLite database, but not a designdoc one (its tables: notes)`,
    );

    const empty = join(dir, 'empty.backup');
    writeFileSync(empty, '');
    error = await refusal(restore([empty, '--data', target], cli(dir)));
    expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
    expect(error.message).toContain(`${empty} is an empty file`);
    // Nothing was put in place, not even a half-checked copy.
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  });

  it('refuses while a server runs on the data folder', async () => {
    writeFileSync(join(source, 'server.pid'), String(process.pid));
    const error = await refusal(restore([file, '--data', source, '--force'], cli(dir)));
    expect(error.code).toBe('DD_E_CONFLICT');
    expect(error.message).toContain(`a server (pid ${process.pid}) is running on ${source}`);
  });
});

const postgres = await requireServices('designdoc restore on PostgreSQL', 'postgres');

describe.skipIf(!postgres)('designdoc restore [postgres]', () => {
  let dir: string;
  let source: TestPostgresDatabase;
  let target: TestPostgresDatabase;
  let file: string;
  const data = () => join(dir, 'data');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-restore-pg-'));
    source = await createTestPostgresDatabase();
    target = await createTestPostgresDatabase();
    await seed(data(), source.url);
    file = join(dir, 'designdoc.dump');
    expect(await backup([file, '--data', data(), '--database-url', source.url], cli(dir))).toBe(0);
  });
  afterEach(async () => {
    await source.drop();
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a pg_dump archive into an empty database with pg_restore, complete', async () => {
    const url = withPassword(target.url);
    const io = cli(dir);
    expect(await restore([file, '--data', data(), '--database-url', url], io)).toBe(0);
    expect(io.out()).toBe(
      `designdoc: restored ${file} (3 documents) into ${url.replace(':s3cr%40t@', ':…@')} with pg_restore\n`,
    );
    await withDatabase({ dialect: 'postgres', url: target.url }, expectComplete);
  });

  it('replaces a database that holds data only with --force, and then exactly', async () => {
    await addLaterDocument(data(), source.url);
    const error = await refusal(restore([file, '--database-url', source.url], cli(dir)));
    expect(error.code).toBe('DD_E_DATABASE_NOT_EMPTY');
    expect(error.message).toBe(
      `${source.url} is not empty: it holds a designdoc database with 4 documents. Restore into an empty database (createdb), or pass --force to replace what it holds with the backup (take a designdoc backup of it first if you may need it)`,
    );
    await withDatabase({ dialect: 'postgres', url: source.url }, async (db) =>
      expect(await documentCount(db)).toBe(4),
    );

    const io = cli(dir);
    expect(await restore([file, '--database-url', source.url, '--force'], io)).toBe(0);
    expect(io.out()).toMatch(/\(3 documents\) into .* with pg_restore, replacing its \d+ tables\n$/);
    await withDatabase({ dialect: 'postgres', url: source.url }, expectComplete);
  });

  it('with --force, still refuses a database holding tables the backup does not', async () => {
    await pgQuery(source.url, 'create table extra_notes (id int)');
    const error = await refusal(restore([file, '--database-url', source.url, '--force'], cli(dir)));
    expect(error.code).toBe('DD_E_DATABASE_NOT_EMPTY');
    expect(error.message).toContain('holds table the backup does not (public.extra_notes)');
    expect(await publicTables(source.url)).toContain('extra_notes');
    await withDatabase({ dialect: 'postgres', url: source.url }, async (db) =>
      expect(await documentCount(db)).toBe(3),
    );
  });

  it('refuses while another session is connected to the database', async () => {
    const other = new pg.Client({ connectionString: target.url, application_name: 'designdoc-serve' });
    await other.connect();
    try {
      const error = await refusal(restore([file, '--database-url', target.url], cli(dir)));
      expect(error.code).toBe('DD_E_CONFLICT');
      expect(error.message).toMatch(
        /^1 other session is connected to .*designdoc-serve \(pid \d+, idle\)\); stop the designdoc servers/,
      );
      expect(await publicTables(target.url)).toEqual([]);
    } finally {
      await other.end();
    }
    expect(await restore([file, '--database-url', target.url], cli(dir))).toBe(0);
  });

  it('refuses a SQLite backup, naming the file and what it is, and changes nothing', async () => {
    const sqliteData = join(dir, 'embedded');
    await seed(sqliteData, null);
    const sqliteBackup = join(dir, 'embedded.backup');
    expect(await backup([sqliteBackup, '--data', sqliteData], cli(dir))).toBe(0);
    const error = await refusal(
      restore([sqliteBackup, '--database-url', withPassword(target.url)], cli(dir)),
    );
    expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
    expect(error.message).toMatch(
      new RegExp(
        `^${sqliteBackup.replace(/[.]/g, '\\.')} is a SQLite database file: a backup of designdoc's embedded database, and this deployment uses PostgreSQL \\(postgres://postgres:…@`,
      ),
    );
    expect(error.message).toContain('designdoc migrate --from DIR --to <database URL>');
    expect(error.message).not.toContain('s3cr');
    expect(await publicTables(target.url)).toEqual([]);
  });

  it('on SQLite, refuses a pg_dump archive, naming the file and what it is', async () => {
    const embedded = join(dir, 'embedded');
    const error = await refusal(restore([file, '--data', embedded], cli(dir)));
    expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
    expect(error.message).toBe(
      `${file} is a pg_dump custom-format archive (a PostgreSQL backup): this deployment uses the embedded SQLite database in ${embedded}; restore a PostgreSQL backup into PostgreSQL: designdoc restore ${file} --database-url postgres://… (or DESIGNDOC_DATABASE_URL)`,
    );
    expect(existsSync(join(embedded, 'designdoc.sqlite'))).toBe(false);
  });

  it('refuses archives of other databases and of a newer designdoc before touching the database', async () => {
    const other = await createTestPostgresDatabase();
    try {
      await pgQuery(other.url, 'create table notes (id int)');
      const notes = join(dir, 'notes.dump');
      const dumped = spawnSync('pg_dump', ['--format=custom', `--file=${notes}`, `--dbname=${other.url}`], {
        encoding: 'utf8',
      });
      expect(dumped.status, dumped.stderr).toBe(0);
      let error = await refusal(restore([notes, '--database-url', target.url], cli(dir)));
      expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
      expect(error.message).toBe(
        `${notes} is a pg_dump archive of database ${other.name}, but not of a designdoc database (it has no documents and kysely_migration tables); nothing was restored`,
      );

      const script = join(dir, 'plain.sql');
      const plain = spawnSync('pg_dump', ['--format=plain', `--file=${script}`, `--dbname=${source.url}`], {
        encoding: 'utf8',
      });
      expect(plain.status, plain.stderr).toBe(0);
      error = await refusal(restore([script, '--database-url', target.url], cli(dir)));
      expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
      expect(error.message).toContain(`${script} is a pg_dump plain-SQL script (a PostgreSQL dump): `);
    } finally {
      await other.drop();
    }

    // (designdoc itself refuses to open such a database, so pg_dump takes this backup.)
    await pgQuery(
      source.url,
      `insert into kysely_migration (name, timestamp) values ('9999_future', '2030-01-01')`,
    );
    const future = join(dir, 'future.dump');
    const newer = spawnSync('pg_dump', ['--format=custom', `--file=${future}`, `--dbname=${source.url}`], {
      encoding: 'utf8',
    });
    expect(newer.status, newer.stderr).toBe(0);
    const error = await refusal(restore([future, '--database-url', target.url], cli(dir)));
    expect(error.code).toBe('DD_E_BACKUP_WRONG_KIND');
    expect(error.message).toContain('was written by a newer designdoc (its schema has migration 9999_future');
    expect(await publicTables(target.url)).toEqual([]);
  });

  it('without pg_restore, prints the exact command to run instead, without the password', async () => {
    const empty = join(dir, 'empty-bin');
    mkdirSync(empty);
    const url = withPassword(target.url);
    const error = await refusal(restore([file, '--database-url', url], cli(dir, { PATH: empty })));
    expect(error.code).toBe('DD_E_TOOL_MISSING');
    expect(error.message).toMatch(
      /^designdoc restore on PostgreSQL runs pg_restore, and no pg_restore is on PATH\. .*PostgreSQL \d+/,
    );
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('s3cr');
    const command = `pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname=${target.url} ${file}`;
    expect(
      error.message.endsWith(`or run it yourself: ${command} (with the database password in PGPASSWORD)`),
    ).toBe(true);
    // The printed command is the real one: run as printed, it restores the backup.
    const ran = spawnSync('sh', ['-c', command], { encoding: 'utf8', env: { PATH, PGPASSWORD: 's3cr@t' } });
    expect(ran.status, ran.stderr).toBe(0);
    await withDatabase({ dialect: 'postgres', url: target.url }, expectComplete);

    // Given in DESIGNDOC_DATABASE_URL, the command refers to the variable; with --force, it cleans.
    const fromEnv = await refusal(
      restore([file, '--force'], cli(dir, { PATH: empty, DESIGNDOC_DATABASE_URL: url })),
    );
    expect(fromEnv.code).toBe('DD_E_TOOL_MISSING');
    expect(fromEnv.message).toContain(
      `or run it yourself: pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --clean --if-exists --dbname="$DESIGNDOC_DATABASE_URL" ${file}`,
    );
    expect(fromEnv.message).not.toContain('s3cr');
  });

  it('a failing pg_restore leaves the database as it was and never shows the password', async () => {
    // A type named like a table the archive creates: the database has no tables (so it counts as
    // empty), and pg_restore fails part-way through the archive.
    await pgQuery(target.url, `create type documents as enum ('x')`);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'pg_restore.log');
    const real = spawnSync('sh', ['-c', 'command -v pg_restore'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(
      join(bin, 'pg_restore'),
      `#!/bin/sh\nprintf 'ARGS %s\\n' "$*" >> '${log}'\nprintf 'PGPASSWORD=%s\\n' "$PGPASSWORD" >> '${log}'\nexec '${real}' "$@"\n`,
    );
    chmodSync(join(bin, 'pg_restore'), 0o755);
    const url = withPassword(target.url);
    const error = await refusal(restore([file, '--database-url', url], cli(dir, { PATH: `${bin}:${PATH}` })));
    expect(error.code).toBe('DD_E_BACKUP_FAILED');
    expect(error.message).toMatch(
      /^pg_restore \(.*\) could not restore .* into postgres:\/\/postgres:…@.* \(exit 1\); it ran in one transaction, so the database is as it was\.\n/,
    );
    expect(error.message).toContain('already exists');
    expect(error.message).not.toContain('s3cr');
    // One transaction: not one of the archive's tables is left behind.
    expect(await publicTables(target.url)).toEqual([]);
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(lines.filter((line) => line.includes('s3cr'))).toEqual([
      'PGPASSWORD=s3cr@t',
      'PGPASSWORD=s3cr@t',
      'PGPASSWORD=s3cr@t',
    ]);
    expect(lines.at(-3)).toContain('--single-transaction');
  });
});
