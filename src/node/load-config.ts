/**
 * Finds and reads `designdoc.config.json`: the one named with `--config`, else the nearest one in the
 * working folder or above it. JSON syntax errors name the line and column; schema errors come from
 * the linter's `validateConfig`, which names the key.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DesignDocError } from '../core/errors.js';
import { defaultConfig, validateConfig, type LintConfig } from '../core/lint/config.js';
import { displayPath } from './discover-files.js';
import { decodeDocument, readRegularFile } from './read-document-file.js';

/** Far above any real config file; a bigger one is not a config (or is `/dev/zero`). */
const MAX_CONFIG_SIZE = 1024 * 1024;

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
    bytes = await readRegularFile(file, shown, MAX_CONFIG_SIZE);
  } catch (error) {
    const coded = error as DesignDocError;
    if (coded.code === 'DD_E_FILE_NOT_FOUND')
      throw new DesignDocError('DD_E_FILE_NOT_FOUND', 'config file not found', {
        location: { file: shown },
        cause: error,
      });
    if (coded.code === 'DD_E_FILE_TOO_LARGE')
      throw new DesignDocError(
        'DD_E_CONFIG_INVALID',
        'config file too large (over 1 MB): not a designdoc config',
        {
          location: { file: shown },
          cause: error,
        },
      );
    throw new DesignDocError('DD_E_FILE_UNREADABLE', `cannot read config file: ${coded.message}`, {
      location: { file: shown },
      cause: error,
    });
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
