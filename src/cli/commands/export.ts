/**
 * `designdoc export <dir> [--data DIR] [--force]`: writes every document's current markdown to the
 * folder (at the path it was imported from, else `<id>.md`), byte for byte; files already identical
 * are left alone. A file edited in the folder since the last export is not overwritten without
 * `--force`: it is named on stderr (`DD_E_FILE_EXISTS`) and the run exits 2.
 */
import { EXIT_OK, EXIT_USAGE, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import { configFromFlags, SERVER_FLAG_OPTIONS, withServices } from '../../server/cli-support.js';
import { exportFolder } from '../../server/services/index.js';

const USAGE = 'designdoc export <dir> [--data DIR] [--force] [--quiet]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...SERVER_FLAG_OPTIONS, quiet: { type: 'boolean', short: 'q' }, force: { type: 'boolean' } },
    USAGE,
  );
  const flags = values as Record<string, string | boolean | undefined>;
  if (flags.help) {
    io.stdout.write(`usage: ${USAGE}\n`);
    return EXIT_OK;
  }
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1)
    throw usageError('expected exactly one folder to export to', USAGE);
  const config = configFromFlags(values as Record<string, string | boolean | undefined>, io);
  const force = values.force === true;
  const report = await withServices(config, (ctx, actor) => exportFolder(ctx, actor, dir, { force }), {
    existing: true,
  });
  for (const entry of report.entries) {
    if (values.quiet && entry.action === 'skipped') continue;
    const stream = entry.action === 'failed' ? io.stderr : io.stdout;
    stream.write(
      `${entry.action.padEnd(8)} ${entry.path}: ${entry.reason}${entry.code ? ` [${entry.code}]` : ''}\n`,
    );
  }
  const c = report.counts;
  io.stdout.write(`designdoc: ${c.written} written, ${c.skipped} skipped, ${c.failed} failed\n`);
  const edited = report.entries.filter((entry) => entry.code === 'DD_E_FILE_EXISTS').length;
  if (edited > 0)
    io.stderr.write(
      `designdoc: ${dir}: ${edited === 1 ? '1 file was' : `${edited} files were`} edited there since the last export and not overwritten; import the folder first (designdoc import ${dir}) to keep the edits, or pass --force to overwrite them [DD_E_FILE_EXISTS]\n`,
    );
  // A file that could not be written is an I/O error (2), as for import.
  return c.failed > 0 ? EXIT_USAGE : EXIT_OK;
}
