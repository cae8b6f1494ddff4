/**
 * The operations commands against a real SQLite file: import of the shared corpus, export back
 * to a folder (every document byte-identical), a second import that changes nothing, and an
 * online backup restored into a fresh data folder.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { corpusDocuments, corpusRoot, requireCorpus } from '../support/corpus.js';
import { describeEachDialect } from './dialects.js';

function io(cwd: string): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stderr.on('data', (chunk) => (err += String(chunk)));
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    cwd,
    env: {},
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}

describeEachDialect('import, export, backup and restore', (dialect) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-ops-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a folder: created, skipped on re-import, updated on change, bad files reported', async () => {
    if (dialect.name !== 'sqlite') return;
    const src = join(dir, 'small');
    mkdirSync(join(src, 'nested'), { recursive: true });
    writeFileSync(
      join(src, 'a.md'),
      '\uFEFF# Alpha\r\n\r\nStatus: Draft\r\n\r\n## Design\r\n\r\nWords without a trailing newline',
    );
    writeFileSync(join(src, 'nested', 'b.md'), '# Beta\n\nStatus: Approved\n');
    writeFileSync(join(src, 'bad.md'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]));
    writeFileSync(join(src, 'binary.md'), Buffer.from([0x23, 0x00, 0x01]));
    const { run: importRun } = await import('../../src/cli/commands/import.js');
    const { run: exportRun } = await import('../../src/cli/commands/export.js');
    const data = join(dir, 'small-data');
    const first = io(dir);
    expect(await importRun([src, '--data', data], first)).toBe(2); // a file that could not be imported is an input error
    expect(first.out()).toMatch(/created +a\.md/);
    expect(first.out()).toMatch(/created +nested\/b\.md/);
    expect(first.err()).toMatch(/failed +bad\.md: .*not valid UTF-8/);
    expect(first.err()).toMatch(/failed +binary\.md: .*binary/);
    expect(first.out()).toContain('2 created, 0 updated, 0 skipped, 2 failed');
    const second = io(dir);
    await importRun([src, '--data', data], second);
    expect(second.out()).toContain('0 created, 0 updated, 2 skipped, 2 failed');
    expect(second.out()).toMatch(/skipped +a\.md → a: unchanged/);
    writeFileSync(join(src, 'nested', 'b.md'), '# Beta\n\nStatus: Implemented\n');
    const third = io(dir);
    await importRun([src, '--data', data], third);
    expect(third.out()).toMatch(/updated +nested\/b\.md → nested-b: changed: revision 2/);
    const out = join(dir, 'small-out');
    const exported = io(dir);
    expect(await exportRun([out, '--data', data], exported)).toBe(0);
    expect(readFileSync(join(out, 'a.md')).equals(readFileSync(join(src, 'a.md')))).toBe(true);
    expect(readFileSync(join(out, 'nested', 'b.md'), 'utf8')).toBe('# Beta\n\nStatus: Implemented\n');
    const again = io(dir);
    await exportRun([out, '--data', data], again);
    expect(again.out()).toContain('0 written, 2 skipped');
  });

  it('imports the shared corpus and exports every document byte-identical; backup restores it', async () => {
    if (dialect.name !== 'sqlite' || !requireCorpus('server corpus round trip')) return;
    const { run: importRun } = await import('../../src/cli/commands/import.js');
    const { run: exportRun } = await import('../../src/cli/commands/export.js');
    const { run: backupRun } = await import('../../src/cli/commands/backup.js');
    const { run: restoreRun } = await import('../../src/cli/commands/restore.js');
    const data = join(dir, 'corpus-data');
    const imported = io(dir);
    const code = await importRun([corpusRoot, '--data', data, '--quiet'], imported);
    expect(imported.err()).toBe('');
    expect(code).toBe(0);
    const docs = corpusDocuments();
    expect(docs.length).toBeGreaterThan(2000);
    const out = join(dir, 'corpus-out');
    expect(await exportRun([out, '--data', data, '--quiet'], io(dir))).toBe(0);
    const different = docs.filter(
      (doc) => !readFileSync(join(out, relative(corpusRoot, doc.path))).equals(readFileSync(doc.path)),
    );
    expect(different.map((d) => d.path)).toEqual([]);

    // Idempotent: a second import creates and updates nothing.
    const again = io(dir);
    await importRun([corpusRoot, '--data', data, '--quiet'], again);
    expect(again.out()).toMatch(/ 0 created, 0 updated, \d+ skipped, 0 failed/);

    // Online backup, restored into a fresh data folder, exports the same bytes.
    const backup = join(dir, 'corpus.backup.sqlite');
    const backedUp = io(dir);
    expect(await backupRun([backup, '--data', data], backedUp)).toBe(0);
    expect(backedUp.out()).toMatch(/backed up .* \(\d+ documents\)/);
    const restoredData = join(dir, 'restored-data');
    const restored = io(dir);
    expect(await restoreRun([backup, '--data', restoredData], restored)).toBe(0);
    const out2 = join(dir, 'corpus-out-2');
    expect(await exportRun([out2, '--data', restoredData, '--quiet'], io(dir))).toBe(0);
    const sample = docs.filter((_, i) => i % 50 === 0);
    for (const doc of sample) {
      expect(
        readFileSync(join(out2, relative(corpusRoot, doc.path))).equals(readFileSync(doc.path)),
        doc.path,
      ).toBe(true);
    }
    // Refuses to overwrite an existing backup without --force, and to restore a non-backup.
    const refused = io(dir);
    await expect(backupRun([backup, '--data', data], refused)).rejects.toMatchObject({
      code: 'DD_E_FILE_EXISTS',
    });
    writeFileSync(join(dir, 'not-a-backup.sqlite'), 'hello');
    await expect(
      restoreRun([join(dir, 'not-a-backup.sqlite'), '--data', restoredData], io(dir)),
    ).rejects.toMatchObject({ code: 'DD_E_BACKUP_WRONG_KIND' });
  }, 600_000);
});
