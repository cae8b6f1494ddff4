/**
 * Test support for the linter: the built-in templates compiled once, and a lint-from-text helper.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lint, type LintConfig, type LintResult } from '../../src/core/lint/index.js';
import type { DesignDocument } from '../../src/core/model.js';
import { parse } from '../../src/core/parse/index.js';
import { compileTemplate } from '../../src/core/template/index.js';
import type { TemplateSchema } from '../../src/core/template/schema.js';
import { repoRoot } from '../support/corpus.js';

const schemas = new Map<string, TemplateSchema>();

/** A built-in template from `templates/`, compiled once per run. */
export function builtinSchema(name: string): TemplateSchema {
  let schema = schemas.get(name);
  if (!schema) {
    schema = compileTemplate(name, readFileSync(join(repoRoot, 'templates', `${name}.md`), 'utf8'));
    schemas.set(name, schema);
  }
  return schema;
}

export function parseText(text: string, fileName = 'doc.md'): DesignDocument {
  return parse(text, { fileName });
}

/** Parses and lints a text. */
export function lintText(
  text: string,
  options: {
    template?: string | null;
    schema?: TemplateSchema | null;
    config?: LintConfig;
    fileName?: string;
  } = {},
): LintResult {
  const schema = options.schema ?? (options.template ? builtinSchema(options.template) : null);
  return lint(parseText(text, options.fileName), {
    schema,
    ...(options.config ? { config: options.config } : {}),
  });
}
