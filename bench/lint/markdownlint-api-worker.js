/**
 * markdownlint end to end through its library API, as a user's script would run it: find the
 * files, read and lint them with the default rules (`markdownlint/promise` `lint({ files })`,
 * rule exceptions reported as problems as markdownlint-cli2 does),
 * print every problem, exit 1 when there were any. Run as a child process by run.js so the whole
 * process is measured. A one-line JSON summary goes to stderr for the harness to check.
 *
 * Usage: node markdownlint-api-worker.js <dir>
 */
import process from 'node:process';

import { lint } from 'markdownlint/promise';

import { listMarkdownFiles } from '../shared/markdown-files.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: markdownlint-api-worker.js <dir>\n');
  process.exit(2);
}
const { files } = listMarkdownFiles(dir);
// markdownlint-cli2 sets handleRuleFailures too: without it, one rule exception on one file (MD027 on
// a KEP in the shared corpus, markdownlint 0.40.0) aborts the whole run.
const results = await lint({ files, handleRuleFailures: true });
let problems = 0;
const lines = [];
for (const file of files) {
  for (const issue of results[file] ?? []) {
    problems++;
    const detail = issue.errorDetail ? ` [${issue.errorDetail}]` : '';
    lines.push(`${file}:${issue.lineNumber} ${issue.ruleNames.join('/')} ${issue.ruleDescription}${detail}`);
  }
  if (lines.length > 4096) {
    process.stdout.write(`${lines.join('\n')}\n`);
    lines.length = 0;
  }
}
if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
process.stderr.write(`${JSON.stringify({ files: files.length, problems })}\n`);
process.exitCode = problems > 0 ? 1 : 0;
