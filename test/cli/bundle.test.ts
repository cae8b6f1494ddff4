// The CLI runs from the bundle scripts/bundle-cli.js builds (dist/bundle/). What the bundle must
// carry beyond the modules themselves: the worker entries, found by file name next to the chunks
// (a missing one would not fail a run: lint and the server fall back to their main thread), and
// the built-in templates compiled at build time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { ensureBuilt } from './run-cli.js';

const BUNDLE = join(repoRoot, 'dist/bundle');

beforeAll(() => ensureBuilt(), 240_000);

describe('the CLI bundle', () => {
  it('has the worker entries beside its chunks, under the names the pools look for', () => {
    for (const entry of ['main.js', 'lint-worker.js', 'analysis-worker.js'])
      expect(existsSync(join(BUNDLE, entry)), entry).toBe(true);
  });

  it('carries every built-in template compiled, in place of the placeholder the sources read', () => {
    const code = readdirSync(BUNDLE)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(BUNDLE, name), 'utf8'))
      .join('\n');
    expect(code).not.toContain('__DESIGNDOC_BUILTIN_TEMPLATES__');
    const literal = /JSON\.parse\(("(?:[^"\\]|\\.)*")\)/g;
    const tables = [...code.matchAll(literal)]
      .map((match) => JSON.parse(JSON.parse(match[1] as string) as string) as unknown)
      .filter(
        (value): value is Record<string, { source: string; schema: string }> =>
          typeof value === 'object' && value !== null && 'design-document' in value,
      );
    expect(tables).toHaveLength(1);
    const table = tables[0] as Record<string, { source: string; schema: string }>;
    expect(Object.keys(table)).toEqual(['design-document', 'adr', 'rfc']);
    for (const [name, entry] of Object.entries(table)) {
      expect(entry.source).toBe(readFileSync(join(repoRoot, 'templates', `${name}.md`), 'utf8'));
      expect((JSON.parse(entry.schema) as { name: string }).name).toBe(name);
    }
  });
});
