import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { ensureBuilt, lines, runCli, tempFolder } from './run-cli.js';

const FINDING_LINE = /^(.+):(\d+):(\d+) (error|warning|info) (.+) \[(DD\d{3}) ([a-z0-9-]+)\]$/;
const EXAMPLE = join(repoRoot, 'examples/payments-service.md');
// The built-in copy is byte-identical to the shared template (test/template/builtin-schemas.test.ts).
const TEMPLATE = join(repoRoot, 'templates/design-document.md');

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ensureBuilt();
  ({ dir, cleanup } = tempFolder());
  copyFileSync(EXAMPLE, join(dir, 'clean.md'));
  copyFileSync(TEMPLATE, join(dir, 'blank.md'));
}, 300_000);
afterAll(() => cleanup());

describe('designdoc lint: exit codes and stylish output', () => {
  it('exits 0 on a fully filled document and says so', async () => {
    const result = await runCli(['lint', 'clean.md'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('no problems in 1 file\n');
  });

  it('exits 1 on the blank template, reporting empty metadata, sections, fields, the placeholder link and the approval slots', async () => {
    const result = await runCli(['lint', TEMPLATE], { cwd: dir });
    expect(result.code).toBe(1);
    const findings = lines(result.stdout).filter((line) => FINDING_LINE.test(line));
    const rules = new Set(findings.map((line) => FINDING_LINE.exec(line)?.[6]));
    for (const rule of ['DD004', 'DD005', 'DD007', 'DD016']) expect(rules, rule).toContain(rule);
    for (const key of ['Type', 'Status', 'Version'])
      expect(result.stdout).toContain(`Metadata "${key}" is empty`);
    for (const slot of ['Technical Review', 'Architecture Review', 'Security Review', 'Approved By'])
      expect(result.stdout).toContain(`"${slot}"`);
    expect(findings.every((line) => line.startsWith(`${TEMPLATE}:`))).toBe(true);
  });

  it('prints file:line:col severity message [id slug] lines grouped per file, then a summary', async () => {
    const result = await runCli(['lint', 'blank.md', 'clean.md'], { cwd: dir });
    expect(result.code).toBe(1);
    const out = lines(result.stdout);
    const summary = out[out.length - 1] as string;
    expect(summary).toMatch(/^\d+ problems \(\d+ errors?, \d+ warnings?\) in 1 of 2 files$/);
    const findings = out.slice(0, -2);
    expect(findings.length).toBeGreaterThan(10);
    for (const line of findings) expect(line).toMatch(FINDING_LINE);
    // Sorted by position within the file.
    const positions = findings.map((line) => Number(FINDING_LINE.exec(line)?.[2]));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('has no escape codes when stdout is not a TTY, or with NO_COLOR; FORCE_COLOR turns colour on', async () => {
    const plain = await runCli(['lint', 'blank.md'], { cwd: dir });
    const noColor = await runCli(['lint', 'blank.md'], {
      cwd: dir,
      env: { NO_COLOR: '1', FORCE_COLOR: '1' },
    });
    const forced = await runCli(['lint', 'blank.md'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\x1b[');
    expect(plain.stderr).not.toContain('\x1b[');
    expect(noColor.stdout).not.toContain('\x1b[');
    expect(forced.stdout).toContain('\x1b[');
    // eslint-disable-next-line no-control-regex -- stripping ANSI colour sequences
    expect(forced.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain.stdout);
  });

  it('--quiet prints errors only', async () => {
    const result = await runCli(['lint', 'blank.md', '--quiet'], { cwd: dir });
    expect(result.code).toBe(1);
    const findings = lines(result.stdout).filter((line) => FINDING_LINE.test(line));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((line) => FINDING_LINE.exec(line)?.[4] === 'error')).toBe(true);
  });

  it('--max-warnings N exits 1 only when warnings exceed N', async () => {
    const sub = join(dir, 'warnings');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub, { recursive: true });
    // The clean example with one placeholder link: a warning, no error.
    writeFileSync(
      join(sub, 'one-warning.md'),
      readFileSync(EXAMPLE, 'utf8').replace(/\n## Security\n/, '\nSee [the runbook](#).\n\n## Security\n'),
    );
    const json = await runCli(['lint', 'warnings', '--format', 'json'], { cwd: dir });
    const warnings =
      (JSON.parse(json.stdout) as Array<{ findings: Array<{ severity: string }> }>)[0]?.findings.filter(
        (f) => f.severity === 'warning',
      ).length ?? 0;
    expect(json.code).toBe(0);
    expect(warnings).toBeGreaterThan(0);
    expect((await runCli(['lint', 'warnings', '--max-warnings', String(warnings)], { cwd: dir })).code).toBe(
      0,
    );
    const over = await runCli(['lint', 'warnings', '--max-warnings', String(warnings - 1)], { cwd: dir });
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`exceed --max-warnings ${warnings - 1}`);
  });
});

describe('designdoc lint --format json', () => {
  it('prints [{ file, score, findings: [{ ruleId, rule, severity, message, line, column, endLine, endColumn }] }]', async () => {
    const result = await runCli(['lint', 'blank.md', 'clean.md', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(1);
    const reports = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(reports.map((report) => report.file)).toEqual(['blank.md', 'clean.md']);
    for (const report of reports) {
      expect(Object.keys(report).sort()).toEqual(['file', 'findings', 'score']);
      expect(report.score).toBeGreaterThanOrEqual(0);
      expect(report.score).toBeLessThanOrEqual(100);
      for (const finding of report.findings as Array<Record<string, unknown>>) {
        expect(Object.keys(finding).sort()).toEqual([
          'column',
          'endColumn',
          'endLine',
          'line',
          'message',
          'rule',
          'ruleId',
          'severity',
        ]);
        expect(finding.ruleId).toMatch(/^DD\d{3}$/);
        expect(['error', 'warning', 'info']).toContain(finding.severity);
        expect(finding.endLine as number).toBeGreaterThanOrEqual(finding.line as number);
      }
    }
    expect((reports[0]?.findings as unknown[]).length).toBeGreaterThan(10);
    expect(reports[1]?.findings).toEqual([]);
    expect(reports[1]?.score).toBeGreaterThan(reports[0]?.score as number);
  });
});

describe('designdoc lint --format sarif', () => {
  const LEVELS = ['none', 'note', 'warning', 'error'];

  it('prints a SARIF 2.1.0 log with the rules, relative %SRCROOT% locations and regions', async () => {
    const result = await runCli(['lint', 'blank.md', 'clean.md', '--format', 'sarif'], { cwd: dir });
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    const driver = run.tool.driver;
    expect(driver.name).toBe('designdoc');
    expect(driver.semanticVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(() => new URL(driver.informationUri)).not.toThrow();
    expect(driver.rules.length).toBeGreaterThan(10);
    const ids = new Set<string>();
    for (const rule of driver.rules) {
      expect(rule.id).toMatch(/^DD\d{3}$/);
      expect(ids.has(rule.id)).toBe(false);
      ids.add(rule.id);
      expect(rule.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(() => new URL(rule.helpUri)).not.toThrow();
      expect(LEVELS).toContain(rule.defaultConfiguration.level);
    }
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
    expect(run.results.length).toBeGreaterThan(10);
    for (const res of run.results) {
      expect(res.ruleId).toBe(driver.rules[res.ruleIndex].id);
      expect(LEVELS).toContain(res.level);
      expect(typeof res.message.text).toBe('string');
      const location = res.locations[0].physicalLocation;
      expect(location.artifactLocation).toEqual({ uri: 'blank.md', uriBaseId: '%SRCROOT%' });
      const region = location.region;
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.startColumn).toBeGreaterThanOrEqual(1);
      expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
      if (region.endLine === region.startLine)
        expect(region.endColumn).toBeGreaterThanOrEqual(region.startColumn);
    }
  });

  it('uses an absolute file: URI for a file outside the working folder', async () => {
    const result = await runCli(['lint', TEMPLATE, '--format', 'sarif'], { cwd: dir });
    const uri = JSON.parse(result.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(uri.uriBaseId).toBeUndefined();
    expect(uri.uri).toMatch(/^file:\/\/\/.*design-document\.md$/);
  });
});

describe('designdoc lint --stdin', () => {
  it('lints standard input under --stdin-filename', async () => {
    const result = await runCli(['lint', '--stdin', '--stdin-filename', 'piped.md', '--format', 'json'], {
      cwd: dir,
      input: readFileSync(TEMPLATE),
    });
    expect(result.code).toBe(1);
    const reports = JSON.parse(result.stdout) as Array<{ file: string; findings: unknown[] }>;
    expect(reports).toHaveLength(1);
    expect(reports[0]?.file).toBe('piped.md');
    expect(reports[0]?.findings.length).toBeGreaterThan(10);
  });

  it('exits 0 for a clean document on stdin and refuses binary input', async () => {
    expect((await runCli(['lint', '--stdin'], { cwd: dir, input: readFileSync(EXAMPLE) })).code).toBe(0);
    const binary = await runCli(['lint', '--stdin'], {
      cwd: dir,
      input: Buffer.from([0x23, 0x20, 0x00, 0x01]),
    });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toMatch(/^<stdin>: binary file .*\[DD_E_BINARY_FILE\]\n$/);
  });
});

describe('designdoc lint --fix', () => {
  it('inserts missing metadata, writes only changed files and reports the count', async () => {
    const { dir: fixDir, cleanup: done } = tempFolder();
    try {
      const original = readFileSync(EXAMPLE, 'utf8').replace(/^Version: .*\n/m, '');
      writeFileSync(join(fixDir, 'needs-fix.md'), original);
      copyFileSync(EXAMPLE, join(fixDir, 'fine.md'));
      const before = await runCli(['lint', '.', '--format', 'json'], { cwd: fixDir });
      const idsOf = (stdout: string): string[] | undefined =>
        (JSON.parse(stdout) as Array<{ file: string; findings: Array<{ ruleId: string }> }>)
          .find((r) => r.file === 'needs-fix.md')
          ?.findings.map((f) => f.ruleId);
      const beforeIds = idsOf(before.stdout);
      expect(beforeIds).toContain('DD008');
      const { mtimeMs: fineBefore } = await import('node:fs').then((fs) =>
        fs.statSync(join(fixDir, 'fine.md')),
      );

      const fixed = await runCli(['lint', '.', '--fix'], { cwd: fixDir });
      expect(fixed.stdout).toMatch(/fixed [1-9]\d* problems? in 1 file\n$/);
      const after = readFileSync(join(fixDir, 'needs-fix.md'), 'utf8');
      expect(after).toMatch(/^Version: /m);
      expect(readFileSync(join(fixDir, 'fine.md'), 'utf8')).toBe(readFileSync(EXAMPLE, 'utf8'));
      const { mtimeMs: fineAfter } = await import('node:fs').then((fs) =>
        fs.statSync(join(fixDir, 'fine.md')),
      );
      expect(fineAfter).toBe(fineBefore);
      const again = await runCli(['lint', '.', '--format', 'json'], { cwd: fixDir });
      const afterIds = idsOf(again.stdout);
      expect(afterIds).not.toContain('DD008');
    } finally {
      done();
    }
  });
});
