/**
 * `designdoc export <dir> [--data DIR]`: writes every document's current markdown to the folder
 * (at the path it was imported from, else `<id>.md`), byte for byte; files already identical are
 * left alone.
 */
import { EXIT_FINDINGS, EXIT_OK, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import { configFromFlags, SERVER_FLAG_OPTIONS, withServices } from '../../server/cli-support.js';
import { exportFolder } from '../../server/services/index.js';

const USAGE = 'designdoc export <dir> [--data DIR] [--quiet]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...SERVER_FLAG_OPTIONS, quiet: { type: 'boolean', short: 'q' } },
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
  const report = await withServices(config, (ctx, actor) => exportFolder(ctx, actor, dir), {
    existing: true,
  });
  for (const entry of report.entries) {
    if (values.quiet && entry.action === 'skipped') continue;
    io.stdout.write(`${entry.action.padEnd(8)} ${entry.path}: ${entry.reason}\n`);
  }
  const c = report.counts;
  io.stdout.write(`designdoc: ${c.written} written, ${c.skipped} skipped, ${c.failed} failed\n`);
  return c.failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}
