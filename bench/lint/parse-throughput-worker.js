/**
 * Parse-to-model throughput, in one process: read every markdown file below a folder into memory
 * first, then time whole passes of each parser over all the texts. designdoc's `parse()` builds
 * the full typed model; commonmark.js and markdown-it are timed on the same texts for reference
 * ratios (they only build their own syntax trees / token streams). File reading is outside the
 * timed region. Prints one JSON object to stdout.
 *
 * Usage: node --expose-gc parse-throughput-worker.js <dir> <iterations> <parsers,comma,separated>
 */
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

import { listMarkdownFiles, repoRoot } from '../shared/markdown-files.js';

const [dir, iterationsArg = '5', parsersArg = 'designdoc,commonmark,markdown-it'] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: parse-throughput-worker.js <dir> [iterations] [parsers]\n');
  process.exit(2);
}
const iterations = Math.max(1, Number.parseInt(iterationsArg, 10) || 5);

/**
 * Loads designdoc's parse() from the build: the package entry once it exports parse, else the
 * parser module itself.
 */
async function loadDesigndocParse() {
  for (const candidate of ['dist/core/index.js', 'dist/core/parse/index.js']) {
    const path = `${repoRoot}/${candidate}`;
    if (!existsSync(path)) continue;
    const module = await import(pathToFileURL(path).href);
    if (typeof module.parse === 'function') return { parse: module.parse, from: candidate };
  }
  return null;
}

/** Each parser as a function of (text, fileName) returning a number derived from its output, so no pass is optimised away. */
const loaders = {
  async designdoc() {
    const loaded = await loadDesigndocParse();
    if (!loaded)
      return {
        error:
          'dist/core/index.js or dist/core/parse/index.js with a parse() export not found (run `npm run build`)',
      };
    return { from: loaded.from, run: (text, fileName) => loaded.parse(text, { fileName }).sections.length };
  },
  async commonmark() {
    const { Parser } = await import('commonmark');
    const parser = new Parser();
    return { from: 'commonmark', run: (text) => (parser.parse(text).firstChild ? 1 : 0) };
  },
  async 'markdown-it'() {
    const { default: MarkdownIt } = await import('markdown-it');
    const md = new MarkdownIt();
    return { from: 'markdown-it', run: (text) => md.parse(text, {}).length };
  },
};

const { files } = listMarkdownFiles(dir);
const texts = files.map((file) => readFileSync(file, 'utf8'));
const names = files.map((file) => basename(file));
const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);

const results = [];
for (const name of parsersArg.split(',').filter(Boolean)) {
  const loader = loaders[name];
  if (!loader) {
    results.push({ parser: name, error: `unknown parser ${name}` });
    continue;
  }
  const loaded = await loader();
  if (!loaded.run) {
    results.push({ parser: name, error: loaded.error });
    continue;
  }
  globalThis.gc?.();
  let checksum = 0;
  let failures = 0;
  let firstFailure = null;
  const pass = () => {
    const started = performance.now();
    for (let i = 0; i < texts.length; i++) {
      try {
        checksum += loaded.run(texts[i], names[i]);
      } catch (error) {
        failures++;
        firstFailure ??= `${files[i]}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return performance.now() - started;
  };
  pass(); // warm-up: lets the JIT settle before anything is timed
  const msPerPass = [];
  for (let i = 0; i < iterations; i++) msPerPass.push(pass());
  const sorted = msPerPass.slice().sort((a, b) => a - b);
  const medianMs = /** @type {number} */ (sorted[Math.floor(sorted.length / 2)]);
  const bestMs = /** @type {number} */ (sorted[0]);
  results.push({
    parser: name,
    from: loaded.from,
    iterations,
    msPerPass: msPerPass.map((ms) => Math.round(ms * 10) / 10),
    medianMs,
    mbPerSec: bytes / 1e6 / (medianMs / 1000),
    bestMbPerSec: bytes / 1e6 / (bestMs / 1000),
    docsPerSec: texts.length / (medianMs / 1000),
    failures: failures / (iterations + 1),
    firstFailure,
    checksum,
  });
}
process.stdout.write(`${JSON.stringify({ files: files.length, bytes, results })}\n`);
