/**
 * The linter's engine through its public surface: the registry, severities and options from the
 * config, inline directives, internal errors, ordering, fixes and the score.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_RULES,
  INTERNAL_ERROR,
  RuleRegistry,
  applyFixes,
  builtinRegistry,
  lint,
  validateConfig,
  type LintConfig,
  type Rule,
} from '../../src/core/lint/index.js';
import { isDesignDocError, type DesignDocError } from '../../src/core/errors.js';
import { repoRoot } from '../support/corpus.js';
import { builtinSchema, lintText, parseText } from './lint-support.js';

const CONTRACT = [
  ['DD001', 'no-title', 'error'],
  ['DD002', 'required-section-missing', 'error'],
  ['DD003', 'section-order', 'warning'],
  ['DD004', 'empty-section', 'warning'],
  ['DD005', 'empty-field', 'warning'],
  ['DD006', 'placeholder-text', 'warning'],
  ['DD007', 'empty-metadata', 'error'],
  ['DD008', 'metadata-missing', 'error'],
  ['DD009', 'metadata-invalid', 'error'],
  ['DD010', 'decision-incomplete', 'warning'],
  ['DD011', 'unmeasurable-target', 'warning'],
  ['DD012', 'unmeasurable-criterion', 'warning'],
  ['DD013', 'question-without-status', 'warning'],
  ['DD014', 'status-inconsistent', 'error'],
  ['DD015', 'diagram-components-mismatch', 'warning'],
  ['DD016', 'empty-link', 'warning'],
  ['DD017', 'duplicate-heading', 'warning'],
  ['DD018', 'heading-increment', 'warning'],
  ['DD019', 'thin-security', 'warning'],
];

const filled = readFileSync(join(repoRoot, 'test/fixtures/rules/filled-design-document.md'), 'utf8');

function fakeRule(id: string, slug: string, check: Rule['check'] = () => {}): Rule {
  return {
    id,
    slug,
    description: slug,
    tags: [],
    defaultSeverity: 'warning',
    fixable: false,
    docs: `docs/rules/${slug}.md`,
    check,
  };
}

describe('registry', () => {
  it('holds exactly the contract rules with their ids, slugs and default severities', () => {
    expect(builtinRegistry.list().map((r) => [r.id, r.slug, r.defaultSeverity])).toEqual(CONTRACT);
    expect(BUILTIN_RULES.filter((r) => r.fixable).map((r) => r.id)).toEqual(['DD002', 'DD008', 'DD009']);
    for (const rule of BUILTIN_RULES) expect(rule.docs).toBe(`docs/rules/${rule.slug}.md`);
  });

  it('finds rules by id or slug in any case', () => {
    expect(builtinRegistry.get('dd004')?.slug).toBe('empty-section');
    expect(builtinRegistry.get('Empty-Field')?.id).toBe('DD005');
    expect(builtinRegistry.get('nope')).toBeUndefined();
  });

  it('refuses duplicate ids and slugs and malformed names', () => {
    const registry = new RuleRegistry([fakeRule('DD900', 'one')]);
    expect(() => registry.register(fakeRule('DD900', 'two'))).toThrow(/duplicate rule "DD900"/);
    expect(() => registry.register(fakeRule('DD901', 'one'))).toThrow(/duplicate rule "one"/);
    expect(() => registry.register(fakeRule('X1', 'three'))).toThrow(/must look like DD001/);
    expect(() => registry.register(fakeRule('DD902', 'Not Kebab'))).toThrow(/kebab-case/);
  });
});

describe('lint', () => {
  it('turns a throwing rule into one internal-error finding and keeps the others', () => {
    const registry = new RuleRegistry([
      fakeRule('DD901', 'explodes', () => {
        throw new Error('boom');
      }),
      fakeRule('DD902', 'reports', (ctx, report) =>
        report({
          message: 'here',
          range: ctx.doc.headings[0]?.range ?? {
            start: { line: 1, column: 1, offset: 0 },
            end: { line: 1, column: 1, offset: 0 },
          },
        }),
      ),
    ]);
    const result = lint(parseText('# Title\n'), { registry });
    expect(result.findings.map((f) => [f.ruleId, f.rule])).toEqual([
      [INTERNAL_ERROR.ruleId, INTERNAL_ERROR.rule],
      ['DD902', 'reports'],
    ]);
    expect(result.findings[0]?.message).toBe('Rule DD901 (explodes) failed on this document: boom');
    expect(result.counts).toEqual({ error: 1, warning: 1, info: 0 });
  });

  it('never throws on a hand-built partial config', () => {
    // Only `rules` given: the other keys a validated config always has are missing.
    const config = { rules: { DD006: { severity: 'error', options: {} } } } as unknown as LintConfig;
    const result = lint(parseText('# T\n\nTBD\n'), { config });
    expect(result.findings.map((f) => [f.ruleId, f.severity])).toEqual([['DD006', 'error']]);
  });

  it('sorts findings by position', () => {
    const result = lintText('# T\n\n## A\n\n#### Deep\n\nx TBD\n\n## A\n\ny TODO\n');
    const offsets = result.findings.map((f) => f.range.start.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(result.findings.map((f) => f.ruleId)).toEqual(['DD018', 'DD006', 'DD017', 'DD006']);
  });

  it('applies configured severities, turns rules off and passes options', () => {
    const text =
      '# T\n\nLaunch date TBD.\n\n## Security\n\nTokens are scoped per tenant and rotated daily.\n';
    const config = validateConfig({
      rules: { 'placeholder-text': 'error', DD019: ['info', { minWords: 5 }] },
    });
    const schema = builtinSchema('design-document');
    const result = lint(parseText(text), { schema, config });
    expect(result.findings.find((f) => f.ruleId === 'DD006')?.severity).toBe('error');
    expect(result.findings.some((f) => f.ruleId === 'DD019')).toBe(false);
    const strict = lint(parseText(text), {
      schema,
      config: validateConfig({ rules: { DD019: ['info', { minWords: 50 }] } }),
    });
    expect(strict.findings.find((f) => f.ruleId === 'DD019')?.severity).toBe('info');
    const off = lint(parseText(text), { config: validateConfig({ rules: { DD006: 'off' } }) });
    expect(off.findings.some((f) => f.ruleId === 'DD006')).toBe(false);
  });

  it('honours disable/enable ranges, next-line and same-line directives by id or slug', () => {
    const text = [
      '# T', //1
      '', //2
      '<!-- designdoc-disable placeholder-text -->', //3
      'one TBD', //4
      '<!-- designdoc-enable placeholder-text -->', //5
      'two TBD', //6
      '<!-- designdoc-disable-next-line DD006 -->', //7
      'three TBD', //8
      'four TBD <!-- designdoc-disable-line dd006 -->', //9
      '<!-- designdoc-disable -->', //10
      'five TBD', //11
      '<!-- designdoc-enable -->', //12
      'six TBD', //13
      '',
    ].join('\n');
    const lines = lintText(text)
      .findings.filter((f) => f.ruleId === 'DD006')
      .map((f) => f.range.start.line);
    expect(lines).toEqual([6, 13]);
  });

  it('checks the status against extra configured words', () => {
    const text = '# T\n\nStatus: Blessed\n\n## Open Questions\n\n- [ ] Which region?\n  - **Status**: open\n';
    expect(lintText(text).findings.some((f) => f.ruleId === 'DD014')).toBe(false);
    const config = validateConfig({ statuses: { approved: ['blessed'] } });
    const result = lint(parseText(text), { config, schema: builtinSchema('design-document') });
    expect(result.findings.filter((f) => f.ruleId === 'DD014').map((f) => f.message)[0]).toMatch(
      /^Status "Blessed" with 1 open question/,
    );
    expect(result.findings.some((f) => f.ruleId === 'DD009' && f.message.includes('Blessed'))).toBe(false);
  });
});

describe('validateConfig', () => {
  const invalid = (json: unknown): string => {
    try {
      validateConfig(json, 'designdoc.config.json');
    } catch (error) {
      expect(isDesignDocError(error) && error.code).toBe('DD_E_CONFIG_INVALID');
      // As printed: the file once (from the location), then the path and the problem.
      return (error as DesignDocError).format().replace(/ \[DD_E_CONFIG_INVALID\]$/, '');
    }
    throw new Error('expected the config to be refused');
  };

  it('accepts a full config and keys rules by id', () => {
    const config = validateConfig({
      rules: { 'empty-field': 'error', DD018: 'off', 'thin-security': ['warning', { minWords: 80 }] },
      templatesDir: 'templates',
      template: 'design-document',
      statuses: { approved: ['signed off'] },
      maxFileSize: 1000000,
      ignore: ['archive/**'],
    });
    expect(config.rules).toEqual({
      DD005: { severity: 'error', options: {} },
      DD018: { severity: 'off', options: {} },
      DD019: { severity: 'warning', options: { minWords: 80 } },
    });
    expect(config).toMatchObject({
      templatesDir: 'templates',
      template: 'design-document',
      statuses: { approved: ['signed off'] },
      maxFileSize: 1000000,
      ignore: ['archive/**'],
    });
  });

  it('names the file, the JSON path and a suggestion', () => {
    expect(invalid({ rules: { 'empty-feld': 'warning' } })).toBe(
      'designdoc.config.json: rules.empty-feld: unknown rule (did you mean empty-field?)',
    );
    expect(invalid({ rulez: {} })).toBe('designdoc.config.json: rulez: unknown key (did you mean rules?)');
    expect(invalid({ rules: { DD004: 'warn' } })).toBe(
      'designdoc.config.json: rules.DD004: expected one of "off", "info", "warning", "error", found "warn"',
    );
    expect(invalid({ rules: { DD019: ['warning', { minWords: 'forty' }] } })).toBe(
      'designdoc.config.json: rules.DD019[1].minWords: expected a whole number from 0 to 10000 (words), found "forty"',
    );
    expect(invalid({ rules: { DD019: ['warning', { minWord: 3 }] } })).toMatch(
      /^designdoc.config.json: rules.DD019\[1\].minWord: unknown option \(did you mean minWords\?\)/,
    );
    expect(invalid({ rules: { DD004: ['warning', { x: 1 }] } })).toBe(
      'designdoc.config.json: rules.DD004[1].x: rule empty-section takes no options',
    );
    expect(invalid({ rules: { DD004: 'warning', 'empty-section': 'error' } })).toMatch(/configured twice/);
    expect(invalid({ statuses: { aproved: ['x'] } })).toMatch(
      /^designdoc.config.json: statuses.aproved: unknown lifecycle state \(did you mean approved\?\)/,
    );
    expect(invalid({ statuses: { approved: 'x' } })).toMatch(
      /statuses.approved: expected an array of non-empty strings/,
    );
    expect(invalid({ maxFileSize: -1 })).toMatch(
      /^designdoc.config.json: maxFileSize: expected a positive integer/,
    );
    expect(invalid({ ignore: ['ok', 3] })).toMatch(
      /^designdoc.config.json: ignore\[1\]: expected a glob string, found a number/,
    );
    expect(invalid({ template: '' })).toMatch(
      /^designdoc.config.json: template: expected a non-empty string/,
    );
    expect(invalid([])).toBe('designdoc.config.json: expected a JSON object, found an array');
  });

  it('refuses numeric rule options outside what the rule accepts, naming the expected value', () => {
    const expected = 'expected a whole number from 0 to 10000 (words)';
    const cases: Array<[unknown, string]> = [
      [-5, '-5'],
      [-0.5, '-0.5'],
      [2.5, '2.5'],
      [Number.NaN, 'NaN'],
      [JSON.parse('1e999') as number, 'Infinity'],
      [1e300, '1e+300'],
      [10_001, '10001'],
      ['40', '"40"'],
      [null, 'null'],
      [true, 'true'],
      [[40], 'an array'],
    ];
    for (const [value, shown] of cases) {
      expect(invalid({ rules: { 'thin-security': ['warning', { minWords: value }] } }), String(value)).toBe(
        `designdoc.config.json: rules.thin-security[1].minWords: ${expected}, found ${shown}`,
      );
    }
    // The bounds themselves are fine.
    for (const minWords of [0, 10_000]) {
      expect(validateConfig({ rules: { DD019: ['warning', { minWords }] } }).rules.DD019?.options).toEqual({
        minWords,
      });
    }
  });

  it('checks every option type a rule can declare', () => {
    const registry = new RuleRegistry([
      {
        ...fakeRule('DD900', 'typed-options'),
        options: {
          count: { type: 'number', default: 1, integer: true, min: 1, max: 5, description: 'a count' },
          ratio: { type: 'number', default: 0.5, integer: false, min: 0, max: 1, description: 'a share' },
          mode: { type: 'string', default: 'fast', allowed: ['fast', 'slow'], description: 'a mode' },
          label: { type: 'string', default: 'x', description: 'a label' },
          strict: { type: 'boolean', default: false, description: 'a switch' },
          words: { type: 'string[]', default: [], description: 'some words' },
        },
      },
    ]);
    const problem = (options: Record<string, unknown>): string => {
      try {
        validateConfig({ rules: { 'typed-options': ['warning', options] } }, 'c.json', registry);
      } catch (error) {
        return (error as DesignDocError).message;
      }
      return 'accepted';
    };
    expect(problem({ count: 3, ratio: 0.25, mode: 'slow', label: 'y', strict: true, words: ['a'] })).toBe(
      'accepted',
    );
    expect(problem({ count: 0 })).toBe(
      'rules.typed-options[1].count: expected a whole number from 1 to 5, found 0',
    );
    expect(problem({ ratio: 1.5 })).toBe(
      'rules.typed-options[1].ratio: expected a number from 0 to 1, found 1.5',
    );
    expect(problem({ mode: 'medium' })).toBe(
      'rules.typed-options[1].mode: expected one of "fast", "slow", found "medium"',
    );
    expect(problem({ label: '  ' })).toBe(
      'rules.typed-options[1].label: expected a non-empty string, found "  "',
    );
    expect(problem({ strict: 'yes' })).toBe(
      'rules.typed-options[1].strict: expected true or false, found "yes"',
    );
    expect(problem({ words: ['a', ''] })).toBe(
      'rules.typed-options[1].words: expected a list of non-empty strings, found "" at index 1',
    );
    expect(problem({ words: 'a' })).toBe(
      'rules.typed-options[1].words: expected a list of non-empty strings, found "a"',
    );
  });

  it('refuses a maxFileSize beyond what a byte count can be, and a $schema that is not a string', () => {
    expect(invalid({ maxFileSize: 1e300 })).toBe(
      `designdoc.config.json: maxFileSize: expected a positive integer (bytes) up to ${Number.MAX_SAFE_INTEGER}, found 1e+300`,
    );
    expect(invalid({ maxFileSize: 1.5 })).toMatch(/maxFileSize: .* found 1\.5$/);
    expect(invalid({ $schema: 3 })).toBe(
      'designdoc.config.json: $schema: expected a URL or path string, found 3',
    );
  });
});

describe('rule option declarations', () => {
  it('give every built-in numeric option a range, counts as whole numbers from 0', () => {
    for (const builtin of BUILTIN_RULES) {
      for (const [name, spec] of Object.entries(builtin.options ?? {})) {
        if (spec.type !== 'number') continue;
        expect(Number.isFinite(spec.min) && Number.isFinite(spec.max), `${builtin.slug}.${name}`).toBe(true);
        expect(spec.min, `${builtin.slug}.${name}`).toBeGreaterThanOrEqual(0);
        expect(spec.default, `${builtin.slug}.${name} default`).toBeGreaterThanOrEqual(spec.min);
        expect(spec.default, `${builtin.slug}.${name} default`).toBeLessThanOrEqual(spec.max);
        if (spec.integer) expect(Number.isInteger(spec.default), `${builtin.slug}.${name}`).toBe(true);
      }
    }
  });
});

describe('applyFixes', () => {
  const schema = builtinSchema('design-document');

  it('inserts a missing required section from the skeleton where it belongs', () => {
    const text = filled.replace(/## Problem Statement\n[\s\S]*?(?=## Goals)/, '');
    const before = lint(parseText(text), { schema });
    const missing = before.findings.filter((f) => f.ruleId === 'DD002');
    expect(missing.map((f) => f.message)).toEqual([
      'Required section missing: expected "Problem Statement", found none',
    ]);
    const { text: fixed, applied } = applyFixes(text, before.findings);
    expect(applied).toBe(1);
    expect(fixed).toContain('## Executive Summary');
    expect(fixed.indexOf('## Problem Statement\n\n## Goals & Success Criteria')).toBeGreaterThan(
      fixed.indexOf('## Executive Summary'),
    );
    const after = lint(parseText(fixed), { schema });
    expect(after.findings.filter((f) => f.ruleId === 'DD002' || f.ruleId === 'DD003')).toEqual([]);
    // The inserted section is empty, which is now the only news.
    expect(after.findings.map((f) => f.ruleId)).toEqual(['DD004']);
  });

  it('inserts a missing section with its subsections, fields and groups', () => {
    const text = filled.replace(/## Security\n[\s\S]*?(?=## Dependencies)/, '');
    const { text: fixed } = applyFixes(text, lint(parseText(text), { schema }).findings);
    expect(fixed).toContain('## Security\n\n**Authentication**\n- \n');
    expect(fixed).toContain('- **PII Handling**: \n');
    expect(fixed.indexOf('## Security')).toBeLessThan(fixed.indexOf('## Dependencies & Assumptions'));
    expect(lint(parseText(fixed), { schema }).findings.filter((f) => f.ruleId === 'DD002')).toEqual([]);
  });

  it('inserts missing metadata lines and normalises status and version spelling', () => {
    const text = '# Search Indexer\n\nType: Service Design\n\n## Executive Summary\n\nText.\n';
    const first = applyFixes(text, lint(parseText(text), { schema }).findings);
    expect(
      first.text.startsWith(
        '# Search Indexer\n\nType: Service Design\nStatus: Draft\nVersion: 0.1\n\n## Executive Summary',
      ),
    ).toBe(true);
    const spelled = 'Status: in-review\nVersion: v2.1\n' + text.slice(text.indexOf('\n\n') + 2);
    const result = lint(parseText(`# Search Indexer\n\n${spelled}`), { schema });
    const dd009 = result.findings.filter((f) => f.ruleId === 'DD009');
    expect(dd009.map((f) => [f.severity, f.message])).toEqual([
      ['warning', 'Status not written as the template writes it: expected "In Review", found "in-review"'],
      ['error', 'Version malformed: expected a value matching ^\\d+(\\.\\d+){0,2}$, found "v2.1"'],
    ]);
    const fixed = applyFixes(`# Search Indexer\n\n${spelled}`, result.findings).text;
    expect(fixed).toContain('Status: In Review\nVersion: 2.1\n');
  });

  it('skips overlapping edits and keeps inserts at one offset in finding order', () => {
    const at = (offset: number) => ({ line: 1, column: offset + 1, offset });
    const finding = (start: number, end: number, text: string) => ({
      ruleId: 'DD900',
      rule: 'x',
      severity: 'warning' as const,
      message: 'm',
      range: { start: at(start), end: at(end) },
      fix: [{ range: { start: at(start), end: at(end) }, text }],
    });
    const result = applyFixes('abcdef', [
      finding(1, 3, 'X'),
      finding(2, 4, 'Y'),
      finding(5, 5, '1'),
      finding(5, 5, '2'),
      finding(0, 0, '>'),
    ]);
    expect(result).toEqual({ text: '>aXde12f', applied: 4 });
  });
});

describe('score', () => {
  const schema = builtinSchema('design-document');

  it('is 100 for the complete, clean document and low for the blank template', () => {
    expect(lint(parseText(filled), { schema }).score).toBe(100);
    const blank = readFileSync(join(repoRoot, 'templates/design-document.md'), 'utf8');
    expect(lint(parseText(blank), { schema }).score).toBe(0);
  });

  it('takes 5 points per error and rises as sections are filled', () => {
    const noStatus = filled.replace('Status: Approved\n', '');
    const result = lint(parseText(noStatus), { schema });
    expect(result.counts.error).toBe(1);
    expect(result.score).toBeLessThan(100 - 5 + 1);
    const emptier = filled
      .replace(/(## Problem Statement\n\n)[\s\S]*?(?=## Goals)/, '$1')
      .replace(/(## Context & Background\n\n)[\s\S]*?(?=## Proposed)/, '$1');
    const lessFilled = lint(parseText(emptier), { schema });
    const oneLess = lint(parseText(filled.replace(/(## Problem Statement\n\n)[\s\S]*?(?=## Goals)/, '$1')), {
      schema,
    });
    expect(lessFilled.score).toBeLessThan(oneLess.score);
    expect(oneLess.score).toBeLessThan(100);
  });
});
