#!/usr/bin/env node
/**
 * Parse throughput on the shared corpus, read once into memory: our block pass (scanBlocks), the
 * full parse() to the model, commonmark.js and markdown-it on the same texts in the same run.
 * Build first: `npx tsc -p tsconfig.build.json`, then `node bench/parse/run.mjs [--rounds N]`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { Parser } from 'commonmark';
import MarkdownIt from 'markdown-it';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpusRoot = process.env.DESIGNDOC_CORPUS ?? resolve(root, '../shared/corpus');
const dist = process.env.DESIGNDOC_DIST ?? join(root, 'dist');
const { scanBlocks, parse } = await import(join(dist, 'core/parse/index.js'));
const { buildSectionTree, findTitleHeading } = await import(join(dist, 'core/parse/sections.js'));

/** The structural part of parse(): block pass, title heading and section tree, no extractors. */
function structure(text) {
  const scan = scanBlocks(text);
  const fm = scan.frontMatter;
  const bodyStart = fm === null ? (scan.bom ? 1 : 0) : (scan.lineStarts[fm.range.end.line] ?? text.length);
  return buildSectionTree({
    text,
    lineStarts: scan.lineStarts,
    lineEnds: scan.lineEnds,
    opaque: scan.opaque,
    headings: scan.headings,
    titleHeading: findTitleHeading(scan.headings),
    bodyStart,
  });
}

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg === -1 ? 5 : Number(process.argv[roundsArg + 1]);

if (!existsSync(corpusRoot)) {
  console.error(`bench/parse: the shared corpus is not at ${corpusRoot}`);
  process.exit(2);
}
const texts = [];
for (const source of readdirSync(corpusRoot).sort()) {
  let entries;
  try {
    entries = readdirSync(join(corpusRoot, source));
  } catch {
    continue;
  }
  for (const file of entries.sort()) {
    if (!file.endsWith('.md') || /^(LICENSE|LICENCE|COPYING|NOTICE)/i.test(file)) continue;
    texts.push(readFileSync(join(corpusRoot, source, file), 'utf8'));
  }
}
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
const mb = bytes / 1e6;

const cm = new Parser();
const md = new MarkdownIt();
const runners = {
  'scanBlocks (block pass)': (t) => scanBlocks(t),
  'block pass + section tree': (t) => structure(t),
  'parse() (full model)': (t) => parse(t),
  'commonmark.js parse': (t) => cm.parse(t),
  'markdown-it parse': (t) => md.parse(t, {}),
};

let sink = 0;
function measure(fn) {
  for (const t of texts) sink += fn(t) ? 1 : 0; // warm-up
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (const t of texts) sink += fn(t) ? 1 : 0;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms < best) best = ms;
  }
  return mb / (best / 1000);
}

console.log(
  `corpus: ${texts.length} documents, ${mb.toFixed(1)} MB; node ${process.version}; ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}; best of ${rounds} rounds`,
);
const results = {};
for (const [name, fn] of Object.entries(runners)) {
  results[name] = measure(fn);
  console.log(`${name.padEnd(26)} ${results[name].toFixed(1).padStart(8)} MB/s`);
}
const full = results['parse() (full model)'];
console.log(
  `structure (block pass + sections) takes ${((full / results['block pass + section tree']) * 100).toFixed(0)}% of parse() time`,
);
console.log(
  `ratios: parse() is ${(full / results['commonmark.js parse']).toFixed(2)}× commonmark.js, ${(full / results['markdown-it parse']).toFixed(2)}× markdown-it; scanBlocks is ${(results['scanBlocks (block pass)'] / full).toFixed(1)}× parse()`,
);
if (sink < 0) console.log(sink);
