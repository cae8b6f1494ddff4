/**
 * `designdoc backup` on every dialect: the backup restores into a database designdoc opens with
 * every document, revision and webhook — SQLite's file copy opened as it is, PostgreSQL's pg_dump
 * archive restored with pg_restore into a fresh database. On PostgreSQL without pg_dump on PATH it
 * refuses (DD_E_TOOL_MISSING), saying what to install and the exact command to run instead; a
 * pg_dump that fails (DD_E_BACKUP_FAILED) leaves nothing behind and never shows the password.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { run as backup } from '../../src/cli/commands/backup.js';
import { openDatabase, type Database } from '../../src/server/data/index.js';
import { describeEachDialect } from './dialects.js';
import { captureCli, refusal } from '../support/cli-io.js';
import { seedBackupData, withBackupOpened } from './fixtures.js';

function cli(cwd: string, env: NodeJS.ProcessEnv): CliIO & { out: () => string } {
  return captureCli(cwd, env);
}

describeEachDialect('designdoc backup', (dialect) => {
  let dir: string;
  let databaseUrl: string | null;
  let dropDatabase: () => Promise<void>;
  const where = () => [
    '--data',
    join(dir, 'data'),
    ...(databaseUrl === null ? [] : ['--database-url', databaseUrl]),
  ];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-backup-'));
    const database = await dialect.serverDatabase();
    databaseUrl = database.databaseUrl;
    dropDatabase = database.cleanup;
    await seedBackupData(join(dir, 'data'), databaseUrl);
  });
  afterEach(async () => {
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  async function expectComplete(copy: Database): Promise<void> {
    const ledger = await copy.getDocumentBySlug('ledger');
    expect(ledger?.currentRevision).toBe(2);
    expect((await copy.getRevision(ledger?.id ?? -1, 2))?.text).toContain('Why ledger, revised.');
    expect((await copy.countDocumentsByStatus()).reduce((sum, row) => sum + row.count, 0)).toBe(3);
    expect(await copy.search('payments', { visibility: { all: true, userId: null }, limit: 5 })).toHaveLength(
      1,
    );
    expect((await copy.events.listWebhooks()).map((w) => w.secret)).toEqual(['whsec_kept']);
    // The outbox comes along: three documents created and revised.
    expect((await copy.events.listEvents(0, 100)).length).toBeGreaterThanOrEqual(6);
  }

  it('writes a backup that restores with every document, revision and webhook', async () => {
    const file = join(dir, 'designdoc.backup');
    const io = cli(dir, { PATH: process.env.PATH ?? '' });
    expect(await backup([file, ...where()], io)).toBe(0);
    expect(io.out()).toContain('(3 documents)');
    if (databaseUrl !== null) {
      expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
      expect(io.out()).toMatch(
        /with pg_dump \(custom format\)\ndesigndoc: restore it with: designdoc restore .*designdoc\.backup \(runs pg_restore/,
      );
    }
    await withBackupOpened(file, databaseUrl === null ? 'sqlite' : 'postgres', expectComplete);
  });

  it('with --compact, leaves out free space and restores the same data', async () => {
    const file = join(dir, 'compact.backup');
    const io = cli(dir, { PATH: process.env.PATH ?? '' });
    if (databaseUrl !== null) {
      expect(await backup([file, '--compact', ...where()], io)).toBe(0);
      expect(io.out()).toContain('--compact changes nothing on PostgreSQL');
      return;
    }
    // Free pages, as a migration that rebuilt an index leaves them: 4 MB written, then dropped.
    const sqliteFile = join(dir, 'data', 'designdoc.sqlite');
    const raw = new BetterSqlite3(sqliteFile);
    raw.exec('create table filler (data blob)');
    const insert = raw.prepare('insert into filler values (randomblob(4096))');
    for (let i = 0; i < 1000; i++) insert.run();
    raw.exec('drop table filler');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const plain = join(dir, 'plain.backup');
    expect(await backup([plain, ...where()], cli(dir, {}))).toBe(0);
    expect(await backup([file, '--compact', ...where()], io)).toBe(0);
    expect(io.out()).toMatch(
      /\(3 documents\) to .*compact\.backup \(compacted: [\d.]+ MB from [\d.]+ MB\)\n$/,
    );
    expect(statSync(plain).size - statSync(file).size).toBeGreaterThan(3_500_000);
    const copy = await openDatabase({ dialect: 'sqlite', file });
    try {
      await expectComplete(copy);
    } finally {
      await copy.close();
    }
  });

  it('never overwrites an existing file without --force', async () => {
    const file = join(dir, 'taken.backup');
    writeFileSync(file, 'keep me');
    const io = cli(dir, { PATH: process.env.PATH ?? '' });
    expect((await refusal(backup([file, ...where()], io))).code).toBe('DD_E_FILE_EXISTS');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(await backup([file, ...where(), '--force'], io)).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toBe('keep me');
  });

  it('never replaces a folder or a device, and names a missing folder', async () => {
    const io = cli(dir, { PATH: process.env.PATH ?? '' });
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    const folder = await refusal(backup([join(dir, 'a-folder'), ...where(), '--force'], io));
    expect([folder.code, folder.message]).toEqual([
      'DD_E_FILE_UNWRITABLE',
      'cannot write the backup: it is a folder',
    ]);
    const device = await refusal(backup(['/dev/null', ...where(), '--force'], io));
    expect([device.code, device.message]).toEqual([
      'DD_E_FILE_UNWRITABLE',
      'cannot write the backup: it is not a regular file',
    ]);
    const missing = await refusal(backup([join(dir, 'no-such-folder', 'x.backup'), ...where()], io));
    expect(missing.code).toBe('DD_E_FILE_NOT_FOUND');
    writeFileSync(join(dir, 'a-file'), 'not a folder\n');
    const inTheWay = await refusal(backup([join(dir, 'a-file', 'x.backup'), ...where()], io));
    expect([inTheWay.code, inTheWay.message]).toEqual([
      'DD_E_FILE_UNWRITABLE',
      `cannot write the backup: ${join(dir, 'a-file')} is a file, not a folder`,
    ]);
    expect(existsSync(join(dir, 'a-folder.partial'))).toBe(false);
  });

  it('on PostgreSQL without pg_dump, says what to install and what to run instead', async () => {
    if (databaseUrl === null) return;
    const empty = join(dir, 'empty-bin');
    mkdirSync(empty);
    const file = join(dir, 'never.backup');
    const error = await refusal(backup([file, ...where()], cli(dir, { PATH: empty })));
    expect(error.code).toBe('DD_E_TOOL_MISSING');
    expect(error.message).toMatch(/runs pg_dump, and no pg_dump is on PATH/);
    expect(error.message).toMatch(/PostgreSQL \d+/);
    // The command to run instead names the database the backup was asked of, exactly.
    expect(error.message.endsWith(`: pg_dump --format=custom --file=${file} --dbname=${databaseUrl}`)).toBe(
      true,
    );
    expect(existsSync(file)).toBe(false);
    // Given in the environment, the URL stays there: the command refers to it (and holds no password).
    const withPassword = (databaseUrl ?? '').replace('postgres://postgres@', 'postgres://postgres:s3cr%40t@');
    const fromEnv = await refusal(
      backup(
        [file, '--data', join(dir, 'data')],
        cli(dir, { PATH: empty, DESIGNDOC_DATABASE_URL: withPassword }),
      ),
    );
    expect(fromEnv.code).toBe('DD_E_TOOL_MISSING');
    expect(fromEnv.message).toContain(
      `pg_dump --format=custom --file=${file} --dbname="$DESIGNDOC_DATABASE_URL"`,
    );
    expect(fromEnv.message).not.toContain('s3cr');
  });

  it('on PostgreSQL, a failing pg_dump leaves nothing behind and never shows the password', async () => {
    if (databaseUrl === null) return;
    // The loopback server trusts its clients, so a password in the URL is carried but never checked.
    const withPassword = databaseUrl.replace('postgres://postgres@', 'postgres://postgres:s3cr%40t@');
    expect(withPassword).not.toBe(databaseUrl);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'pg_dump.log');
    writeFileSync(
      join(bin, 'pg_dump'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\nprintf 'PGPASSWORD=%s\\n' "$PGPASSWORD" >> '${log}'\n` +
        `echo "pg_dump: error: server version: 99.0; pg_dump version: 15.0 (password s3cr@t)" >&2\nexit 1\n`,
    );
    chmodSync(join(bin, 'pg_dump'), 0o755);
    const file = join(dir, 'failed.backup');
    const error = await refusal(
      backup([file, '--data', join(dir, 'data'), '--database-url', withPassword], cli(dir, { PATH: bin })),
    );
    expect(error.code).toBe('DD_E_BACKUP_FAILED');
    expect(error.message).toMatch(/pg_dump \(.*\) could not back up .* \(exit 1\); nothing was written/);
    expect(error.message).toContain('server version: 99.0; pg_dump version: 15.0');
    expect(error.message).not.toContain('s3cr');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const args = readFileSync(log, 'utf8');
    // The password travels in the environment, never on the command line `ps` shows.
    expect(args).toContain('PGPASSWORD=s3cr@t');
    expect(args.split('\n').filter((line) => line.includes('s3cr'))).toEqual(['PGPASSWORD=s3cr@t']);
    expect(args).toContain('--format=custom');
  });
});
