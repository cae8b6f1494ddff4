/**
 * The `designdoc` command line: looks the command up in the table, imports it lazily and runs it.
 * One catch turns every failure into one line — `designdoc: file:line:col: message [CODE]` for a
 * `DesignDocError`, an internal-error line otherwise (stack only with DESIGNDOC_DEBUG=1) — and
 * exit codes stay stable: 0 clean, 1 error findings, 2 usage or I/O.
 */
import { isDesignDocError } from '../core/errors.js';
import { EXIT_OK, EXIT_USAGE, type CliIO } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { packageInfo } from './package-info.js';

const MAIN_USAGE = 'usage: designdoc <command> [options]  (designdoc --help for the list)';

function helpText(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = [
    'designdoc — write, check, review and approve software design documents',
    '',
    'usage: designdoc <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'global options:',
    '  -h, --help     show help (designdoc help <command> for one command)',
    '  -v, --version  print the version',
    '',
    'exit codes: 0 clean, 1 error-severity findings (or too many warnings), 2 usage or I/O error',
    'reference: docs/cli.md',
  ];
  return lines.join('\n') + '\n';
}

function defaultIO(): CliIO {
  // `designdoc lint | head` closes the pipe early: stop quietly rather than die on EPIPE.
  process.stdout.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}

function reportError(error: unknown, io: CliIO): number {
  if (isDesignDocError(error)) {
    io.stderr.write(`designdoc: ${error.format()}\n`);
    const usage = error.details.usage;
    if (error.code === 'DD_E_USAGE' && typeof usage === 'string') io.stderr.write(`usage: ${usage}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `designdoc: internal error: ${message.split('\n')[0] ?? ''} [DD_E_INTERNAL] (set DESIGNDOC_DEBUG=1 for details)\n`,
  );
  if (io.env.DESIGNDOC_DEBUG === '1' && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);
  return EXIT_USAGE;
}

/**
 * Runs the CLI with `argv` (the arguments after `designdoc`) and resolves to the exit code.
 * `io` replaces the process streams, working folder and environment (tests pass their own).
 */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const cli: CliIO = { ...defaultIO(), ...io };
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h') {
      cli.stdout.write(helpText());
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '--version' || first === '-v') {
      cli.stdout.write(`${packageInfo().version}\n`);
      return EXIT_OK;
    }
    let name = first;
    let args = rest;
    if (first === 'help') {
      if (rest[0] === undefined) {
        cli.stdout.write(helpText());
        return EXIT_OK;
      }
      name = rest[0];
      args = ['--help'];
    }
    if (name.startsWith('-')) {
      cli.stderr.write(`designdoc: unknown option ${name} [DD_E_USAGE]\n${MAIN_USAGE}\n`);
      return EXIT_USAGE;
    }
    const entry = findCommand(name);
    if (!entry) {
      cli.stderr.write(`designdoc: unknown command "${name}" [DD_E_USAGE]\n${MAIN_USAGE}\n`);
      return EXIT_USAGE;
    }
    const command = await entry.load();
    return await command.run(args, cli);
  } catch (error) {
    return reportError(error, cli);
  }
}
