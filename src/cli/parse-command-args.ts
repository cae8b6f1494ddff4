/**
 * Argument parsing for every command: node:util `parseArgs` in strict mode, its errors turned into
 * usage errors that name the offending flag and carry the command's usage line. A flag that takes
 * a value may be given once (parseArgs alone would keep the last one silently), unless its option
 * is declared `multiple: true`, which makes it repeatable.
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
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    const message = (error as Error).message
      .replace(/\. To specify a positional argument.*$/s, '')
      .replace(/\.$/, '');
    throw usageError(message.charAt(0).toLowerCase() + message.slice(1), usage);
  }
  refuseRepeatedFlags(parsed.tokens, options, usage);
  return { values: parsed.values, positionals: parsed.positionals } as ParsedCommandArgs<O>;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/**
 * Throws `DD_E_USAGE` when a flag that takes one value is given more than once, in any spelling
 * (`-o a --output b`, `--format=json --format sarif`): which one wins would be a guess. Boolean
 * switches may repeat (`-q -q` still means quiet); `multiple: true` options are repeatable.
 */
function refuseRepeatedFlags(tokens: readonly Token[], options: Options, usage: string): void {
  const seen = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option || option.type !== 'string' || option.multiple === true) continue;
    const value = token.value ?? '';
    const first = seen.get(token.name);
    if (first === undefined) {
      seen.set(token.name, value);
      continue;
    }
    const flag = option.short === undefined ? `--${token.name}` : `-${option.short}/--${token.name}`;
    throw usageError(
      `option ${flag} given more than once (${JSON.stringify(first)}, then ${JSON.stringify(value)}); it takes one value`,
      usage,
    );
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
