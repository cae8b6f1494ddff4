/**
 * `designdoc serve [--port 3000] [--host 127.0.0.1] [--data DIR]`: starts the review server on
 * SQLite + an in-process cache. First start creates the admin account and prints its one-time
 * password once.
 */
import { performance } from 'node:perf_hooks';
import { EXIT_OK, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import {
  configFromFlags,
  explainStartError,
  SERVER_FLAG_OPTIONS,
  takeServeLock,
} from '../../server/cli-support.js';
import { startServer } from '../../server/index.js';

const USAGE =
  'designdoc serve [--port 3000] [--host 127.0.0.1] [--data DIR] [--config FILE] [--templates DIR] [--tls-cert FILE --tls-key FILE] [--log-level info]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const started = performance.now();
  const { values, positionals } = parseCommandArgs(argv, SERVER_FLAG_OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(
      `usage: ${USAGE}\n\nSettings come from flags, then DESIGNDOC_* environment variables, then designdoc.server.json.\n`,
    );
    return EXIT_OK;
  }
  if (positionals.length > 0) {
    const { usageError } = await import('../usage-error.js');
    throw usageError(`unexpected argument "${positionals[0]}"`, USAGE);
  }
  const config = configFromFlags(values as Record<string, string | boolean | undefined>, io);
  const { mkdirSync } = await import('node:fs');
  let releaseLock: (() => void) | null = null;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    mkdirSync(config.dataDir, { recursive: true });
    releaseLock = takeServeLock(config);
    server = await startServer(config);
  } catch (error) {
    // A failed start leaves no lock behind to confuse the next one.
    releaseLock?.();
    throw explainStartError(error, config);
  }
  const release = releaseLock;
  const ms = Math.round(performance.now() - started);
  // Both clocks: since the command started, and since the process started (module loading included).
  const sinceProcess = Math.round(process.uptime() * 1000);
  io.stdout.write(
    `designdoc: serving ${config.dataDir} at ${server.url} (ready in ${ms} ms; ${sinceProcess} ms since process start)\n`,
  );
  if (server.initialAdmin) {
    io.stdout.write(
      `designdoc: first start — created the admin account.\n  username: ${server.initialAdmin.username}\n  password: ${server.initialAdmin.password}\n` +
        '  This password is shown once; sign in at /login and change it (designdoc admin users reset-password admin).\n',
    );
    if (server.examples.length > 0)
      io.stdout.write(`designdoc: loaded example document(s): ${server.examples.join(', ')}\n`);
  }
  return new Promise<number>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server
        .close()
        .catch(() => undefined)
        .finally(() => {
          release();
          resolve(EXIT_OK);
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
