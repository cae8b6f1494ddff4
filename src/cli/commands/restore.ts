/**
 * `designdoc restore <file> [--data DIR | --database-url URL] [--force]`: puts a `designdoc backup`
 * back into the configured database, whichever it is. On the embedded SQLite database the backup
 * is a SQLite file, checked on a copy and then moved into place; on PostgreSQL it is a pg_dump
 * custom-format archive, restored with the operator's pg_restore in one transaction (see
 * pg-restore.ts). A backup of the other dialect, or no backup at all, is refused before anything
 * changes, and so is a database that already holds data unless --force says to replace it.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DesignDocError } from '../../core/errors.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import type { ServerConfig } from '../../server/config.js';
import { configFromFlags, runningServerPid, SERVER_FLAG_OPTIONS } from '../../server/cli-support.js';
import { inspectBackupFile, sqliteTables, type BackupFileInfo } from '../../server/data/backup-file.js';
import { openDatabase } from '../../server/data/index.js';
import { databaseFile } from '../../server/index.js';
import { plural } from '../plural.js';

const USAGE = 'designdoc restore <file> [--data DIR | --database-url URL] [--force]';

/** The URL as it may be printed: no password. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:…@');
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...SERVER_FLAG_OPTIONS, force: { type: 'boolean' } },
    USAGE,
  );
  const flags = values as Record<string, string | boolean | undefined>;
  if (flags.help) {
    io.stdout.write(`usage: ${USAGE}\n`);
    return EXIT_OK;
  }
  const source = positionals[0];
  if (source === undefined || positionals.length > 1)
    throw usageError('expected exactly one backup file', USAGE);
  const config = configFromFlags(flags, io);
  const file = resolve(io.cwd, source);
  if (!existsSync(file))
    throw new DesignDocError('DD_E_FILE_NOT_FOUND', `backup file not found: ${file}`, { location: { file } });
  let info: BackupFileInfo;
  try {
    info = inspectBackupFile(file);
  } catch (error) {
    throw new DesignDocError(
      'DD_E_FILE_UNREADABLE',
      `${file} could not be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const force = flags.force === true;
  return config.databaseUrl === null
    ? restoreSqlite(file, info, config, force, io)
    : restorePostgres(file, info, config.databaseUrl, force, io);
}

/** pg_restore of a pg_dump custom-format archive into the configured PostgreSQL database. */
async function restorePostgres(
  file: string,
  info: BackupFileInfo,
  url: string,
  force: boolean,
  io: CliIO,
): Promise<number> {
  if (info.kind !== 'pg_dump') {
    const why =
      info.kind === 'sqlite'
        ? `a backup of designdoc's embedded database, and this deployment uses PostgreSQL (${redact(url)}), which restores from a pg_dump custom-format archive (what designdoc backup writes on PostgreSQL). To move an embedded database into PostgreSQL, restore it into a data folder (designdoc restore ${file} --data DIR, without a database URL), then run designdoc migrate --from DIR --to <database URL>`
        : info.kind === 'pg_dump-sql'
          ? `designdoc restore reads pg_dump's custom format (what designdoc backup writes); load a plain-SQL script with psql into an empty database`
          : 'not a designdoc backup';
    throw new DesignDocError('DD_E_BACKUP_WRONG_KIND', `${file} is ${info.description}: ${why}`);
  }
  // pg (and the restore code) load only for PostgreSQL deployments, as openDatabase loads them.
  const { pgRestore } = await import('../../server/data/postgres/pg-restore.js');
  const report = await pgRestore({ url, file, force, env: io.env });
  let documents: number;
  try {
    // Opening migrates a backup written by an older designdoc up to this version's schema.
    const db = await openDatabase({ dialect: 'postgres', url });
    try {
      documents = (await db.countDocumentsByStatus()).reduce((sum, row) => sum + row.count, 0);
    } finally {
      await db.close();
    }
  } catch (error) {
    throw new DesignDocError(
      'DD_E_BACKUP_FAILED',
      `pg_restore restored ${file} into ${redact(url)}, but designdoc could not open the result: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const replaced =
    report.replaced.length > 0
      ? `, replacing its ${report.replaced.length} table${report.replaced.length === 1 ? '' : 's'}`
      : '';
  io.stdout.write(
    `designdoc: restored ${file} (${plural(documents, 'document')}) into ${redact(url)} with pg_restore${replaced}\n`,
  );
  return EXIT_OK;
}

/** The SQLite backup file, checked on a copy, moved into the data folder. */
async function restoreSqlite(
  file: string,
  info: BackupFileInfo,
  config: ServerConfig,
  force: boolean,
  io: CliIO,
): Promise<number> {
  if (info.kind !== 'sqlite') {
    const why =
      info.kind === 'pg_dump' || info.kind === 'pg_dump-sql'
        ? `this deployment uses the embedded SQLite database in ${config.dataDir}; restore a PostgreSQL backup into PostgreSQL: designdoc restore ${file} --database-url postgres://… (or DESIGNDOC_DATABASE_URL)`
        : 'not a designdoc backup';
    throw new DesignDocError('DD_E_BACKUP_WRONG_KIND', `${file} is ${info.description}: ${why}`);
  }
  const pid = runningServerPid(config);
  if (pid !== null) {
    throw new DesignDocError(
      'DD_E_CONFLICT',
      `a server (pid ${pid}) is running on ${config.dataDir}; stop it before restoring`,
      { location: { file: config.dataDir } },
    );
  }
  const target = databaseFile(config);
  const kept = `${target}.before-restore`;
  const occupied = existsSync(target) && statSync(target).size > 0;
  if (occupied && !force) {
    const { size, mtime } = statSync(target);
    throw new DesignDocError(
      'DD_E_DATABASE_NOT_EMPTY',
      `${config.dataDir} already holds a database (${basename(target)}, ${size} bytes, last written ${mtime.toISOString()}); pass --force to replace it (it is then kept as ${basename(kept)})`,
    );
  }
  // Check the backup on a copy: opening it migrates it, and the original stays untouched.
  mkdirSync(config.dataDir, { recursive: true });
  const staged = `${target}.restoring`;
  const removeStaged = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${staged}${suffix}`, { force: true });
  };
  removeStaged();
  copyFileSync(file, staged);
  let documents: number;
  try {
    const { tables, designdoc } = sqliteTables(staged);
    if (!designdoc) {
      throw new DesignDocError(
        'DD_E_BACKUP_WRONG_KIND',
        `${file} is a SQLite database, but not a designdoc one (${tables.length === 0 ? 'it has no tables' : `its tables: ${tables.slice(0, 6).join(', ')}${tables.length > 6 ? ', …' : ''}`})`,
      );
    }
    const db = await openDatabase({ dialect: 'sqlite', file: staged });
    try {
      documents = (await db.countDocumentsByStatus()).reduce((sum, row) => sum + row.count, 0);
    } finally {
      await db.close();
    }
  } catch (error) {
    removeStaged();
    if (error instanceof DesignDocError && error.code === 'DD_E_BACKUP_WRONG_KIND') throw error;
    throw new DesignDocError(
      'DD_E_FILE_UNREADABLE',
      `${file} could not be opened as a designdoc database: ${(error as Error).message}`,
      { cause: error },
    );
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${staged}${suffix}`, { force: true });
  // The replaced database is set aside (one generation), not deleted: restoring the wrong backup
  // can be undone.
  for (const suffix of ['', '-wal', '-shm']) {
    if (occupied) rmSync(`${kept}${suffix}`, { force: true });
    if (occupied && existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${kept}${suffix}`);
    else rmSync(`${target}${suffix}`, { force: true });
  }
  renameSync(staged, target);
  io.stdout.write(
    `designdoc: restored ${file} (${plural(documents, 'document')}) into ${config.dataDir}${occupied ? `; the database it replaced is kept as ${kept}` : ''}\n`,
  );
  return EXIT_OK;
}
