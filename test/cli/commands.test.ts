import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { hostileDocument } from '../render/xss-corpus.js';
import { unsafeParts } from '../render/html-inspect.js';
import { ensureBuilt, lines, runCli, tempFolder } from './run-cli.js';

const EXAMPLE = join(repoRoot, 'examples/payments-service.md');
const EMPTY_FAMILY = new Set(['DD004', 'DD005', 'DD007', 'DD016']);

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ensureBuilt();
  ({ dir, cleanup } = tempFolder());
  copyFileSync(EXAMPLE, join(dir, 'payments.md'));
}, 300_000);
afterAll(() => cleanup());

function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

describe('designdoc new', () => {
  it('creates a document that lints with only "empty" findings, and refuses to overwrite it', async () => {
    const created = await runCli(['new', 'Search Indexer', '--type', 'Service Design'], { cwd: dir });
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('search-indexer.md\n');
    const text = readFileSync(join(dir, 'search-indexer.md'), 'utf8');
    expect(text).toMatch(/^# Search Indexer$/m);
    expect(text).toMatch(/^Status: Draft$/m);
    expect(text).toMatch(/^Version: 0\.1$/m);
    expect(text).toContain(localToday());

    const linted = await runCli(['lint', 'search-indexer.md', '--format', 'json'], { cwd: dir });
    const findings =
      (JSON.parse(linted.stdout) as Array<{ findings: Array<{ ruleId: string }> }>)[0]?.findings ?? [];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((finding) => !EMPTY_FAMILY.has(finding.ruleId))).toEqual([]);

    writeFileSync(join(dir, 'search-indexer.md'), 'mine\n');
    const again = await runCli(['new', 'Search Indexer'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      'designdoc: search-indexer.md: file already exists; pass --force to overwrite it [DD_E_FILE_EXISTS]\n',
    );
    expect(readFileSync(join(dir, 'search-indexer.md'), 'utf8')).toBe('mine\n');
    const forced = await runCli(['new', 'Search Indexer', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'search-indexer.md'), 'utf8')).toMatch(/^# Search Indexer$/m);
  });

  it('writes to -o, uses --template, and rejects an unknown template', async () => {
    const adr = await runCli(['new', 'Use Postgres', '--template', 'adr', '-o', 'adr-1.md'], { cwd: dir });
    expect(adr.code).toBe(0);
    expect(adr.stdout).toBe('adr-1.md\n');
    const shown = await runCli(['show', 'adr-1.md', '--json'], { cwd: dir });
    expect(JSON.parse(shown.stdout).lint.template).toBe('adr');
    const bad = await runCli(['new', 'X', '--template', 'nope'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\[DD_E_TEMPLATE_NOT_FOUND\]\n$/);
    expect(existsSync(join(dir, 'x.md'))).toBe(false);
  });

  it('needs a title', async () => {
    const result = await runCli(['new'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'designdoc: missing the document title [DD_E_USAGE]',
      expect.stringMatching(/^usage: designdoc new <title>/),
    ]);
  });
});

describe('designdoc show', () => {
  it('prints a readable summary', async () => {
    const result = await runCli(['show', 'payments.md'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Title +Payments Service$/m);
    expect(result.stdout).toMatch(/^Template +design-document$/m);
    expect(result.stdout).toMatch(/^Status +Approved → approved$/m);
    expect(result.stdout).toMatch(/^Version +1\.2$/m);
    expect(result.stdout).toMatch(/^Score +\d+\/100/m);
    expect(result.stdout).toMatch(/^Outline \(\d+ sections\)$/m);
    expect(result.stdout).toMatch(/^ +\d+ +Executive Summary$/m);
    expect(result.stdout).toMatch(/^Components \([1-9]\d*\)$/m);
    expect(result.stdout).toMatch(/^Decisions \([1-9]\d*\)$/m);
    expect(result.stdout).toMatch(/^Open questions \(\d+, \d+ open\)$/m);
    expect(result.stdout).toMatch(/^ +\d+ +Technical Review: /m);
    expect(result.stdout).not.toContain('\x1b[');
  });

  it('--json prints the model without the text, plus the lint summary', async () => {
    const result = await runCli(['show', 'payments.md', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const model = JSON.parse(result.stdout);
    expect(model.text).toBeUndefined();
    expect(model.title.text).toBe('Payments Service');
    expect(model.status).toMatchObject({ raw: 'Approved', lifecycle: 'approved' });
    expect(model.sections.length).toBeGreaterThan(5);
    expect(model.lint).toMatchObject({ template: 'design-document', counts: { error: 0 } });
    expect(model.lint.score).toBeGreaterThan(0);
  });

  it('reports a missing file on one line', async () => {
    const result = await runCli(['show', 'nope.md'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('designdoc: nope.md: no such file [DD_E_FILE_NOT_FOUND]\n');
  });
});

describe('designdoc render', () => {
  it('writes a safe standalone page for a hostile document', async () => {
    writeFileSync(join(dir, 'hostile.md'), hostileDocument());
    const result = await runCli(['render', 'hostile.md', '-o', 'hostile.html'], { cwd: dir });
    expect(result.code).toBe(0);
    const page = readFileSync(join(dir, 'hostile.html'), 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('default-src &#39;none&#39;');
    expect(unsafeParts(page.slice(page.indexOf('<body>')))).toEqual([]);
    expect(page.slice(0, page.indexOf('<body>'))).not.toMatch(/<script/i);
  });

  it('prints the page to stdout without -o', async () => {
    const result = await runCli(['render', 'payments.md'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<title>Payments Service</title>');
    expect(result.stdout).toContain('id="executive-summary"');
  });
});

describe('designdoc list', () => {
  it('--format json prints { path, title, type, template, status, statusRaw, score, openQuestions } per document', async () => {
    const { dir: root, cleanup: done } = tempFolder();
    try {
      copyFileSync(EXAMPLE, join(root, 'payments.md'));
      expect((await runCli(['new', 'Draft One'], { cwd: root })).code).toBe(0);
      const result = await runCli(['list', '--format', 'json'], { cwd: root });
      expect(result.code).toBe(0);
      const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      expect(entries.map((entry) => entry.path)).toEqual(['draft-one.md', 'payments.md']);
      for (const entry of entries)
        expect(Object.keys(entry).sort()).toEqual([
          'openQuestions',
          'path',
          'score',
          'status',
          'statusRaw',
          'template',
          'title',
          'type',
        ]);
      expect(entries[0]).toMatchObject({
        title: 'Draft One',
        status: 'draft',
        statusRaw: 'Draft',
        template: 'design-document',
        openQuestions: 3,
      });
      expect(entries[1]).toMatchObject({
        title: 'Payments Service',
        type: 'Service Design',
        status: 'approved',
        statusRaw: 'Approved',
      });

      const accepted = await runCli(['list', '.', '--status', 'accepted', '--format', 'json'], { cwd: root });
      expect((JSON.parse(accepted.stdout) as Array<{ path: string }>).map((entry) => entry.path)).toEqual([
        'payments.md',
      ]);

      const table = await runCli(['list'], { cwd: root });
      expect(table.code).toBe(0);
      const rows = lines(table.stdout);
      expect(rows[0]).toMatch(/^PATH +TITLE +TYPE +STATUS +SCORE +OPEN$/);
      expect(rows[1]).toMatch(/^draft-one\.md +Draft One +— +draft +\d+ +3$/);
      expect(rows[3]).toBe('2 of 2 documents');
    } finally {
      done();
    }
  });
});
