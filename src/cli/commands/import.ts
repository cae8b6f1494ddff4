/**
 * `designdoc import <dir> [--data DIR]`: imports a folder of markdown files into the server's
 * database; idempotent; prints what it created, updated and skipped, and why. A file that could
 * not be imported is a line on stderr ending in its error code, like every other CLI error.
 */
import { EXIT_OK, EXIT_USAGE, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import { configFromFlags, SERVER_FLAG_OPTIONS, withServices } from '../../server/cli-support.js';
import { importFolder } from '../../server/services/index.js';

const USAGE = 'designdoc import <dir> [--data DIR] [--quiet]';

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
    throw usageError('expected exactly one folder to import', USAGE);
  const config = configFromFlags(values as Record<string, string | boolean | undefined>, io);
  const report = await withServices(config, (ctx, actor) => importFolder(ctx, actor, dir));
  for (const entry of report.entries) {
    if (values.quiet && entry.action === 'skipped') continue;
    const stream = entry.action === 'failed' ? io.stderr : io.stdout;
    stream.write(
      `${entry.action.padEnd(8)} ${entry.path}${entry.id ? ` → ${entry.id}` : ''}: ${entry.reason}${
        entry.code ? ` [${entry.code}]` : ''
      }\n`,
    );
  }
  const c = report.counts;
  io.stdout.write(
    `designdoc: ${c.created} created, ${c.updated} updated, ${c.skipped} skipped, ${c.failed} failed\n`,
  );
  // A file that could not be imported is an input error (2), not a lint finding (1).
  return c.failed > 0 ? EXIT_USAGE : EXIT_OK;
}
