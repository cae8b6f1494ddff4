/**
 * `designdoc backup <file> [--data DIR | --database-url URL] [--force] [--compact]`: an online,
 * consistent copy of the server database, safe while the servers run. On the embedded SQLite file
 * it is a copy of that file (SQLite's backup API, or with --compact a rebuilt copy without free
 * pages); on PostgreSQL it is a pg_dump custom-format archive (pg_dump must be on PATH; the error
 * says what to install or run otherwise). `designdoc restore` reads either back.
 */
import { existsSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DesignDocError } from '../../core/errors.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import { writeError } from '../../node/write-error.js';
import { configFromFlags, SERVER_FLAG_OPTIONS, withServices } from '../../server/cli-support.js';
import { databaseFile } from '../../server/index.js';
import { plural } from '../plural.js';

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * A backup that could not be written, as the operator reads it: the target and why. SQLite reports
 * its own codes (`SQLITE_CANTOPEN` for a folder it may not write in), the file system errnos.
 */
function backupWriteError(error: unknown, file: string): unknown {
  if (error instanceof DesignDocError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  if (code.startsWith('SQLITE_'))
    return new DesignDocError(
      'DD_E_FILE_UNWRITABLE',
      `cannot write the backup: ${(error as Error).message}${code.startsWith('SQLITE_CANTOPEN') ? ' (is the folder writable?)' : ''}`,
      { location: { file }, cause: error },
    );
  if (/^E[A-Z]+$/.test(code)) return writeError(error, file, 'cannot write the backup');
  return error;
}

const USAGE = 'designdoc backup <file> [--data DIR | --database-url URL] [--force] [--compact]';

const HELP = `usage: ${USAGE}

Writes an online, consistent backup of the server database while servers keep serving: a copy of
the SQLite file, or on PostgreSQL a pg_dump custom-format archive. \`designdoc restore FILE\` puts it
back.

options:
      --data DIR           the data folder whose SQLite database is backed up (default ./.designdoc)
      --database-url URL   back up this PostgreSQL database instead (pg_dump must be on PATH)
      --config FILE        read the settings from this server config file
      --force              overwrite FILE when it exists
      --compact            SQLite: leave out the file's free pages (VACUUM INTO; smaller, slower)
  -h, --help               show this help
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...SERVER_FLAG_OPTIONS, force: { type: 'boolean' }, compact: { type: 'boolean' } },
    USAGE,
  );
  const flags = values as Record<string, string | boolean | undefined>;
  if (flags.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const target = positionals[0];
  if (target === undefined || positionals.length > 1)
    throw usageError('expected exactly one backup file', USAGE);
  const config = configFromFlags(values as Record<string, string | boolean | undefined>, io);
  if (config.databaseUrl === null && !existsSync(databaseFile(config))) {
    throw new DesignDocError('DD_E_FILE_NOT_FOUND', `no database to back up in ${config.dataDir}`, {
      location: { file: databaseFile(config) },
    });
  }
  const file = resolve(io.cwd, target);
  // Only a regular file is ever replaced (never a folder or a device such as /dev/full), and the
  // folder must exist: the backup is written beside its target, then renamed over it.
  const existing = statOrNull(file);
  if (existing !== null && !existing.isFile())
    throw new DesignDocError(
      'DD_E_FILE_UNWRITABLE',
      `cannot write the backup: ${existing.isDirectory() ? 'it is a folder' : 'it is not a regular file'}`,
      { location: { file } },
    );
  const folder = statOrNull(dirname(file));
  if (folder !== null && !folder.isDirectory())
    throw new DesignDocError(
      'DD_E_FILE_UNWRITABLE',
      `cannot write the backup: ${dirname(file)} is a file, not a folder`,
      { location: { file } },
    );
  if (folder === null)
    throw new DesignDocError('DD_E_FILE_NOT_FOUND', 'the folder to write the backup into does not exist', {
      location: { file },
    });
  if (existing !== null && !values.force) {
    throw new DesignDocError('DD_E_FILE_EXISTS', `${file} already exists (use --force to overwrite)`, {
      location: { file },
    });
  }
  const { counts, format } = await withServices(config, async (ctx) => {
    try {
      await ctx.db.backupTo(file, { env: io.env, compact: values.compact === true });
    } catch (error) {
      throw backupWriteError(error, file);
    }
    return { counts: await ctx.db.countDocumentsByStatus(), format: ctx.db.capabilities.backupFormat };
  });
  const documents = counts.reduce((sum, row) => sum + row.count, 0);
  if (format === 'pg_dump') {
    io.stdout.write(
      `designdoc: backed up the PostgreSQL database (${plural(documents, 'document')}) to ${file} with pg_dump (custom format)\n` +
        `designdoc: restore it with: designdoc restore ${file} (runs pg_restore into the configured database, which must be empty, or pass --force to replace what it holds)\n`,
    );
  } else {
    const size = (path: string): string => `${(statSync(path).size / 1e6).toFixed(1)} MB`;
    const compacted =
      values.compact === true ? ` (compacted: ${size(file)} from ${size(databaseFile(config))})` : '';
    io.stdout.write(
      `designdoc: backed up ${config.dataDir} (${plural(documents, 'document')}) to ${file}${compacted}\n`,
    );
  }
  if (format === 'pg_dump' && values.compact === true)
    io.stdout.write(
      'designdoc: --compact changes nothing on PostgreSQL: a pg_dump archive holds no free space\n',
    );
  return EXIT_OK;
}
