/**
 * Prints a lint-benchmark result file as the markdown tables used in BENCHMARKS.md, so the
 * document is filled from what a run measured rather than copied by hand.
 *
 * Usage: node bench/lint/print-markdown.js bench/results/lint-<date>.json
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';

import { formatMarkdownReport } from './lint-report.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: print-markdown.js <result.json>\n');
  process.exit(2);
}
process.stdout.write(`${formatMarkdownReport(JSON.parse(readFileSync(file, 'utf8')))}\n`);
