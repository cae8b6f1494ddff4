/**
 * Every rule's docs page runs as a test: its "Bad" example must trigger the rule, its "Good"
 * example must not. Examples are linted against the built-in design-document template. The rule
 * index must list exactly the registered rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES, builtinRegistry } from '../../src/core/lint/index.js';
import { repoRoot } from '../support/corpus.js';
import { lintText } from './lint-support.js';

/** The first fenced `markdown` block under the `## <heading>` of a docs page. */
function example(page: string, heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`no "## ${heading}" section`);
  const rest = page.slice(start);
  const fence = /\n(`{3,})markdown\n([\s\S]*?)\n\1\n/.exec(rest);
  if (!fence) throw new Error(`no markdown example under "## ${heading}"`);
  return `${fence[2] as string}\n`;
}

describe('rule docs', () => {
  for (const rule of BUILTIN_RULES) {
    it(`${rule.docs} exists and its examples hold`, () => {
      const path = join(repoRoot, rule.docs);
      expect(existsSync(path), path).toBe(true);
      const page = readFileSync(path, 'utf8');
      expect(page.startsWith(`# ${rule.id} ${rule.slug}\n`)).toBe(true);
      const bad = lintText(example(page, 'Bad'), { template: 'design-document' });
      expect(
        bad.findings.map((f) => f.ruleId),
        'Bad example',
      ).toContain(rule.id);
      const good = lintText(example(page, 'Good'), { template: 'design-document' });
      const mine = good.findings
        .filter((f) => f.ruleId === rule.id)
        .map((f) => `${f.range.start.line}: ${f.message}`);
      expect(mine, 'Good example').toEqual([]);
    });
  }

  it('docs/rules/index.md lists exactly the registered rules', () => {
    const index = readFileSync(join(repoRoot, 'docs/rules/index.md'), 'utf8');
    const rows = [...index.matchAll(/^\| (DD\d{3}) \| \[([a-z-]+)\]\(([a-z-]+)\.md\)/gm)].map((m) => ({
      id: m[1],
      slug: m[2],
      file: m[3],
    }));
    const rules = builtinRegistry.list().map((r) => ({ id: r.id, slug: r.slug, file: r.slug }));
    expect(rows).toEqual(rules);
  });
});
