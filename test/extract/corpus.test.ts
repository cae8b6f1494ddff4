/**
 * Every corpus document goes through the extractors without an exception, and every range they
 * return lies inside the text, in order, with line/column agreeing with the offset.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourceRange } from '../../src/core/model.js';
import { extractContent } from '../../src/core/parse/extract/index.js';
import { corpusDocuments, requireCorpus } from '../support/corpus.js';
import { contextFor } from './context-for.js';

function collectRanges(value: unknown, out: SourceRange[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectRanges(v, out);
    return;
  }
  const record = value as Record<string, unknown>;
  if (
    'start' in record &&
    'end' in record &&
    typeof (record.start as { offset?: unknown }).offset === 'number'
  ) {
    out.push(record as unknown as SourceRange);
    return;
  }
  for (const v of Object.values(record)) collectRanges(v, out);
}

describe.runIf(requireCorpus('extract corpus'))('extractContent over the corpus', () => {
  const docs = corpusDocuments();

  it('finds the corpus', () => {
    expect(docs.length).toBeGreaterThan(2000);
  });

  it('extracts every document with valid ranges', async () => {
    const problems: string[] = [];
    let fields = 0;
    let links = 0;
    for (const doc of docs) {
      const text = readFileSync(doc.path, 'utf8');
      const ctx = contextFor(text, doc.file);
      let result;
      try {
        result = extractContent(ctx);
      } catch (error) {
        problems.push(`${doc.source}/${doc.file}: threw ${(error as Error).message}`);
        continue;
      }
      fields += result.fields.length;
      links += result.links.length;
      const ranges: SourceRange[] = [];
      collectRanges(result, ranges);
      for (const r of ranges) {
        const ok =
          r.start.offset >= 0 &&
          r.start.offset <= r.end.offset &&
          r.end.offset <= text.length &&
          r.start.offset - (ctx.lineStarts[r.start.line - 1] ?? NaN) + 1 === r.start.column &&
          r.end.offset - (ctx.lineStarts[r.end.line - 1] ?? NaN) + 1 === r.end.column;
        if (!ok) {
          problems.push(`${doc.source}/${doc.file}: bad range ${JSON.stringify(r)}`);
          break;
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    // The corpus is full of links and bold-key fields; zero would mean the extractors are blind.
    expect(links).toBeGreaterThan(10000);
    expect(fields).toBeGreaterThan(1000);
  }, 120_000);
});
