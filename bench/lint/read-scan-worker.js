/**
 * The floor any linter sits on: find the files, read each one and scan it line by line, nothing
 * more. Its throughput shows how much of a linter's time is I/O and process start-up rather than
 * parsing and rules. Prints a one-line JSON summary to stderr.
 *
 * Usage: node read-scan-worker.js <dir>
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';

import { listMarkdownFiles } from '../shared/markdown-files.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: read-scan-worker.js <dir>\n');
  process.exit(2);
}
const { files } = listMarkdownFiles(dir);
let lines = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  let at = text.indexOf('\n');
  while (at !== -1) {
    lines++;
    at = text.indexOf('\n', at + 1);
  }
}
process.stderr.write(`${JSON.stringify({ files: files.length, lines })}\n`);
