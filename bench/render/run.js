#!/usr/bin/env node
/**
 * Render throughput on large generated documents: designdoc's render() (markdown-it, the renderer's
 * rules and the allowlist sanitiser) against markdown-it's bare render of the same text with the
 * renderer's options (`html: true, linkify: true`), side by side in the same process, in ms per MB.
 * The ratio render ÷ bare is the figure to compare across runs: it is what the renderer adds on top
 * of markdown-it, and a loaded machine moves both sides alike.
 *
 * Kinds: `table` (one 5-column table), `paragraphs`, `lists` (nested 4 deep), `tasks` (one long
 * task list) and `quoted-headings` (headings inside block quotes, which take generated anchors).
 * Each kind and size runs in a fresh child process; the document is parsed once (parse() is not
 * timed as part of the render), then render and bare alternate for --rounds rounds after a warm-up.
 *
 * Build first (`npx tsc -p tsconfig.build.json`), then:
 *   node bench/render/run.js [--sizes 0.5,2] [--kinds table,paragraphs,lists,tasks,quoted-headings]
 *                            [--rounds 3] [--compare <dist folder>] [--json bench/results/render-<date>.json]
 * DESIGNDOC_DIST=<folder> measures another build of the core (default: dist/). --compare also times
 * a second build's render() in the same rounds and checks it renders the same HTML: before and after
 * a change under the same load, which a shared machine does not keep for two runs minutes apart.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { describeMachine } from '../shared/describe-machine.js';
import { formatTextTable } from '../shared/format-table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = process.env.DESIGNDOC_DIST ?? join(root, 'dist');
const KINDS = ['table', 'paragraphs', 'lists', 'tasks', 'quoted-headings'];

/** Lines appended until the text reaches `bytes` (every generator writes ASCII, so length = bytes). */
function fill(head, bytes, line) {
  const lines = [...head];
  let size = lines.reduce((n, l) => n + l.length + 1, 0);
  for (let i = 0; size < bytes; i++) {
    const next = line(i);
    lines.push(next);
    size += next.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

const GENERATORS = {
  table: (bytes) =>
    fill(
      [
        '# Inventory',
        '',
        'Status: Draft',
        '',
        '## Items',
        '',
        '| Name | Kind | Owner | State | Notes |',
        '| :--- | --- | :---: | ---: | --- |',
      ],
      bytes,
      (i) =>
        `| item-${i} | **kind** ${i % 7} | owner${i % 13} | \`ok\` | notes on row ${i}, see [spec](https://example.com/spec/${i}) |`,
    ),
  paragraphs: (bytes) =>
    fill(['# Notes', '', 'Status: Draft', '', '## Body', ''], bytes, (i) =>
      i % 2 === 1
        ? ''
        : `Paragraph ${i} has *emphasis*, **strong**, \`code\` and a [link](https://example.com/${i}) among plain words that pad it out to a realistic length.`,
    ),
  lists: (bytes) =>
    fill(
      ['# Plan', '', 'Status: Draft', '', '## Steps', ''],
      bytes,
      (i) =>
        `${'  '.repeat(i % 4)}- step ${i} with *emphasis*, \`code\` and a [link](https://example.com/${i})`,
    ),
  tasks: (bytes) =>
    fill(
      ['# Checklist', '', 'Status: Draft', '', '## Tasks', ''],
      bytes,
      (i) => `- [${i % 3 === 0 ? 'x' : ' '}] task ${i}: check the *thing* and \`record\` it`,
    ),
  'quoted-headings': (bytes) =>
    fill(['# Review', '', 'Status: Draft', '', '## Comments', ''], bytes, (i) =>
      i % 3 === 0 ? `> ### Comment ${i % 50}` : i % 3 === 1 ? `> Text of comment ${i} with *emphasis*.` : '',
    ),
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function loadCore(folder) {
  return import(pathToFileURL(join(folder, 'core/index.js')).href);
}

async function worker(kind, mb, rounds, compareDist) {
  const { parse, render } = await loadCore(dist);
  const other = compareDist ? await loadCore(compareDist) : null;
  const { default: MarkdownIt } = await import('markdown-it');
  const bare = new MarkdownIt({ html: true, linkify: true });
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  const settle = () => new Promise((done) => setTimeout(done, 5));

  // Warm-up on a small document of the same kind, so every side runs optimised code.
  const small = GENERATORS[kind](50_000);
  render(parse(small, { fileName: 'warm-up.md' }));
  bare.render(small);
  other?.render(other.parse(small, { fileName: 'warm-up.md' }));

  const text = GENERATORS[kind](mb * 1e6);
  const bytes = Buffer.byteLength(text, 'utf8');
  let start = performance.now();
  const doc = parse(text, { fileName: `${kind}.md` });
  const parseMs = performance.now() - start;
  const otherDoc = other?.parse(text, { fileName: `${kind}.md` });

  const timed = (run) => {
    const cpu = process.cpuUsage();
    const gcBefore = gcMs;
    start = performance.now();
    const value = run();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { value, ms, cpuMs: (used.user + used.system) / 1000, gcBefore };
  };
  const renderMs = [];
  const renderCpuMs = [];
  const renderGcMs = [];
  const bareMs = [];
  const ratios = [];
  const compareMs = [];
  const compareRatios = [];
  let html = '';
  for (let round = 0; round < rounds; round++) {
    await settle();
    const ours = timed(() => render(doc));
    await settle(); // lets the GC observer report
    html = ours.value;
    renderMs.push(ours.ms);
    renderCpuMs.push(ours.cpuMs);
    renderGcMs.push(gcMs - ours.gcBefore);
    const baseline = timed(() => bare.render(text));
    bareMs.push(baseline.ms);
    ratios.push(ours.ms / baseline.ms);
    if (other) {
      await settle();
      const theirs = timed(() => other.render(otherDoc));
      if (theirs.value !== html) throw new Error(`${kind}: the compared build renders different HTML`);
      compareMs.push(theirs.ms);
      compareRatios.push(theirs.ms / baseline.ms);
    }
  }
  // The output must be the whole document, not a fast failure.
  if (kind === 'table') {
    const rows = (html.match(/<tr>/g) ?? []).length;
    const expected = text.split('\n').filter((line) => line.startsWith('| item-')).length + 1;
    if (rows !== expected) throw new Error(`table: ${rows} rows rendered, ${expected} expected`);
  }
  if (html.length < bytes / 2) throw new Error(`${kind}: only ${html.length} characters of HTML`);
  const perMb = (ms) => ms / (bytes / 1e6);
  return {
    kind,
    bytes,
    htmlBytes: Buffer.byteLength(html, 'utf8'),
    rounds,
    parseMs,
    renderMs,
    renderCpuMs,
    renderGcMs,
    bareMs,
    renderMedianMs: median(renderMs),
    bareMedianMs: median(bareMs),
    renderMsPerMb: perMb(median(renderMs)),
    bareMsPerMb: perMb(median(bareMs)),
    ratio: median(ratios),
    ...(other
      ? {
          compareMs,
          compareMedianMs: median(compareMs),
          compareMsPerMb: perMb(median(compareMs)),
          compareRatio: median(compareRatios),
        }
      : {}),
  };
}

function option(args, name, fallback) {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
}

const list = (values) => values.map((ms) => ms.toFixed(0)).join('/');

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--worker') {
    const result = await worker(args[1], Number(args[2]), Number(args[3]), args[4] || null);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (args.includes('--help')) {
    console.log(
      `node bench/render/run.js [--sizes 0.5,2] [--kinds ${KINDS.join(',')}] [--rounds 3]\n` +
        '                         [--compare <dist folder>] [--json <file>]\n' +
        'DESIGNDOC_DIST=<folder> measures another build of the core (default dist/).',
    );
    return;
  }
  const known = new Set(['--sizes', '--kinds', '--rounds', '--json', '--compare']);
  for (let i = 0; i < args.length; i += 2) {
    if (!known.has(args[i]) || args[i + 1] === undefined) {
      process.stderr.write(
        `bench:render: ${known.has(args[i]) ? `${args[i]} needs a value` : `unknown option "${args[i]}"`} (see --help)\n`,
      );
      process.exitCode = 2;
      return;
    }
  }
  const sizes = option(args, '--sizes', '0.5,2').split(',').map(Number);
  const kinds = option(args, '--kinds', KINDS.join(',')).split(',');
  const rounds = Number(option(args, '--rounds', '3'));
  const jsonPath = option(args, '--json', null);
  const compareDist = option(args, '--compare', null);
  for (const kind of kinds) if (!(kind in GENERATORS)) throw new Error(`unknown kind ${kind}`);

  const machine = describeMachine();
  console.log(
    `render benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}\n` +
      `${machine.date}, core from ${dist}${compareDist ? `, compared with ${compareDist}` : ''}, ` +
      `${rounds} rounds, medians\n`,
  );
  const results = [];
  const rows = [];
  for (const kind of kinds) {
    for (const mb of sizes) {
      const out = execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--worker', kind, String(mb), String(rounds), compareDist ?? ''],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      const result = JSON.parse(out.trim().split('\n').pop());
      results.push(result);
      rows.push([
        kind,
        (result.bytes / 1e6).toFixed(2),
        result.renderMedianMs.toFixed(0),
        result.renderMsPerMb.toFixed(0),
        result.bareMsPerMb.toFixed(0),
        `${result.ratio.toFixed(2)}×`,
        median(result.renderGcMs).toFixed(0),
        median(result.renderCpuMs).toFixed(0),
        result.parseMs.toFixed(0),
        ...(compareDist ? [result.compareMsPerMb.toFixed(0), `${result.compareRatio.toFixed(2)}×`] : []),
      ]);
      console.log(
        `${kind} ${mb} MB: render ${list(result.renderMs)} ms, bare ${list(result.bareMs)} ms` +
          (compareDist ? `, compared build ${list(result.compareMs)} ms` : ''),
      );
    }
  }
  const headers = [
    'document',
    'MB',
    'render ms',
    'render ms/MB',
    'bare md ms/MB',
    'render ÷ bare',
    'GC ms',
    'CPU ms',
    'parse ms',
    ...(compareDist ? ['compared ms/MB', 'compared ÷ bare'] : []),
  ];
  console.log(`\n${formatTextTable(headers, rows)}`);
  if (jsonPath) {
    const summary = { machine, dist, compareDist, rounds, sizes, results };
    writeFileSync(jsonPath, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`\nwritten ${jsonPath}`);
  }
}

await main();
