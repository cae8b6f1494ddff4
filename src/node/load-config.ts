/**
 * Finds and reads `designdoc.config.json`: the one named with `--config`, else the nearest one in the
 * working folder or above it. JSON syntax errors name the line and column; schema errors come from
 * the linter's `validateConfig`, which names the key.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DesignDocError } from '../core/errors.js';
import { defaultConfig, validateConfig, type LintConfig } from '../core/lint/config.js';
import { displayPath } from './discover-files.js';
import { decodeDocument } from './read-document-file.js';

export const CONFIG_FILE_NAME = 'designdoc.config.json';

export interface LoadedConfig {
  config: LintConfig;
  /** Absolute path of the file read, or null when none was found (defaults apply). */
  file: string | null;
  /** The folder relative paths in the config (templatesDir) are resolved against. */
  baseDir: string;
}

/** The nearest `designdoc.config.json` in `cwd` or a folder above it, or null. */
export function findConfigFile(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** 1-based line and column of a JSON.parse error position, when the engine reports one. */
function jsonErrorPosition(text: string, error: Error): { line: number; column: number } | null {
  const match = /position (\d+)/.exec(error.message);
  if (!match) return null;
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Loads the configuration: `explicit` (from `--config`, relative to cwd) or the nearest config file,
 * validated. Throws `DD_E_FILE_NOT_FOUND` for a missing explicit file and `DD_E_CONFIG_INVALID` for
 * bad JSON or a schema violation, each naming the file. No file at all gives the defaults.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const file = explicit === undefined ? findConfigFile(cwd) : resolve(cwd, explicit);
  if (file === null) return { config: defaultConfig(), file: null, baseDir: cwd };
  const shown = displayPath(file, cwd);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DesignDocError(
      code === 'ENOENT' ? 'DD_E_FILE_NOT_FOUND' : 'DD_E_FILE_UNREADABLE',
      code === 'ENOENT' ? 'config file not found' : `cannot read config file: ${(error as Error).message}`,
      {
        location: { file: shown },
        cause: error,
      },
    );
  }
  let text: string;
  try {
    text = decodeDocument(bytes, shown);
  } catch (error) {
    throw new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `config file is not JSON text: ${(error as DesignDocError).message}`,
      { location: { file: shown }, cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const where = jsonErrorPosition(text, error as Error);
    throw new DesignDocError('DD_E_CONFIG_INVALID', `invalid JSON: ${(error as Error).message}`, {
      location: where ? { file: shown, line: where.line, column: where.column } : { file: shown },
      cause: error,
    });
  }
  const config = validateConfig(json, shown);
  return { config, file, baseDir: dirname(file) };
}
