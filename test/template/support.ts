/**
 * Shared helpers for the template tests: the built-in templates read from the repository's
 * templates/ folder and compiled the way the loader compiles them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTemplate } from '../../src/core/template/compile-template.js';
import type { SchemaSection, TemplateSchema } from '../../src/core/template/schema.js';
import { repoRoot } from '../support/corpus.js';

export const BUILTINS = ['design-document', 'adr', 'rfc'] as const;

/** The text of a built-in template file. */
export function builtinText(name: string): string {
  return readFileSync(join(repoRoot, 'templates', `${name}.md`), 'utf8');
}

/** A built-in template compiled from its file. */
export function builtinSchema(name: string): TemplateSchema {
  return compileTemplate(name, builtinText(name), { fileName: `templates/${name}.md` });
}

/** A fixture file under test/template/fixtures. */
export function fixture(file: string): string {
  return readFileSync(join(repoRoot, 'test/template/fixtures', file), 'utf8');
}

/** The schema section with this title, searched depth-first; throws when absent so tests read plainly. */
export function sectionOf(schema: TemplateSchema | SchemaSection[], title: string): SchemaSection {
  const list = Array.isArray(schema) ? schema : schema.sections;
  const stack = [...list];
  while (stack.length > 0) {
    const section = stack.shift() as SchemaSection;
    if (section.title === title) return section;
    stack.push(...section.children);
  }
  throw new Error(`no section "${title}" in the schema`);
}
