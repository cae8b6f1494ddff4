// `designdoc lint` on worker threads must print exactly what the single-threaded run prints: the
// same bytes in every format, the same read errors in the same place, the same exit code. Files too
// large for a worker are handed back to the main thread.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDesignDocument } from '../../bench/shared/design-document-generator.js';
import { repoRoot } from '../support/corpus.js';
import { ensureBuilt, runCli } from './run-cli.js';

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'designdoc-lint-workers-'));
  for (let i = 0; i < 150; i++) {
    const folder = join(dir, `area-${i % 3}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `design-${String(i).padStart(3, '0')}.md`), generateDesignDocument(7, i));
  }
  // Unreadable in two ways, between good files, so their errors must come out in order.
  writeFileSync(join(dir, 'area-1', 'design-050b.md'), Buffer.from([0x23, 0x20, 0x00, 0x41]));
  writeFileSync(join(dir, 'area-2', 'design-100b.md'), Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a]));
  // Over a worker's 1 MiB limit: linted on the main thread, in its place in the output.
  const big = Array.from({ length: 140 }, (_, i) => generateDesignDocument(9, i)).join('\n');
  expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
  writeFileSync(join(dir, 'area-0', 'design-075b.md'), big);
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('lint --jobs', () => {
  for (const format of ['json', 'sarif', 'stylish']) {
    it(`prints the same ${format} output on four threads as on one`, async () => {
      const one = await runCli(['lint', '.', '--format', format, '--jobs', '1'], { cwd: dir });
      const four = await runCli(['lint', '.', '--format', format, '--jobs', '4'], { cwd: dir });
      expect(one.code).toBe(2); // the two unreadable files
      expect(four.code).toBe(one.code);
      expect(four.stderr).toBe(one.stderr);
      expect(four.stdout).toBe(one.stdout);
      expect(one.stderr).toMatch(/design-050b\.md: binary file/);
      expect(one.stderr).toMatch(/design-100b\.md: not valid UTF-8/);
      if (format === 'json') {
        const files = (JSON.parse(one.stdout) as Array<{ file: string }>).map((report) => report.file);
        expect(files).toHaveLength(151);
        expect(files).toContain('area-0/design-075b.md');
        expect(files).toEqual([...files].sort());
      }
    }, 120_000);
  }

  it('refuses a --jobs that is not a positive integer', async () => {
    const result = await runCli(['lint', '.', '--jobs', '0'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--jobs must be at least 1/);
  });
});

describe('lint workers started mid-run', () => {
  /**
   * The built pool (the TypeScript sources have no worker script) on 150 files, two threads, its
   * workers started once this thread has linted `startAfter` files (never, for null). Returns the
   * indices of the files linted on this thread and every file's report.
   */
  async function runPool(startAfter: number | null): Promise<{ here: Set<number>; pieces: string[] }> {
    const load = (path: string) => import(pathToFileURL(join(repoRoot, 'dist', path)).href);
    const { lintInWorkers } = await load('cli/lint/worker-pool.js');
    const { createFileLinter } = await load('cli/lint/file-linter.js');
    const { openDocumentSession } = await load('cli/document-session.js');
    const { reportFormat } = await load('cli/lint/report-formats.js');
    const session = await openDocumentSession({ cwd: dir }, {});
    const options = { fix: false, quiet: false };
    const lintFile = createFileLinter(session, options, reportFormat('json', false));
    const tasks = Array.from({ length: 150 }, (_, i) => {
      const path = join(dir, `area-${i % 3}`, `design-${String(i).padStart(3, '0')}.md`);
      return { path, display: path, hasSidecar: false };
    });
    const indexOf = new Map(tasks.map((task, index) => [task, index]));
    const here = new Set<number>();
    const lintHere = (task: (typeof tasks)[number]) => {
      here.add(indexOf.get(task) as number);
      return lintFile(task);
    };
    const pieces: string[] = [];
    const setup = {
      cwd: dir,
      configFile: undefined,
      template: undefined,
      format: 'json',
      color: false,
      options,
    };
    const decoder = new TextDecoder();
    await lintInWorkers(
      tasks,
      2,
      setup,
      lintHere,
      (index: number, outcome: { piece: string | Uint8Array }) => {
        const { piece } = outcome;
        pieces[index] = typeof piece === 'string' ? piece : decoder.decode(piece);
      },
      startAfter === null ? () => false : (linted: number) => linted >= startAfter,
    );
    return { here, pieces };
  }

  it('lints on this thread alone while the rule says no, and splits the rest once it says yes', async () => {
    const alone = await runPool(null);
    expect(alone.here.size).toBe(150);
    const split = await runPool(20);
    // This thread linted the first 20 itself; the worker, started then, some of the rest and
    // none of those.
    const byWorker = Array.from({ length: 150 }, (_, index) => index).filter(
      (index) => !split.here.has(index),
    );
    expect(byWorker.length).toBeGreaterThan(0);
    expect(Math.min(...byWorker)).toBeGreaterThanOrEqual(20);
    expect(split.pieces).toEqual(alone.pieces);
  }, 60_000);
});

describe('lint --fix when a file cannot be written', () => {
  /** Makes `file` unwritable even for root (chattr +i) or for a user (chmod); false when neither works. */
  function lockFile(file: string): boolean {
    if (process.getuid?.() !== 0) {
      chmodSync(file, 0o444);
      return true;
    }
    try {
      execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
  function unlockFile(file: string): void {
    if (process.getuid?.() === 0) {
      try {
        execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
      } catch {
        // Not locked.
      }
    } else chmodSync(file, 0o644);
  }

  for (const jobs of ['1', '3']) {
    it(`reports that file on one line and fixes the others (--jobs ${jobs})`, async (context) => {
      const fixDir = mkdtempSync(join(tmpdir(), 'designdoc-lint-fix-'));
      const files: string[] = [];
      for (let i = 0; i < 80; i++) {
        const file = join(fixDir, `design-${String(i).padStart(3, '0')}.md`);
        writeFileSync(file, generateDesignDocument(11, i));
        files.push(file);
      }
      // One locked file among small ones, one locked file over a worker's 1 MiB limit.
      const big = join(fixDir, 'design-040b.md');
      writeFileSync(big, Array.from({ length: 140 }, (_, i) => generateDesignDocument(13, i)).join('\n'));
      // A document missing most of the template's sections always has fixes to write.
      writeFileSync(files[20] as string, '# Sparse design\n\n## Executive Summary\n\nA short one.\n');
      const locked = [files[20] as string, big];
      try {
        if (!locked.every(lockFile)) {
          console.warn(
            'SKIPPED lint --fix unwritable file: cannot make a file unwritable here (root without chattr)',
          );
          if (process.env.CI === 'true') throw new Error('chattr is needed with CI=true');
          context.skip();
        }
        const before = locked.map((file) => readFileSync(file, 'utf8'));
        const result = await runCli(
          ['lint', '.', '-t', 'design-document', '--fix', '--format', 'json', '--jobs', jobs],
          {
            cwd: fixDir,
          },
        );
        expect(result.code).toBe(2);
        const errors = result.stderr.trim().split('\n');
        expect(errors).toHaveLength(2);
        expect(errors[0]).toMatch(
          /^design-020\.md: cannot write the fixed file: .+ \[DD_E_FILE_UNWRITABLE\]$/,
        );
        expect(errors[1]).toMatch(
          /^design-040b\.md: cannot write the fixed file: .+ \[DD_E_FILE_UNWRITABLE\]$/,
        );
        expect(locked.map((file) => readFileSync(file, 'utf8'))).toEqual(before);
        const reports = JSON.parse(result.stdout) as Array<{ file: string }>;
        expect(reports).toHaveLength(79);
        // The others were fixed: a second run finds nothing left to fix in them.
        const again = await runCli(
          ['lint', '.', '-t', 'design-document', '--fix', '--format', 'json', '--jobs', jobs],
          {
            cwd: fixDir,
          },
        );
        expect(again.stderr.trim().split('\n')).toHaveLength(2);
      } finally {
        for (const file of locked) unlockFile(file);
        rmSync(fixDir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
