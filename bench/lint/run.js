#!/usr/bin/env node
/**
 * The lint benchmark (issue 2): designdoc against markdownlint, side by side in one run, on
 * (a) generated design documents (10,000 by default, about 88 MB) and (b) the shared corpus of real
 * documents. Measures end-to-end runs as child processes (wall time, MB/s, documents/s, peak RSS)
 * and in-process parse-to-model throughput, prints a table with the targets marked met or not met,
 * and writes a JSON result to bench/results/lint-<date>.json.
 *
 * Usage: npm run bench:lint -- [--docs N] [--skip-markdownlint-cli2] … (see --help)
 */
import {
  existsSync,
  readdirSync,
  readFileSync,
  mkdirSync,
  writeFileSync,
  rmSync,
  mkdtempSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';

import { writeDesignDocuments } from '../shared/design-document-generator.js';
import { describeMachine } from '../shared/describe-machine.js';
import { corpusRoot, listMarkdownFiles, repoRoot } from '../shared/markdown-files.js';
import { rssMethod, runMeasured } from '../shared/run-measured.js';
import { summarizeCpuProfile } from '../shared/summarize-cpu-profile.js';
import { evaluateTargets, formatConsoleReport, FULL_SCALE_DOCS } from './lint-report.js';

const HELP = `Usage: node bench/lint/run.js [options]

Lints generated design documents and the shared corpus with designdoc and markdownlint, side by
side, and reports throughput, peak memory and the ratio against the targets of issue 2.

Options:
  --docs N                  generated documents (default ${FULL_SCALE_DOCS}; fewer = a scaled run)
  --seed N                  generator seed (default 20261127)
  --runs N                  timed runs of the fast end-to-end tools (default 3; median reported)
  --iterations N            timed passes per parser for parse-to-model (default 5; median reported)
  --corpus DIR              the shared corpus (default $DESIGNDOC_CORPUS or ../shared/corpus)
  --skip-corpus             only the generated documents
  --skip-generated          only the shared corpus (result file lint-<date>-corpus.json)
  --skip-designdoc          only the other tools (when dist/ is not built yet)
  --skip-markdownlint       neither markdownlint run
  --skip-markdownlint-api   not markdownlint's library API
  --skip-markdownlint-cli2  not markdownlint-cli2
  --skip-parse              no in-process parse-to-model measurement
  --profile                 one extra designdoc run under --cpu-prof; prints where the time goes
  --out FILE                where to write the JSON result (default bench/results/lint-<date>.json
                            for a full run, a file under the OS temp folder for a scaled run)
  -h, --help                this text
`;

function fail(message) {
  process.stderr.write(`bench:lint: ${message}\n`);
  process.exit(2);
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        docs: { type: 'string', default: String(FULL_SCALE_DOCS) },
        seed: { type: 'string', default: '20261127' },
        runs: { type: 'string', default: '3' },
        iterations: { type: 'string', default: '5' },
        corpus: { type: 'string' },
        out: { type: 'string' },
        'skip-corpus': { type: 'boolean', default: false },
        'skip-generated': { type: 'boolean', default: false },
        'skip-designdoc': { type: 'boolean', default: false },
        'skip-markdownlint': { type: 'boolean', default: false },
        'skip-markdownlint-api': { type: 'boolean', default: false },
        'skip-markdownlint-cli2': { type: 'boolean', default: false },
        'skip-parse': { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const positive = (name) => {
    const value = Number.parseInt(parsed[name], 10);
    if (!Number.isInteger(value) || value < 1 || String(value) !== parsed[name].trim())
      fail(`--${name} expects a positive whole number, got "${parsed[name]}"`);
    return value;
  };
  return {
    docs: positive('docs'),
    seed: positive('seed'),
    runs: positive('runs'),
    iterations: positive('iterations'),
    corpus: parsed.corpus ?? corpusRoot(),
    out: parsed.out ?? null,
    skipCorpus: parsed['skip-corpus'],
    skipGenerated: parsed['skip-generated'],
    designdoc: !parsed['skip-designdoc'],
    markdownlintApi: !parsed['skip-markdownlint'] && !parsed['skip-markdownlint-api'],
    markdownlintCli2: !parsed['skip-markdownlint'] && !parsed['skip-markdownlint-cli2'],
    parse: !parsed['skip-parse'],
    profile: parsed.profile,
  };
}

const log = (message) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

const DESIGNDOC_BIN = join(repoRoot, 'bin/designdoc.js');
const CLI2_BIN = join(repoRoot, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs');
const HERE = join(repoRoot, 'bench/lint');

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Throughput figures for one dataset from a wall time; null when the tool did not run properly. */
function rates(dataset, wallMs) {
  const seconds = wallMs / 1000;
  return { wallMs, mbPerSec: dataset.bytes / 1e6 / seconds, docsPerSec: dataset.files / seconds };
}

const round1 = (value) => Math.round(value * 10) / 10;
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const firstLine = (text) => text.trim().split('\n')[0] ?? '';

/**
 * Runs one end-to-end tool `runs` times on a dataset and keeps the median wall time and the
 * highest peak RSS. A run that exits with a code outside `okCodes` (or a signal), or a worker
 * that exits without its summary line, is a failure of the benchmark: it is recorded with the
 * first line of stderr and no figures.
 */
async function measureTool({
  tool,
  command,
  dataset,
  runs,
  okCodes,
  spawnOptions,
  check,
  requireCheck = false,
}) {
  const wallTimes = [];
  const cpuTimes = [];
  let peakRssKiB = null;
  let last = null;
  for (let i = 0; i < runs; i++) {
    last = await runMeasured(spawnOptions);
    if (last.signal !== null || !okCodes.includes(last.exitCode ?? -1)) {
      const reason = last.signal !== null ? `killed by ${last.signal}` : `exit code ${last.exitCode}`;
      log(`  ${tool}: FAILED (${reason}) ${firstLine(last.stderr)}`);
      return {
        tool,
        command,
        ok: false,
        error: `${reason}: ${firstLine(last.stderr) || '(no stderr)'}`,
        runs: i + 1,
      };
    }
    // A worker that exits 1 without its summary line crashed: exit 1 alone does not mean "found problems".
    if (requireCheck && check && check(last) === null) {
      log(`  ${tool}: FAILED (no summary line) ${firstLine(last.stderr)}`);
      const crash = last.stderr.split('\n').find((line) => /Error/.test(line)) ?? firstLine(last.stderr);
      return {
        tool,
        command,
        ok: false,
        error: `crashed (exit code ${last.exitCode}): ${crash}`,
        runs: i + 1,
      };
    }
    wallTimes.push(last.wallMs);
    if (last.cpuMs !== null) cpuTimes.push(last.cpuMs);
    if (last.peakRssKiB !== null) peakRssKiB = Math.max(peakRssKiB ?? 0, last.peakRssKiB);
  }
  const wallMs = /** @type {number} */ (median(wallTimes));
  const entry = {
    tool,
    command,
    ok: true,
    runs,
    wallTimesMs: wallTimes.map((ms) => Math.round(ms)),
    ...rates(dataset, wallMs),
    peakRssMiB: peakRssKiB === null ? null : peakRssKiB / 1024,
    // CPU time (user + system) is less disturbed than wall time when other work shares the machine.
    cpuMs: cpuTimes.length > 0 ? median(cpuTimes) : null,
    mbPerCpuSec: cpuTimes.length > 0 ? dataset.bytes / 1e6 / (median(cpuTimes) / 1000) : null,
    exitCode: last?.exitCode ?? null,
    check: check ? check(last) : null,
  };
  log(
    `  ${tool}: ${(wallMs / 1000).toFixed(2)} s, ${entry.mbPerSec.toFixed(2)} MB/s, ` +
      `${entry.peakRssMiB === null ? '?' : entry.peakRssMiB.toFixed(0)} MiB peak RSS`,
  );
  return entry;
}

/** Reads a JSON line a worker printed to stderr, if any. */
function workerSummary(stderr) {
  const line = stderr.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/**
 * After the timed designdoc runs, one untimed run with stdout kept in a file checks that the
 * command really linted every file (a CLI that failed fast would otherwise look very quick).
 */
async function checkDesigndocOutput(dataset, scratch) {
  const outFile = join(scratch, `designdoc-${dataset.id}.json`);
  const run = await runMeasured({
    script: DESIGNDOC_BIN,
    args: ['lint', dataset.dir, '--format', 'json'],
    stdout: outFile,
  });
  try {
    const report = JSON.parse(readFileSync(outFile, 'utf8'));
    if (!Array.isArray(report)) return { ok: false, reason: 'lint --format json did not print an array' };
    const findings = report.reduce(
      (sum, entry) => sum + (Array.isArray(entry.findings) ? entry.findings.length : 0),
      0,
    );
    const filesReported = report.length;
    return {
      ok: filesReported >= dataset.files,
      filesReported,
      findings,
      exitCode: run.exitCode,
      reason:
        filesReported >= dataset.files ? null : `reported ${filesReported} files, expected ${dataset.files}`,
    };
  } catch (error) {
    return {
      ok: false,
      reason: `output is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      exitCode: run.exitCode,
    };
  } finally {
    rmSync(outFile, { force: true });
  }
}

/**
 * One extra, untimed designdoc run under `--cpu-prof`, summarised into the files and functions
 * that took the time: the starting point for anyone making the linter faster.
 */
async function profileDesigndoc(dataset, scratch) {
  const profileDir = join(scratch, `profile-${dataset.id}`);
  await runMeasured({
    script: DESIGNDOC_BIN,
    args: ['lint', dataset.dir, '--format', 'json'],
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir],
  });
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return null;
  const summary = summarizeCpuProfile(join(profileDir, file), { root: repoRoot, limit: 15 });
  log(`  designdoc lint profile: ${summary.totalMs} ms sampled`);
  return summary;
}

async function measureDataset(dataset, options, scratch) {
  log(`${dataset.label}: ${dataset.files} files, ${(dataset.bytes / 1e6).toFixed(1)} MB in ${dataset.dir}`);
  // Read every file once so no tool pays for a cold page cache that the next one would not.
  for (const file of listMarkdownFiles(dataset.dir).files) readFileSync(file);
  const endToEnd = [];

  endToEnd.push(
    await measureTool({
      tool: 'read + line scan (floor)',
      command: `node bench/lint/read-scan-worker.js <dir>`,
      dataset,
      runs: options.runs,
      okCodes: [0],
      spawnOptions: { script: join(HERE, 'read-scan-worker.js'), args: [dataset.dir] },
      check: (run) => workerSummary(run.stderr),
      requireCheck: true,
    }),
  );
  if (options.designdoc) {
    const entry = await measureTool({
      tool: 'designdoc lint',
      command: 'node bin/designdoc.js lint <dir> --format json > /dev/null',
      dataset,
      runs: options.runs,
      okCodes: [0, 1],
      spawnOptions: { script: DESIGNDOC_BIN, args: ['lint', dataset.dir, '--format', 'json'] },
    });
    if (entry.ok) {
      entry.check = await checkDesigndocOutput(dataset, scratch);
      if (!entry.check.ok) log(`  designdoc lint: output check FAILED: ${entry.check.reason}`);
      if (options.profile) entry.profile = await profileDesigndoc(dataset, scratch);
    }
    endToEnd.push(entry);
  }
  if (options.markdownlintApi) {
    log('  markdownlint (library API) running: minutes on 10,000 documents, this is expected');
    endToEnd.push(
      await measureTool({
        tool: 'markdownlint (library API)',
        command: 'node bench/lint/markdownlint-api-worker.js <dir> > /dev/null',
        dataset,
        runs: 1,
        okCodes: [0, 1],
        spawnOptions: { script: join(HERE, 'markdownlint-api-worker.js'), args: [dataset.dir] },
        check: (run) => workerSummary(run.stderr),
        requireCheck: true,
      }),
    );
  }
  if (options.markdownlintCli2) {
    log('  markdownlint-cli2 running: minutes on 10,000 documents, this is expected');
    endToEnd.push(
      await measureTool({
        tool: 'markdownlint-cli2',
        command: 'markdownlint-cli2 "<dir>/**/*.md" > /dev/null 2> /dev/null',
        dataset,
        runs: 1,
        okCodes: [0, 1],
        spawnOptions: {
          script: CLI2_BIN,
          args: [`${dataset.dir}/**/*.md`],
          cwd: dataset.dir,
          stdout: 'capture',
          stderr: 'ignore',
        },
        check: (run) => ({
          filesReported: Number(/Linting: (\d+) file/.exec(run.stdout)?.[1] ?? Number.NaN),
          problems: Number(/Summary: (\d+) error/.exec(run.stdout)?.[1] ?? Number.NaN),
        }),
      }),
    );
  }

  let parse = [];
  if (options.parse) {
    const parsers = [...(options.designdoc ? ['designdoc'] : []), 'commonmark', 'markdown-it'];
    log(`  parse to model in-process (${parsers.join(', ')}; ${options.iterations} timed passes each)`);
    const run = await runMeasured({
      script: join(HERE, 'parse-throughput-worker.js'),
      args: [dataset.dir, String(options.iterations), parsers.join(',')],
      nodeArgs: ['--expose-gc'],
      stdout: 'capture',
    });
    try {
      parse = JSON.parse(run.stdout).results;
      for (const result of parse) {
        log(
          `  parse ${result.parser}: ${result.error ?? `${result.mbPerSec.toFixed(1)} MB/s (median), ${result.failures} failures per pass`}`,
        );
      }
    } catch {
      log(`  parse-throughput worker failed: ${firstLine(run.stderr)}`);
      parse = [{ parser: 'all', error: firstLine(run.stderr) || `exit code ${run.exitCode}` }];
    }
  }
  return {
    id: dataset.id,
    label: dataset.label,
    dir: dataset.dir,
    files: dataset.files,
    bytes: dataset.bytes,
    endToEnd,
    parse,
  };
}

async function main() {
  const options = parseOptions();
  if (options.designdoc && !existsSync(join(repoRoot, 'dist/bundle/main.js'))) {
    fail(
      'dist/ is missing (dist/bundle/main.js not found): run `npm run build` first, or pass --skip-designdoc to measure only the other tools.',
    );
  }
  const machine = describeMachine();
  log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}`,
  );
  const loadBefore = loadavg();
  if ((loadBefore[0] ?? 0) > machine.cores / 2) {
    log(
      `warning: the machine is busy (1-minute load average ${loadBefore[0]?.toFixed(1)} on ${machine.cores} cores); figures will be noisy`,
    );
  }

  const datasets = [];
  const notes = [];
  let generated = null;
  if (options.skipGenerated) {
    notes.push('generated documents skipped (--skip-generated)');
  } else {
    log(`generating ${options.docs} design documents (seed ${options.seed})`);
    generated = writeDesignDocuments({ count: options.docs, seed: options.seed });
    datasets.push({
      id: 'generated',
      label: `Generated template documents (${options.docs.toLocaleString('en-US')})`,
      dir: generated.dir,
      ...listMarkdownFiles(generated.dir),
    });
  }
  if (options.skipCorpus) {
    notes.push('shared corpus skipped (--skip-corpus)');
  } else if (!existsSync(options.corpus)) {
    log(`shared corpus not found at ${options.corpus}: skipping it (set DESIGNDOC_CORPUS or --corpus)`);
    notes.push(`shared corpus not found at ${options.corpus}`);
  } else {
    datasets.push({
      id: 'corpus',
      label: 'Shared corpus (real documents)',
      dir: options.corpus,
      ...listMarkdownFiles(options.corpus),
    });
  }

  const scratch = mkdtempSync(join(tmpdir(), 'designdoc-bench-lint-'));
  const results = [];
  try {
    for (const dataset of datasets) {
      const { files, ...rest } = dataset;
      results.push(await measureDataset({ ...rest, files: files.length }, options, scratch));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const result = {
    benchmark: 'lint',
    date: machine.date,
    machine,
    method: {
      rss: rssMethod(),
      units: 'MB/s = 10^6 bytes of markdown (UTF-8 file size) per second; RSS in MiB (2^20 bytes)',
      endToEnd: `wall time from spawn to exit; CPU = user + system time of the child; median of ${options.runs} runs for designdoc and the read floor, one run for each markdownlint; page cache warmed first`,
      parse: `files read into memory first; ${options.iterations} timed passes after one warm-up pass, median reported`,
    },
    versions: {
      designdoc: JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version,
      markdownlint: packageVersion('markdownlint'),
      'markdownlint-cli2': packageVersion('markdownlint-cli2'),
      commonmark: packageVersion('commonmark'),
      'markdown-it': packageVersion('markdown-it'),
    },
    config: {
      docs: options.docs,
      seed: options.seed,
      runs: options.runs,
      iterations: options.iterations,
      fullScale: options.skipGenerated || options.docs >= FULL_SCALE_DOCS,
      generatedDir: generated?.dir ?? null,
    },
    notes,
    loadAverage: { before: loadBefore.map(round1), after: loadavg().map(round1) },
    datasets: results.map((dataset) => ({
      ...dataset,
      dir:
        dataset.id === 'corpus'
          ? relative(repoRoot, dataset.dir) || dataset.dir
          : '<tmp>/' + dataset.dir.split('/').pop(),
    })),
    targets: [],
  };
  result.targets = evaluateTargets(result);

  process.stdout.write(`${formatConsoleReport(result)}\n\n`);

  const day = machine.date.slice(0, 10);
  const out =
    options.out ??
    (result.config.fullScale
      ? join(repoRoot, 'bench/results', `lint-${day}${options.skipGenerated ? '-corpus' : ''}.json`)
      : join(tmpdir(), `designdoc-bench-lint-${day}-${options.docs}docs.json`));
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(`result written to ${relative(process.cwd(), out) || out}`);
}

await main();
