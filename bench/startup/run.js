#!/usr/bin/env node
/**
 * Start-up time of `designdoc serve` on the embedded defaults (issue 3: ready in under a second),
 * as a user meets it: from spawning `node bin/designdoc.js serve` to the first 200 from /readyz.
 * A first start (empty data folder: migrations, the admin account, the example document) and a
 * later start (the same folder again) alternate, `--runs` times each; medians and every run are
 * printed, with the server's own "ready in" figure beside them. Needs the build (`npm run build`).
 *
 * Usage: node bench/startup/run.js [--runs 5]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { benchArgs, positiveInteger } from '../shared/bench-args.js';
import { describeMachine } from '../shared/describe-machine.js';
import { formatTextTable } from '../shared/format-table.js';

const here = import.meta.dirname;
const bin = join(here, '../../bin/designdoc.js');
const USAGE = 'usage: node bench/startup/run.js [--runs 5]\n';
const values = benchArgs('bench:startup', USAGE, { runs: { type: 'string', default: '5' } });
const RUNS = positiveInteger('bench:startup', USAGE, 'runs', values.runs);

/** A start that has not answered /readyz by then has failed. */
const TIMEOUT_MS = 30_000;
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Spawns the server on a free port over `dataDir`; resolves with the times once /readyz says 200. */
function startOnce(dataDir) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve was not ready after ${TIMEOUT_MS / 1000} s: ${err.slice(0, 500)}`));
    }, TIMEOUT_MS);
    let out = '';
    let err = '';
    let polling = false;
    child.stderr.on('data', (chunk) => (err += chunk));
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      if (!polling) reject(new Error(`serve exited with ${code}: ${err.slice(0, 500)}`));
    });
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      const url = / at (https?:\/\/\S+) \(ready in (\d+) ms/.exec(out);
      if (!url || polling) return;
      polling = true;
      for (;;) {
        if (exited) return reject(new Error(`serve exited before /readyz answered: ${err.slice(0, 500)}`));
        const response = await globalThis.fetch(`${url[1]}/readyz`).catch(() => null);
        if (response?.status === 200) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      clearTimeout(timer);
      const readyMs = performance.now() - started;
      child.once('exit', () => resolve({ readyMs, serverSaysMs: Number(url[2]) }));
      child.kill('SIGTERM');
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'designdoc-bench-startup-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const first = [];
const later = [];
for (let run = 0; run < RUNS; run++) {
  const dir = join(root, `run-${run}`);
  mkdirSync(dir);
  first.push(await startOnce(dir));
  later.push(await startOnce(dir));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const row = (name, runs) => [
  name,
  median(runs.map((r) => r.readyMs)).toFixed(0),
  Math.max(...runs.map((r) => r.readyMs)).toFixed(0),
  median(runs.map((r) => r.serverSaysMs)).toFixed(0),
  runs.map((r) => r.readyMs.toFixed(0)).join(', '),
];
const machine = describeMachine();
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
process.stdout.write(
  `bench:startup — ${machine.cpu} × ${machine.cores}, node ${machine.node}, load average ${load}\n\n`,
);
process.stdout.write(
  `${formatTextTable(['start', 'spawn → /readyz 200, median ms', 'max ms', 'server\'s "ready in", median ms', 'every run ms'], [row('first (empty folder)', first), row('later (same folder)', later)])}\n\n`,
);
const met = median(first.map((r) => r.readyMs)) < 1000 && median(later.map((r) => r.readyMs)) < 1000;
process.stdout.write(
  `${met ? 'met    ' : 'NOT MET'}  ready in under a second (median, process spawn included)\n`,
);
const outDir = join(here, 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `startup-${new Date().toISOString().slice(0, 10)}.json`);
const medians = {
  firstReadyMs: Math.round(median(first.map((r) => r.readyMs))),
  laterReadyMs: Math.round(median(later.map((r) => r.readyMs))),
};
writeFileSync(
  file,
  `${JSON.stringify({ machine, loadAverage: load, runs: RUNS, medians, met, first, later }, null, 2)}\n`,
);
process.stdout.write(`wrote ${file}\n`);
