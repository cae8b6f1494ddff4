/**
 * Command-line options for a benchmark script, as `node:util` parseArgs reads them, with what every
 * script owes its user: `--help`/`-h` prints the usage and exits 0; an unknown option or a missing
 * value is one line naming it, then the usage, and exit 2 — never a stack trace.
 */
import process from 'node:process';
import { parseArgs } from 'node:util';

/**
 * Parses `process.argv` against `options` (parseArgs' option map; `help` is added). `name` prefixes
 * the error line (`bench:api`), `usage` is printed as it is.
 */
export function benchArgs(name, usage, options) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { ...options, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    usageError(name, usage, error.message);
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return values;
}

/** One line naming what is wrong with the command line, then the usage; exit 2. */
export function usageError(name, usage, message) {
  process.stderr.write(`${name}: ${message}\n${usage}`);
  process.exit(2);
}

/** A whole number of at least 1 from option `option`'s text, or a usage error naming it. */
export function positiveInteger(name, usage, option, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    usageError(name, usage, `--${option} must be a whole number of at least 1, not "${text}"`);
  return value;
}
