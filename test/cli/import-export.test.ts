// `designdoc import` and `designdoc export` as a user runs them (the built CLI, a real SQLite data
// folder): failure lines carry their error code; links, pipes and sockets are reported, never
// followed or opened; export keeps what it wrote in its manifest and will not overwrite a file
// edited in the folder since, unless --force.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lines, runCli, tempFolder } from './run-cli.js';

let dir: string;
let cleanup: () => void;
let socketServer: Server | null = null;

beforeAll(() => {
  ensureBuilt();
  ({ dir, cleanup } = tempFolder('designdoc-sync-'));
}, 300_000);
afterAll(async () => {
  if (socketServer) await new Promise<void>((done) => socketServer?.close(() => done()));
  cleanup();
});

const ALPHA = '# Alpha\n\nStatus: Draft\n\n## Design\n\nFirst words.\n';
const BETA = '# Beta\n\nStatus: Draft\n\n## Design\n\nMore words.\n';

function write(path: string, text: string | Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

describe('designdoc import', () => {
  it('ends each failure line with its code and reports links, pipes and sockets it skips', async () => {
    const src = join(dir, 'import-src');
    const outside = join(dir, 'import-outside');
    write(join(src, 'a.md'), ALPHA);
    write(join(src, 'nested', 'b.md'), BETA);
    write(join(src, 'latin1.md'), Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    write(join(src, 'binary.md'), Buffer.from([0x23, 0x00, 0x01]));
    write(join(outside, 'secret.md'), '# Secret\n');
    symlinkSync(join(outside, 'secret.md'), join(src, 'escape.md'));
    symlinkSync(outside, join(src, 'escape-folder'));
    symlinkSync('a.md', join(src, 'alias.md'));
    symlinkSync('loop-b.md', join(src, 'loop-a.md'));
    symlinkSync('loop-a.md', join(src, 'loop-b.md'));
    symlinkSync('.', join(src, 'nested', 'self'));
    symlinkSync('gone.md', join(src, 'dangling.md'));
    execFileSync('mkfifo', [join(src, 'pipe.md')]);
    socketServer = createServer();
    await new Promise<void>((done) => socketServer?.listen(join(src, 'agent.sock'), done));

    const result = await runCli(['import', 'import-src', '--data', 'import-data'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'failed   binary.md: binary file (NUL byte at line 1, column 2), not markdown text [DD_E_BINARY_FILE]',
      'failed   latin1.md: not valid UTF-8 (byte 0xe9 at line 1, column 6) [DD_E_INVALID_UTF8]',
    ]);
    expect(lines(result.stdout)).toEqual([
      'created  a.md → a: new file',
      'skipped  agent.sock: a socket, not a regular file: not read',
      'skipped  alias.md: symbolic link to a.md: not followed (links are not imported; a.md is imported under its own path)',
      'skipped  dangling.md: broken symbolic link (→ gone.md): not followed',
      `skipped  escape-folder: symbolic link pointing outside the folder (→ ${outside}): not followed`,
      `skipped  escape.md: symbolic link pointing outside the folder (→ ${join(outside, 'secret.md')}): not followed`,
      'skipped  loop-a.md: symbolic link loop (→ loop-b.md): not followed',
      'skipped  loop-b.md: symbolic link loop (→ loop-a.md): not followed',
      'created  nested/b.md → nested-b: new file',
      'skipped  nested/self: symbolic link to the folder nested: not followed',
      'skipped  pipe.md: a named pipe (FIFO), not a regular file: not read',
      'designdoc: 2 created, 0 updated, 9 skipped, 2 failed',
    ]);

    // --quiet drops the skipped lines, never the failures.
    const quiet = await runCli(['import', 'import-src', '--data', 'import-data', '--quiet'], { cwd: dir });
    expect(quiet.code).toBe(2);
    expect(lines(quiet.stdout)).toEqual(['designdoc: 0 created, 0 updated, 11 skipped, 2 failed']);
    expect(lines(quiet.stderr)).toHaveLength(2);
  }, 60_000);

  it('names a missing folder and a file given as the folder with their codes', async () => {
    const missing = await runCli(['import', 'nowhere', '--data', 'import-data'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('designdoc: nowhere: no such folder [DD_E_FILE_NOT_FOUND]\n');
    write(join(dir, 'plain.md'), ALPHA);
    const file = await runCli(['import', 'plain.md', '--data', 'import-data'], { cwd: dir });
    expect(file.code).toBe(2);
    expect(file.stderr).toBe(
      'designdoc: plain.md: not a folder: import reads a folder of markdown files [DD_E_FILE_UNREADABLE]\n',
    );
  }, 60_000);
});

describe('designdoc export', () => {
  const src = (): string => join(dir, 'export-src');
  const out = (): string => join(dir, 'export-out');
  const exportCli = (...extra: string[]) =>
    runCli(['export', 'export-out', '--data', 'export-data', ...extra], { cwd: dir });
  const importCli = (folder: string) => runCli(['import', folder, '--data', 'export-data'], { cwd: dir });

  it('writes every document, records what it wrote, and writes nothing the second time', async () => {
    write(join(src(), 'a.md'), ALPHA);
    write(join(src(), 'nested', 'b.md'), BETA);
    expect((await importCli('export-src')).code).toBe(0);

    const first = await exportCli();
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual([
      'written  a.md: new file',
      'written  nested/b.md: new file',
      'designdoc: 2 written, 0 skipped, 0 failed',
    ]);
    expect(readFileSync(join(out(), 'a.md'), 'utf8')).toBe(ALPHA);
    const manifestPath = join(out(), '.designdoc-export.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      version: number;
      files: Record<string, { id: string; revision: number; sha256: string }>;
    };
    expect(manifest.version).toBe(1);
    expect(Object.keys(manifest.files)).toEqual(['a.md', 'nested/b.md']);
    expect(manifest.files['a.md']).toMatchObject({ id: 'a', revision: 1 });
    expect(manifest.files['a.md']?.sha256).toMatch(/^[0-9a-f]{64}$/);

    const manifestBefore = statSync(manifestPath).mtimeMs;
    const fileBefore = statSync(join(out(), 'a.md')).mtimeMs;
    await new Promise((done) => setTimeout(done, 20));
    const second = await exportCli();
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(lines(second.stdout)).toEqual([
      'skipped  a.md: unchanged',
      'skipped  nested/b.md: unchanged',
      'designdoc: 0 written, 2 skipped, 0 failed',
    ]);
    expect(statSync(manifestPath).mtimeMs).toBe(manifestBefore);
    expect(statSync(join(out(), 'a.md')).mtimeMs).toBe(fileBefore);
  }, 60_000);

  it('refuses to overwrite a file edited in the folder, lists it, and overwrites it only with --force', async () => {
    // The server moves on (revision 2 of a and of b) while a.md is edited in the export folder.
    write(join(src(), 'a.md'), `${ALPHA}\nSecond revision.\n`);
    write(join(src(), 'nested', 'b.md'), `${BETA}\nSecond revision.\n`);
    expect((await importCli('export-src')).code).toBe(0);
    const edited = `${ALPHA}\nEdited in the export folder.\n`;
    writeFileSync(join(out(), 'a.md'), edited);

    const refused = await exportCli();
    expect(refused.code).toBe(2);
    expect(lines(refused.stdout)).toEqual([
      'written  nested/b.md: changed: revision 2',
      'designdoc: 1 written, 0 skipped, 1 failed',
    ]);
    expect(lines(refused.stderr)).toEqual([
      'failed   a.md: edited here since export wrote revision 1 of a; not overwritten with revision 2 of a [DD_E_FILE_EXISTS]',
      'designdoc: export-out: 1 file was edited there since the last export and not overwritten; import the folder first (designdoc import export-out) to keep the edits, or pass --force to overwrite them [DD_E_FILE_EXISTS]',
    ]);
    expect(readFileSync(join(out(), 'a.md'), 'utf8')).toBe(edited);
    expect(readFileSync(join(out(), 'nested', 'b.md'), 'utf8')).toBe(`${BETA}\nSecond revision.\n`);
    // Still refused on the next run: the manifest keeps what export last wrote there.
    expect((await exportCli()).code).toBe(2);

    const forced = await exportCli('--force');
    expect(forced.code).toBe(0);
    expect(lines(forced.stdout)).toContain(
      'written  a.md: changed: revision 2; local edits overwritten (--force)',
    );
    expect(readFileSync(join(out(), 'a.md'), 'utf8')).toBe(`${ALPHA}\nSecond revision.\n`);
    expect((await exportCli()).stdout).toContain('0 written, 2 skipped, 0 failed');
  }, 120_000);

  it('keeps an edit once it is imported, and never counts a local revert as its own text', async () => {
    const edited = `${ALPHA}\nKept by importing it.\n`;
    writeFileSync(join(out(), 'a.md'), edited);
    const imported = await importCli('export-out');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('updated  a.md → a: changed: revision 3');
    const after = await exportCli();
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('skipped  a.md: unchanged');
    expect(readFileSync(join(out(), 'a.md'), 'utf8')).toBe(edited);

    // Revision 1's text put back by hand is an edit made here: the server's newest is revision 3.
    writeFileSync(join(out(), 'a.md'), ALPHA);
    write(join(src(), 'a.md'), `${ALPHA}\nFourth revision.\n`);
    expect((await importCli('export-src')).code).toBe(0);
    const reverted = await exportCli();
    expect(reverted.code).toBe(2);
    expect(reverted.stderr).toContain('failed   a.md: edited here since export wrote revision 3 of a');
    expect(readFileSync(join(out(), 'a.md'), 'utf8')).toBe(ALPHA);
  }, 120_000);

  it('without a manifest, overwrites only texts the server holds as revisions', async () => {
    // The imported folder itself, exported into: a.md is an old revision, b.md was edited here.
    const folder = join(dir, 'export-src');
    write(join(folder, 'a.md'), ALPHA);
    writeFileSync(join(folder, 'nested', 'b.md'), `${BETA}\nNever imported.\n`);
    const result = await runCli(['export', 'export-src', '--data', 'export-data'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('written  a.md: changed: revision 4');
    expect(lines(result.stderr)[0]).toBe(
      'failed   nested/b.md: differs from every revision of nested-b, so it holds edits made here; not overwritten [DD_E_FILE_EXISTS]',
    );
    expect(readFileSync(join(folder, 'nested', 'b.md'), 'utf8')).toBe(`${BETA}\nNever imported.\n`);
    expect(readFileSync(join(folder, 'a.md'), 'utf8')).toBe(`${ALPHA}\nFourth revision.\n`);
  }, 60_000);

  it('refuses a manifest it cannot read rather than guess what it wrote', async () => {
    const folder = join(dir, 'export-bad-manifest');
    write(join(folder, '.designdoc-export.json'), '{ "files": [] }\n');
    const result = await runCli(['export', 'export-bad-manifest', '--data', 'export-data'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `designdoc: ${join('export-bad-manifest', '.designdoc-export.json')}: not an export manifest designdoc can read (no "files" object); delete it and export again (files that differ are then checked against the documents' history) [DD_E_FILE_UNREADABLE]\n`,
    );
    expect(existsSync(join(folder, 'a.md'))).toBe(false);
  }, 60_000);

  it("never writes through a link, a folder or a pipe in a file's place", async () => {
    const target = join(dir, 'export-victim.md');
    writeFileSync(target, 'not yours\n');
    const folder = join(dir, 'export-links');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    symlinkSync(target, join(folder, 'a.md'));
    execFileSync('mkfifo', [join(folder, 'nested', 'b.md')]);
    const result = await runCli(['export', 'export-links', '--data', 'export-data', '--force'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      `failed   a.md: a symbolic link is in its place (→ ${target}); export does not write through links; not written [DD_E_FILE_UNWRITABLE]`,
      'failed   nested/b.md: a named pipe (FIFO) is in its place; not written [DD_E_FILE_UNWRITABLE]',
    ]);
    expect(readFileSync(target, 'utf8')).toBe('not yours\n');
    unlinkSync(join(folder, 'nested', 'b.md'));

    // A folder that is a link out of the export folder is not written through either.
    const elsewhere = join(dir, 'export-elsewhere');
    mkdirSync(elsewhere);
    const linked = join(dir, 'export-linked-folder');
    mkdirSync(linked);
    symlinkSync(elsewhere, join(linked, 'nested'));
    const throughFolder = await runCli(['export', 'export-linked-folder', '--data', 'export-data'], {
      cwd: dir,
    });
    expect(throughFolder.code).toBe(2);
    expect(throughFolder.stderr).toContain(
      'failed   nested/b.md: its folder is a symbolic link out of the export folder; not written through [DD_E_FILE_UNWRITABLE]',
    );
    expect(existsSync(join(elsewhere, 'b.md'))).toBe(false);
  }, 60_000);
});
