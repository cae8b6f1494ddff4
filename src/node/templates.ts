/**
 * Loads template schemas from disk: the built-ins shipped in the package's `templates/` folder and
 * any `*.md` a team keeps in its own templates folder. A user template with a built-in's name
 * replaces it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DesignDocError, isDesignDocError } from '../core/errors.js';
import { compileTemplate } from '../core/template/compile-template.js';
import type { TemplateSchema } from '../core/template/schema.js';

// This module sits at src/node/, dist/node/ and (bundled) dist/bundle/ alike, two levels below
// the package root.
const BUILTIN_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const BUILTIN_NAMES = ['design-document', 'adr', 'rfc'] as const;

/** The built-in template names, in the order detection prefers them on a tie. */
export function builtinTemplateNames(): string[] {
  return [...BUILTIN_NAMES];
}

/** The folder the built-in templates are read from. */
export function builtinTemplatesDir(): string {
  return BUILTIN_DIR;
}

export interface LoadTemplatesOptions {
  /** A folder of the team's own `*.md` templates, or null/undefined for the built-ins only. */
  templatesDir?: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readTemplate(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DesignDocError(
      code === 'ENOENT' ? 'DD_E_FILE_NOT_FOUND' : 'DD_E_FILE_UNREADABLE',
      code === 'ENOENT'
        ? `template file not found: ${path}`
        : `cannot read template ${path}: ${(error as Error).message}`,
      { location: { file: path }, cause: error },
    );
  }
  if (bytes.includes(0)) {
    throw new DesignDocError('DD_E_BINARY_FILE', `template ${path} holds binary data, not markdown`, {
      location: { file: path },
    });
  }
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new DesignDocError('DD_E_INVALID_UTF8', `template ${path} is not valid UTF-8`, {
      location: { file: path },
      cause: error,
    });
  }
}

/** A built-in template as the CLI bundle's build compiled it: its source text and schema (JSON). */
export interface PrecompiledTemplate {
  source: string;
  schema: string;
}

// Replaced by scripts/bundle-cli.js with the built-in templates it compiled from the same build;
// not set when this module runs unbundled (tsc's dist/, the tests), which compile them.
const PRECOMPILED: Readonly<Record<string, PrecompiledTemplate>> =
  (globalThis as { __DESIGNDOC_BUILTIN_TEMPLATES__?: Record<string, PrecompiledTemplate> })
    .__DESIGNDOC_BUILTIN_TEMPLATES__ ?? {};

/**
 * The schema of built-in template `name` compiled at build time, when `text` is still the source
 * it was compiled from (else null: the file was changed after the build and must be compiled).
 * Compiling the three built-ins was some 65 ms of every CLI process and lint worker, most of it
 * the parser's first, unoptimised runs; the schema from JSON costs well under a millisecond.
 */
export function precompiledSchema(
  name: string,
  text: string,
  table: Readonly<Record<string, PrecompiledTemplate>> = PRECOMPILED,
): TemplateSchema | null {
  const entry = Object.hasOwn(table, name) ? table[name] : undefined;
  return entry !== undefined && entry.source === text ? (JSON.parse(entry.schema) as TemplateSchema) : null;
}

async function compileFile(path: string, builtin: string | null = null): Promise<TemplateSchema> {
  const text = await readTemplate(path);
  const precompiled = builtin === null ? null : precompiledSchema(builtin, text);
  if (precompiled !== null) return precompiled;
  try {
    return compileTemplate(basename(path, '.md'), text, { fileName: path });
  } catch (error) {
    if (isDesignDocError(error)) throw error;
    throw new DesignDocError(
      'DD_E_TEMPLATE_INVALID',
      `template ${path} could not be compiled: ${(error as Error).message}`,
      {
        location: { file: path },
        cause: error,
      },
    );
  }
}

/**
 * Compiles the three built-in templates, then every `*.md` in `templatesDir` (sorted by name).
 * A user template whose schema name matches a built-in replaces it in place; new names follow the
 * built-ins. Errors are `DesignDocError`s naming the file: a missing or unreadable folder or file,
 * binary or non-UTF-8 content, an invalid template, or two user templates with the same name.
 */
export async function loadTemplates(options: LoadTemplatesOptions = {}): Promise<TemplateSchema[]> {
  const schemas: TemplateSchema[] = [];
  for (const name of BUILTIN_NAMES) schemas.push(await compileFile(join(BUILTIN_DIR, `${name}.md`), name));

  const dir = options.templatesDir;
  if (dir === undefined || dir === null) return schemas;
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw new DesignDocError('DD_E_FILE_UNREADABLE', `templates folder ${dir} is not a folder`, {
        location: { file: dir },
      });
    }
    entries = await readdir(dir);
  } catch (error) {
    if (isDesignDocError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DesignDocError(
      code === 'ENOENT' ? 'DD_E_FILE_NOT_FOUND' : 'DD_E_FILE_UNREADABLE',
      code === 'ENOENT'
        ? `templates folder not found: ${dir}`
        : `cannot read templates folder ${dir}: ${(error as Error).message}`,
      { location: { file: dir }, cause: error },
    );
  }

  const userFiles = new Map<string, string>();
  for (const entry of entries.filter((file) => file.toLowerCase().endsWith('.md')).sort()) {
    const path = join(dir, entry);
    const schema = await compileFile(path);
    const previous = userFiles.get(schema.name);
    if (previous !== undefined) {
      throw new DesignDocError(
        'DD_E_TEMPLATE_INVALID',
        `template ${path} has the name "${schema.name}", already used by ${previous}`,
        {
          location: { file: path },
        },
      );
    }
    userFiles.set(schema.name, path);
    const builtin = schemas.findIndex((existing) => existing.name === schema.name);
    if (builtin === -1) schemas.push(schema);
    else schemas[builtin] = schema;
  }
  return schemas;
}
