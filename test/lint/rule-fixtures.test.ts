/**
 * Every rule has a fixture, `test/fixtures/rules/<slug>.md`, whose inline markers say on which lines
 * its findings must land. The rule's findings (and those of any rule a marker names) must match the
 * markers exactly: no missing, no extra.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe as suite, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/core/lint/index.js';
import { repoRoot } from '../support/corpus.js';
import { describe, readFixture } from './fixture-markers.js';
import { lintText } from './lint-support.js';

const dir = join(repoRoot, 'test/fixtures/rules');
const files = readdirSync(dir).filter((file) => file.endsWith('.md'));

suite('rule fixtures', () => {
  it('every rule has a fixture', () => {
    const slugs = new Set(files.map((file) => file.replace(/\.md$/, '')));
    expect(BUILTIN_RULES.filter((rule) => !slugs.has(rule.slug)).map((rule) => rule.slug)).toEqual([]);
  });

  for (const file of files) {
    const slug = file.replace(/\.md$/, '');
    const rule = BUILTIN_RULES.find((r) => r.slug === slug);
    it(`${file} gets exactly the marked findings`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const spec = readFixture(text);
      const ids = new Set(spec.rules);
      if (rule) ids.add(rule.id);
      const result = lintText(text, { template: spec.template, fileName: file });
      const found = new Map<number, string[]>();
      for (const finding of result.findings) {
        if (!ids.has(finding.ruleId) && !(slug === 'filled-design-document')) continue;
        const list = found.get(finding.range.start.line) ?? [];
        list.push(finding.ruleId);
        list.sort();
        found.set(finding.range.start.line, list);
      }
      if (spec.expectNone && rule)
        expect(spec.expected.size, 'expect-none fixtures carry no markers').toBe(0);
      const detail = result.findings
        .filter((f) => ids.has(f.ruleId) || slug === 'filled-design-document')
        .map((f) => `${f.range.start.line}: ${f.ruleId} ${f.message}`);
      expect(describe(found), detail.join('\n')).toEqual(describe(spec.expected));
      // Every finding's range lies in the text and runs forwards.
      for (const finding of result.findings) {
        expect(finding.range.start.offset).toBeLessThanOrEqual(finding.range.end.offset);
        expect(finding.range.end.offset).toBeLessThanOrEqual(text.length);
      }
    });
  }
});
