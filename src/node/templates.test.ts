import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DesignDocError } from '../core/errors.js';
import { compileTemplate } from '../core/template/compile-template.js';
import {
  builtinTemplateNames,
  builtinTemplatesDir,
  loadTemplates,
  precompiledSchema,
  type PrecompiledTemplate,
} from './templates.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'designdoc-templates-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function loadError(templatesDir: string): Promise<DesignDocError> {
  try {
    await loadTemplates({ templatesDir });
  } catch (error) {
    expect(error).toBeInstanceOf(DesignDocError);
    return error as DesignDocError;
  }
  throw new Error('expected loadTemplates to fail');
}

describe('loadTemplates', () => {
  it('loads the three built-ins from the package templates folder', async () => {
    expect(builtinTemplateNames()).toEqual(['design-document', 'adr', 'rfc']);
    expect(builtinTemplatesDir()).toMatch(/templates[\\/]$/);
    const schemas = await loadTemplates({});
    expect(schemas.map((schema) => schema.name)).toEqual(['design-document', 'adr', 'rfc']);
    expect(schemas[0]?.sections.length).toBe(12);
    expect((await loadTemplates({ templatesDir: null })).length).toBe(3);
  });

  it('adds user templates after the built-ins and lets a same-named one replace a built-in', async () => {
    writeFileSync(join(dir, 'incident review.md'), '# \n\nStatus: \n\n## Timeline\n\n## Root Cause\n');
    writeFileSync(
      join(dir, 'our-adr.md'),
      '---\nname: adr\ntitle: Our ADR\n---\n# \n\nStatus: \n\n## Why\n\n## What\n',
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a template');
    const schemas = await loadTemplates({ templatesDir: dir });
    expect(schemas.map((schema) => schema.name)).toEqual([
      'design-document',
      'adr',
      'rfc',
      'incident-review',
    ]);
    expect(schemas[1]?.title).toBe('Our ADR');
    expect(schemas[1]?.sections.map((section) => section.title)).toEqual(['Why', 'What']);
  });

  it('names the file when a user template does not compile', async () => {
    writeFileSync(join(dir, 'broken.md'), '---\nrequired: [Nowhere]\n---\n# \n\n## Somewhere\n');
    const error = await loadError(dir);
    expect(error.code).toBe('DD_E_TEMPLATE_INVALID');
    expect(error.location.file).toBe(join(dir, 'broken.md'));
    expect(error.location.line).toBe(2);
    expect(error.format()).toContain(`${join(dir, 'broken.md')}:2: template "broken"`);
  });

  it('refuses two user templates with the same name, naming both files', async () => {
    writeFileSync(join(dir, 'a.md'), '---\nname: same\n---\n## A\n');
    writeFileSync(join(dir, 'b.md'), '---\nname: same\n---\n## B\n');
    const error = await loadError(dir);
    expect(error.message).toContain(join(dir, 'a.md'));
    expect(error.message).toContain(join(dir, 'b.md'));
  });

  it('reports a missing folder, a file instead of a folder, binary and non-UTF-8 templates', async () => {
    expect((await loadError(join(dir, 'missing'))).code).toBe('DD_E_FILE_NOT_FOUND');
    writeFileSync(join(dir, 'file.md'), '## A\n');
    expect((await loadError(join(dir, 'file.md'))).code).toBe('DD_E_FILE_UNREADABLE');

    const binary = join(dir, 'bin');
    mkdirSync(binary);
    writeFileSync(join(binary, 'x.md'), Buffer.from([0x23, 0x20, 0x00, 0x01]));
    const binaryError = await loadError(binary);
    expect(binaryError.code).toBe('DD_E_BINARY_FILE');
    expect(binaryError.location.file).toBe(join(binary, 'x.md'));

    const latin1 = join(dir, 'latin1');
    mkdirSync(latin1);
    writeFileSync(join(latin1, 'x.md'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
    expect((await loadError(latin1)).code).toBe('DD_E_INVALID_UTF8');
  });
});

describe('precompiledSchema (the bundle carries the built-ins compiled at build time)', () => {
  const path = join(builtinTemplatesDir(), 'adr.md');
  const source = readFileSync(path, 'utf8');
  const compiled = compileTemplate('adr', source, { fileName: path });
  const table: Record<string, PrecompiledTemplate> = { adr: { source, schema: JSON.stringify(compiled) } };

  it('gives the compiled schema, unchanged by JSON, while the source is the one compiled', () => {
    expect(precompiledSchema('adr', source, table)).toStrictEqual(compiled);
    // A fresh copy each time: no caller can change another's schema.
    expect(precompiledSchema('adr', source, table)).not.toBe(precompiledSchema('adr', source, table));
  });

  it('gives null for a changed source, an unknown name, or when nothing was precompiled', () => {
    expect(precompiledSchema('adr', `${source}\n## Added later\n`, table)).toBeNull();
    expect(precompiledSchema('rfc', source, table)).toBeNull();
    expect(precompiledSchema('toString', source, table)).toBeNull();
    expect(precompiledSchema('adr', source)).toBeNull();
  });
});
