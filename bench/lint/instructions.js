#!/usr/bin/env node
/**
 * Instructions executed by `designdoc lint` on a folder, for comparing builds on a noisy machine.
 * Wall and CPU times on a shared host swing by 10–40% from one minute to the next, more than most
 * single changes to the linter are worth; the number of machine instructions a deterministic run
 * executes does not. Each build runs once under valgrind's callgrind with V8's `--predictable`
 * (one thread, compilation and garbage collection without background threads, so the JIT decides
 * the same way every time: two runs of one build agree to within 0.01%) and `--jobs 1`.
 *
 * Instructions are not time: memory traffic, caches and the JIT's background threads are left
 * out. Use it to see whether a change does less work; `npm run bench:lint` says how fast it is.
 * Valgrind runs the process some 40× slower: give it a few hundred documents.
 *
 * Usage: node bench/lint/instructions.js <dir> <checkout> [<checkout> …]
 *   each <checkout> is a built copy of the repository (its bin/designdoc.js is run); the first is
 *   the baseline the others are compared with.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';

const [dir, ...checkouts] = process.argv.slice(2);
if (!dir || checkouts.length === 0) {
  process.stderr.write('usage: node bench/lint/instructions.js <dir> <checkout> [<checkout> …]\n');
  process.exit(2);
}
if (spawnSync('valgrind', ['--version']).status !== 0) {
  process.stderr.write('bench/lint/instructions.js needs valgrind (Debian package valgrind)\n');
  process.exit(2);
}

/** Instructions of one deterministic lint run of the checkout's CLI over `dir`. */
function instructions(checkout) {
  const bin = join(resolve(checkout), 'bin/designdoc.js');
  if (!existsSync(bin)) throw new Error(`${bin} not found`);
  const scratch = mkdtempSync(join(tmpdir(), 'designdoc-instructions-'));
  try {
    const run = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${join(scratch, 'callgrind.out')}`,
        process.execPath,
        '--predictable',
        bin,
        'lint',
        dir,
        '--format',
        'json',
        '--jobs',
        '1',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
    );
    // Exit 1 is "found problems"; anything else is a failed run.
    if (run.status !== 0 && run.status !== 1) throw new Error(`${bin} failed:\n${run.stderr}`);
    const collected = /Collected : (\d+)/.exec(run.stderr);
    if (!collected) throw new Error(`no instruction count from valgrind:\n${run.stderr}`);
    return Number(collected[1]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

let baseline = null;
for (const checkout of checkouts) {
  const count = instructions(checkout);
  baseline ??= count;
  const ratio = count / baseline;
  process.stdout.write(
    `${(count / 1e9).toFixed(3).padStart(8)} G instructions  ×${ratio.toFixed(4)}  ${checkout}\n`,
  );
}
