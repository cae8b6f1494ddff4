// What the built CLI refuses instead of guessing: unknown rules and rule options in a template's
// front matter, rule option values a rule cannot use in designdoc.config.json, and a flag that takes
// one value given twice. Each is one line on stderr with its code, exit 2, and nothing else.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempFolder } from './run-cli.js';

let dir: string;
let cleanup: () => void;

const DOCUMENT = '# Search\n\nStatus: Draft\n\n## Overview\n\nWhat it does.\n\n## Security\n\nTokens.\n';

beforeAll(() => {
  ensureBuilt();
  ({ dir, cleanup } = tempFolder('designdoc-strict-'));
}, 300_000);
afterAll(() => cleanup());

/** A project folder holding `doc.md`, the given config and, when given, `templates/team.md`. */
function project(name: string, config: unknown, template?: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'templates'), { recursive: true });
  writeFileSync(join(root, 'doc.md'), DOCUMENT);
  writeFileSync(join(root, 'designdoc.config.json'), JSON.stringify(config));
  if (template !== undefined) writeFileSync(join(root, 'templates', 'team.md'), template);
  return root;
}

function teamTemplate(rules: string): string {
  return `---\nname: team\ntitle: Team Design\nrules:\n${rules}\n---\n# \n\nStatus: \n\n## Overview\n\n## Security\n`;
}

describe('template front matter rules', () => {
  it('refuses an unknown rule naming the template file, the line, the key and the nearest rule', async () => {
    const root = project(
      'unknown-rule',
      { templatesDir: 'templates' },
      teamTemplate('  thin-securty:\n    minWords: 10'),
    );
    const result = await runCli(['lint', 'doc.md'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `designdoc: ${join(root, 'templates', 'team.md')}:5: template "team", front matter line 5, key "rules.thin-securty": unknown rule (did you mean thin-security?); rules are named by slug (empty-section) or id (DD004) [DD_E_TEMPLATE_INVALID]\n`,
    );
  });

  it('refuses an unknown rule option and an option value the rule cannot use, on their own lines', async () => {
    const option = project(
      'unknown-option',
      { templatesDir: 'templates' },
      teamTemplate('  thin-security:\n    minWord: 10'),
    );
    const typo = await runCli(['lint', 'doc.md'], { cwd: option });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /^designdoc: .*team\.md:6: template "team", front matter line 6, key "rules\.thin-security\.minWord": unknown option \(did you mean minWords\?\); rule thin-security takes minWords \[DD_E_TEMPLATE_INVALID\]\n$/,
    );

    const value = project(
      'bad-option-value',
      { templatesDir: 'templates' },
      teamTemplate('  DD019:\n    minWords: -5'),
    );
    const negative = await runCli(['lint', 'doc.md'], { cwd: value });
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(
      /^designdoc: .*team\.md:6: .*key "rules\.DD019\.minWords": expected a whole number from 0 to 10000 \(words\), found -5 \[DD_E_TEMPLATE_INVALID\]\n$/,
    );
  });

  it('applies a valid rule option from the template', async () => {
    const strict = project(
      'valid-option',
      { templatesDir: 'templates', template: 'team' },
      teamTemplate('  thin-security:\n    minWords: 0'),
    );
    const result = await runCli(['lint', 'doc.md', '--format', 'json'], { cwd: strict });
    expect(result.stderr).toBe('');
    const findings = (JSON.parse(result.stdout) as Array<{ findings: Array<{ rule: string }> }>)[0]?.findings;
    expect(findings?.some((finding) => finding.rule === 'thin-security')).toBe(false);
    const lenient = project(
      'valid-option-high',
      { templatesDir: 'templates', template: 'team' },
      teamTemplate('  thin-security:\n    minWords: 500'),
    );
    const thin = await runCli(['lint', 'doc.md', '--format', 'json'], { cwd: lenient });
    const thinFindings = (JSON.parse(thin.stdout) as Array<{ findings: Array<{ rule: string }> }>)[0]
      ?.findings;
    expect(thinFindings?.some((finding) => finding.rule === 'thin-security')).toBe(true);
  });
});

describe('designdoc.config.json rule options', () => {
  const cases: Array<[string, string, string]> = [
    ['negative', '-5', 'found -5'],
    ['fraction', '2.5', 'found 2.5'],
    ['overflow', '1e999', 'found Infinity'],
    ['huge', '1e300', 'found 1e+300'],
    ['string', '"40"', 'found "40"'],
    ['null', 'null', 'found null'],
  ];
  for (const [name, json, found] of cases) {
    it(`refuses minWords ${json} naming the file, the field path and the expected value`, async () => {
      const root = join(dir, `config-${name}`);
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'doc.md'), DOCUMENT);
      writeFileSync(
        join(root, 'designdoc.config.json'),
        `{ "rules": { "thin-security": ["warning", { "minWords": ${json} }] } }\n`,
      );
      const result = await runCli(['lint', 'doc.md'], { cwd: root });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `designdoc: designdoc.config.json: rules.thin-security[1].minWords: expected a whole number from 0 to 10000 (words), ${found} [DD_E_CONFIG_INVALID]\n`,
      );
    });
  }
});

describe('a flag that takes one value, given twice', () => {
  it('is a usage error naming the flag, whatever the spelling', async () => {
    writeFileSync(join(dir, 'doc.md'), DOCUMENT);
    const runs: Array<[string[], string]> = [
      [
        ['lint', 'doc.md', '--format', 'json', '--format', 'sarif'],
        '-f/--format given more than once ("json", then "sarif")',
      ],
      [
        ['lint', 'doc.md', '-f', 'json', '--format=json'],
        '-f/--format given more than once ("json", then "json")',
      ],
      [
        ['render', 'doc.md', '-o', 'a.html', '-o', 'b.html'],
        '-o/--output given more than once ("a.html", then "b.html")',
      ],
      [
        ['new', 'Thing', '-o', 'a.md', '--output', 'b.md'],
        '-o/--output given more than once ("a.md", then "b.md")',
      ],
      [
        ['list', '.', '--status', 'draft', '-s', 'approved'],
        '-s/--status given more than once ("draft", then "approved")',
      ],
      [
        ['show', 'doc.md', '--config', 'a.json', '--config', 'b.json'],
        '-c/--config given more than once ("a.json", then "b.json")',
      ],
      [['export', 'out', '--data', 'd1', '--data', 'd2'], '--data given more than once ("d1", then "d2")'],
    ];
    for (const [args, message] of runs) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      const [first, second, ...rest] = result.stderr.split('\n');
      expect(first, args.join(' ')).toBe(`designdoc: option ${message}; it takes one value [DD_E_USAGE]`);
      expect(second, args.join(' ')).toMatch(new RegExp(`^usage: designdoc ${args[0] as string} `));
      expect(rest).toEqual(['']);
    }
    // Nothing was written on the way to the refusal.
    for (const file of ['a.html', 'b.html', 'a.md', 'b.md', 'out', 'd1', 'd2'])
      expect(existsSync(join(dir, file)), file).toBe(false);
  });

  it('lets a switch repeat, and still takes a value flag given once', async () => {
    const result = await runCli(['lint', 'doc.md', '-q', '--quiet', '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
  });
});
