/**
 * Fixture documents (`test/fixtures/extract/*.md`, plus the built-in template) against their
 * expected extraction (`*.json`). Ranges are written as `line:col-line:col` so the expected files
 * stay reviewable; the corpus test checks offsets separately. Regenerate with UPDATE_FIXTURES=1
 * and review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractContent } from '../../src/core/parse/extract/index.js';
import { repoRoot } from '../support/corpus.js';
import { contextFor } from './context-for.js';

const dir = join(repoRoot, 'test/fixtures/extract');
const cases: { name: string; source: string; expected: string }[] = [
  {
    name: 'template',
    source: join(repoRoot, 'templates/design-document.md'),
    expected: join(dir, 'template.json'),
  },
  ...readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ name: f, source: join(dir, f), expected: join(dir, f.replace(/\.md$/, '.json')) })),
];

/** Replaces every SourceRange with `line:col-line:col`. */
function compact(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (v !== null && typeof v === 'object' && 'start' in v && 'end' in v) {
        const r = v as { start: { line: number; column: number }; end: { line: number; column: number } };
        if (typeof r.start.line === 'number')
          return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
      }
      return v;
    }),
  );
}

describe('extraction fixtures', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const text = readFileSync(c.source, 'utf8');
      const actual = compact(extractContent(contextFor(text, c.name)));
      if (process.env.UPDATE_FIXTURES === '1') {
        writeFileSync(c.expected, `${JSON.stringify(actual, null, 2)}\n`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(c.expected, 'utf8')));
    });
  }
});
