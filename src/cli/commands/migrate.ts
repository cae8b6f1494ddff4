/**
 * `designdoc migrate`: brings the configured database's schema up to date; with
 * `--from DATA_DIR --to postgres://…` it moves an embedded SQLite instance into an empty
 * PostgreSQL database and verifies the copy (row counts and SHA-256 checksums per table).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DesignDocError } from '../../core/errors.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import { configFromFlags, SERVER_FLAG_OPTIONS } from '../../server/cli-support.js';
import { copySqliteToPostgres } from '../../server/data/index.js';
import { databaseFile, openServices } from '../../server/index.js';

const USAGE =
  'designdoc migrate [--data DIR | --database-url URL]   |   designdoc migrate --from DATA_DIR --to postgres://… [--quiet]';

/** Hides the password of a connection URL in anything printed. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:…@');
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...SERVER_FLAG_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
    },
    USAGE,
  );
  const flags = values as Record<string, string | boolean | undefined>;
  if (flags.help) {
    io.stdout.write(`usage: ${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, USAGE);
  const config = configFromFlags(flags, io);

  if (typeof flags.to !== 'string') {
    if (flags.from !== undefined) throw usageError('--from needs --to postgres://…', USAGE);
    const ctx = await openServices(config);
    const dialect = ctx.db.capabilities.name;
    await ctx.cache.close();
    await ctx.db.close();
    io.stdout.write(`designdoc: the ${dialect} schema is up to date\n`);
    return EXIT_OK;
  }

  const to = flags.to;
  if (!/^postgres(ql)?:\/\//.test(to)) throw usageError('--to must be a postgres:// URL', USAGE);
  const dataDir = typeof flags.from === 'string' ? resolve(io.cwd, flags.from) : config.dataDir;
  const sqliteFile = databaseFile({ dataDir });
  if (!existsSync(sqliteFile)) {
    throw new DesignDocError(
      'DD_E_FILE_NOT_FOUND',
      `no designdoc database in ${dataDir} (expected ${sqliteFile})`,
      { location: { file: sqliteFile } },
    );
  }
  const report = await copySqliteToPostgres({
    sqliteFile,
    postgresUrl: to,
    onTable: (table, rows) => {
      if (!flags.quiet) io.stdout.write(`copied   ${table}: ${rows} rows\n`);
    },
  });
  for (const t of report.tables) {
    if (flags.quiet && t.matches) continue;
    const stream = t.matches ? io.stdout : io.stderr;
    stream.write(
      `${t.matches ? 'verified' : 'MISMATCH'} ${t.table}: ${t.sourceRows} → ${t.targetRows} rows, sha256 ${t.sourceSha256.slice(0, 16)}${t.matches ? '' : ` ≠ ${t.targetSha256.slice(0, 16)}`}\n`,
    );
  }
  if (!report.verified) {
    throw new DesignDocError(
      'DD_E_CONFLICT',
      `the copy in ${redact(to)} does not match ${sqliteFile}; see the MISMATCH lines above`,
      { location: { field: 'to' } },
    );
  }
  const documents = report.tables.find((t) => t.table === 'documents')?.targetRows ?? 0;
  io.stdout.write(
    `designdoc: moved ${dataDir} into ${redact(to)}: ${report.tables.length} tables, ${documents} documents; counts and checksums match\n`,
  );
  return EXIT_OK;
}
