/**
 * Smoke test of `npm run bench:lint` in a tiny mode: 20 generated documents, a second small folder
 * standing in for the shared corpus, one run and one pass each. It checks the JSON result carries
 * every metric for every tool, not how fast anything is.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeDesignDocuments } from '../../bench/shared/design-document-generator.js';
import { repoRoot } from '../support/corpus.js';

const run = promisify(execFile);
const built = existsSync(join(repoRoot, 'dist/bundle/main.js'));
if (!built) console.warn('SKIPPED bench:lint smoke test: dist/ is not built (npm test builds it first)');

interface EndToEnd {
  tool: string;
  ok: boolean;
  wallMs: number;
  mbPerSec: number;
  docsPerSec: number;
  peakRssMiB: number | null;
  check: { ok?: boolean; filesReported?: number; files?: number } | null;
}
interface ParseResult {
  parser: string;
  error?: string;
  mbPerSec: number;
  docsPerSec: number;
  failures: number;
}
interface Result {
  machine: Record<string, unknown>;
  config: { docs: number; fullScale: boolean };
  datasets: { id: string; files: number; bytes: number; endToEnd: EndToEnd[]; parse: ParseResult[] }[];
  targets: { id: string; actual: number | null; met: boolean | null }[];
}

describe.skipIf(!built)('bench:lint in tiny mode', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'designdoc-bench-smoke-'));
  const out = join(scratch, 'result.json');
  let result: Result;
  let stdout = '';

  beforeAll(async () => {
    const corpus = writeDesignDocuments({ count: 6, seed: 7, dir: join(scratch, 'corpus') });
    const child = await run(
      process.execPath,
      [
        'bench/lint/run.js',
        '--docs',
        '20',
        '--corpus',
        corpus.dir,
        '--runs',
        '1',
        '--iterations',
        '1',
        '--out',
        out,
      ],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    stdout = child.stdout;
    result = JSON.parse(readFileSync(out, 'utf8')) as Result;
  }, 180_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('describes the machine and marks the run as scaled', () => {
    for (const key of ['cpu', 'cores', 'memoryGiB', 'node', 'os', 'date'])
      expect(result.machine[key]).toBeTruthy();
    expect(result.config).toMatchObject({ docs: 20, fullScale: false });
    expect(stdout).toContain('SCALED RUN');
  });

  it('measures every tool end to end on both datasets, with every metric', () => {
    expect(result.datasets.map((d) => [d.id, d.files])).toEqual([
      ['generated', 20],
      ['corpus', 6],
    ]);
    for (const dataset of result.datasets) {
      expect(dataset.endToEnd.map((e) => e.tool)).toEqual([
        'read + line scan (floor)',
        'designdoc lint',
        'markdownlint (library API)',
        'markdownlint-cli2',
      ]);
      for (const entry of dataset.endToEnd) {
        expect(entry.ok, `${dataset.id} ${entry.tool}`).toBe(true);
        for (const metric of [entry.wallMs, entry.mbPerSec, entry.docsPerSec, entry.peakRssMiB]) {
          expect(metric).toBeGreaterThan(0);
        }
      }
      const designdoc = dataset.endToEnd.find((e) => e.tool === 'designdoc lint');
      expect(designdoc?.check).toMatchObject({ ok: true, filesReported: dataset.files });
    }
  });

  it('measures parse-to-model for designdoc, commonmark.js and markdown-it without failures', () => {
    for (const dataset of result.datasets) {
      expect(dataset.parse.map((p) => p.parser)).toEqual(['designdoc', 'commonmark', 'markdown-it']);
      for (const parser of dataset.parse) {
        expect(parser.error).toBeUndefined();
        expect(parser.mbPerSec).toBeGreaterThan(0);
        expect(parser.docsPerSec).toBeGreaterThan(0);
        expect(parser.failures).toBe(0);
      }
    }
  });

  it('judges every target with a measured figure', () => {
    expect(result.targets.map((t) => t.id)).toEqual([
      'end-to-end-ratio-generated',
      'end-to-end-ratio-corpus',
      'parse-throughput-corpus',
      'peak-rss-generated',
    ]);
    for (const target of result.targets) {
      expect(target.actual).toBeGreaterThan(0);
      expect(typeof target.met).toBe('boolean');
    }
  });
});
