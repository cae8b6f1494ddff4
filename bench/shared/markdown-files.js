/**
 * Finds the markdown files a benchmark works on: every `*.md` below a folder, the same set
 * `designdoc lint <dir>` and `markdownlint-cli2 "<dir>/**\/*.md"` are given, so every tool is
 * measured on the same bytes.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { globSync } from 'tinyglobby';

/** The repository root (two levels above bench/shared). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the shared corpus of real documents lives: DESIGNDOC_CORPUS, else ../shared/corpus beside
 * the repository, the same rule as test/support/corpus.ts.
 * @returns {string}
 */
export function corpusRoot() {
  return process.env.DESIGNDOC_CORPUS ?? resolve(repoRoot, '../shared/corpus');
}

/**
 * Every `*.md` file below `dir` (hidden folders and node_modules excluded), sorted, with the
 * total size in bytes.
 * @param {string} dir
 * @returns {{ files: string[], bytes: number }}
 */
export function listMarkdownFiles(dir) {
  const files = globSync(['**/*.md'], { cwd: dir, absolute: true, ignore: ['**/node_modules/**'] }).sort();
  let bytes = 0;
  for (const file of files) bytes += statSync(file).size;
  return { files, bytes };
}
