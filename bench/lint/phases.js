#!/usr/bin/env node
/**
 * Where one thread's lint time goes, phase by phase, in process: read, parse, template detection,
 * lint and the JSON report, plus the garbage collector's pauses, for each pass over a folder.
 * The first pass is cold (the JIT still compiling), later ones warm. A tool for whoever makes the
 * linter faster: it is how a per-document cache that outlived its document in V8's young
 * generation showed up (GC three times what parsing alone needed). It times nothing against a
 * target; `npm run bench:lint` does.
 *
 * Parses without sidecars and reads with `readFileSync`, so its read phase is not the CLI's.
 *
 * Usage: node bench/lint/phases.js <dir> [passes]   (build first: npm run build)
 *        DESIGNDOC_DIST=/other/checkout/dist node bench/lint/phases.js <dir>   to compare builds
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

import { listMarkdownFiles, repoRoot } from '../shared/markdown-files.js';

const [dir, passesArg = '3'] = process.argv.slice(2);
const passes = Number.parseInt(passesArg, 10);
if (!dir || !Number.isInteger(passes) || passes < 1) {
  process.stderr.write('usage: node bench/lint/phases.js <dir> [passes]\n');
  process.exit(2);
}
const dist = resolve(process.env.DESIGNDOC_DIST ?? resolve(repoRoot, 'dist'));
const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
const { openDocumentSession } = await load('cli/document-session.js');
const { parseDocumentText } = await load('cli/load-document.js');
const { lint } = await load('core/lint/index.js');
const { toOutcome } = await load('cli/lint/file-linter.js');
const { reportFormat } = await load('cli/lint/report-formats.js');
// The JIT tuning `lint` applies, when the build has it (older builds, compared through
// DESIGNDOC_DIST, do not).
const jit = await load('node/batch-jit.js').catch(() => null);
jit?.tuneJitForOneBatch();

let gcMs = 0;
let gcCount = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    gcCount++;
  }
}).observe({ entryTypes: ['gc'] });

const session = await openDocumentSession({ cwd: process.cwd() }, {});
const format = reportFormat('json', false);
const { files, bytes } = listMarkdownFiles(dir);
process.stdout.write(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, build ${dist}\n`);
const options = { fix: false, quiet: false };
for (let pass = 0; pass < passes; pass++) {
  const ms = { read: 0, parse: 0, detect: 0, lint: 0, report: 0 };
  gcMs = 0;
  gcCount = 0;
  for (const file of files) {
    let at = performance.now();
    const lap = (phase) => {
      const now = performance.now();
      ms[phase] += now - at;
      at = now;
    };
    const text = readFileSync(file, 'utf8');
    lap('read');
    const doc = parseDocumentText(text, file, null);
    lap('parse');
    const schema = session.schemaFor(doc);
    lap('detect');
    const result = lint(doc, { schema, config: session.config });
    lap('lint');
    toOutcome(file, file, result, options, format, 0);
    lap('report');
  }
  // GC entries reach the observer asynchronously: let them arrive before the pass is reported.
  await new Promise((done) => setTimeout(done, 100));
  const total = Object.values(ms).reduce((sum, value) => sum + value, 0);
  const phases = Object.entries(ms)
    .map(([name, value]) => `${name} ${value.toFixed(0)}`)
    .join(', ');
  process.stdout.write(
    `pass ${pass + 1}${pass === 0 ? ' (cold)' : ''}: ${phases} ms; total ${total.toFixed(0)} ms ` +
      `(${(bytes / 1e3 / total).toFixed(1)} MB/s); GC ${gcMs.toFixed(0)} ms in ${gcCount} pauses\n`,
  );
}
