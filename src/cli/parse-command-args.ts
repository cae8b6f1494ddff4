/**
 * Argument parsing for every command: node:util `parseArgs` in strict mode, its errors turned into
 * usage errors that name the offending flag and carry the command's usage line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parseArgs` returns for these options, strict and with positionals. */
export type ParsedCommandArgs<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/**
 * Parses `argv` against `options` (strict; positionals allowed). Unknown flags, missing values and
 * wrong types throw `DD_E_USAGE` with `usage`.
 */
export function parseCommandArgs<const O extends Options>(
  argv: string[],
  options: O,
  usage: string,
): ParsedCommandArgs<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message
      .replace(/\. To specify a positional argument.*$/s, '')
      .replace(/\.$/, '');
    throw usageError(message.charAt(0).toLowerCase() + message.slice(1), usage);
  }
}

/** A non-negative integer flag value, or a usage error naming the flag. */
export function integerFlag(value: string, flag: string, usage: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`${flag} expects a non-negative integer, got "${value}"`, usage);
  return Number(value);
}

/** One of `allowed`, or a usage error naming the flag and the choices. */
export function choiceFlag<T extends string>(
  value: string,
  allowed: readonly T[],
  flag: string,
  usage: string,
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`, usage);
}
