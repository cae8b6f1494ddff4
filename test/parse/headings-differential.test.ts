/**
 * The oracle test: our document-level headings (level, plain text, line) against commonmark.js on
 * every CommonMark spec example and every corpus document. Zero differences allowed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { scanBlocks } from '../../src/core/parse/blocks/index.js';
import { corpusDocuments, repoRoot, requireCorpus } from '../support/corpus.js';
import {
  commonmarkHeadings,
  firstDifference,
  headingShapes,
  oracleInput,
} from './support/commonmark-oracle.js';

const require = createRequire(import.meta.url);
const spec = require('commonmark-spec') as { tests: { markdown: string; number: number; section: string }[] };

function compare(text: string): string | null {
  const scan = scanBlocks(text);
  const fm = scan.frontMatter;
  const blank = fm === null ? null : { from: fm.range.start.line, to: fm.range.end.line };
  return firstDifference(headingShapes(scan.headings), commonmarkHeadings(oracleInput(text, blank)));
}

function report(failures: string[]): string {
  return `${failures.length} difference(s):\n` + failures.slice(0, 15).join('\n');
}

describe('document-level headings agree with commonmark.js', () => {
  it(`on all ${spec.tests.length} CommonMark spec examples`, () => {
    const failures: string[] = [];
    for (const example of spec.tests) {
      const markdown = example.markdown.replace(/→/g, '\t');
      const diff = compare(markdown);
      if (diff !== null)
        failures.push(`example ${example.number} (${example.section}) ${JSON.stringify(markdown)}: ${diff}`);
    }
    expect(failures, report(failures)).toEqual([]);
  });

  it('on every corpus document', () => {
    if (!requireCorpus('headings differential')) return;
    const failures: string[] = [];
    const docs = corpusDocuments();
    for (const doc of docs) {
      const diff = compare(readFileSync(doc.path, 'utf8'));
      if (diff !== null) failures.push(`${doc.source}/${doc.file}: ${diff}`);
    }
    expect(docs.length).toBeGreaterThan(2000);
    expect(failures, report(failures)).toEqual([]);
  });

  it('on the parser fixtures (except where the documented empty-bullet deviation applies)', () => {
    const dir = join(repoRoot, 'test/fixtures/parse');
    const deviation = /^[^\r\n]*[^ \t\r\n][^\r\n]*(?:\r\n|\r|\n)[ \t>]*[-*+][ \t]+$/m;
    const failures: string[] = [];
    let compared = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      if (deviation.test(text)) continue;
      compared++;
      const diff = compare(text);
      if (diff !== null) failures.push(`${file}: ${diff}`);
    }
    expect(compared).toBeGreaterThanOrEqual(15);
    expect(failures, report(failures)).toEqual([]);
  });
});
