/**
 * Differential check of the list pass against commonmark.js over the corpus: the lines where list
 * items start (outside block quotes) should be the same. Known differences come from the block
 * pass's deliberate deviations and deep-indentation corner cases, so the test holds a floor.
 */
import { readFileSync } from 'node:fs';
import { Parser, type Node } from 'commonmark';
import { describe, expect, it } from 'vitest';
import { extractContent } from '../../src/core/parse/extract/index.js';
import { corpusDocuments, requireCorpus } from '../support/corpus.js';
import { contextFor } from './context-for.js';

function inBlockQuote(node: Node): boolean {
  for (let p = node.parent; p !== null; p = p.parent) if (p.type === 'block_quote') return true;
  return false;
}

describe.runIf(requireCorpus('lists vs commonmark'))('list items against commonmark.js', () => {
  it('agrees on where list items start in at least 99% of documents', () => {
    const docs = corpusDocuments();
    const differing: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(doc.path, 'utf8');
      const content = extractContent(contextFor(text));
      const ours = new Set<number>(content.items.map((i) => i.range.start.line));
      for (const f of content.fields) {
        // List fields start at their marker; top-level `**Label**: value` lines are not items.
        if (
          text.charCodeAt(f.range.start.offset) !== 42 ||
          text.charCodeAt(f.range.start.offset + 1) !== 42
        ) {
          ours.add(f.range.start.line);
        }
      }
      const theirs = new Set<number>();
      const walker = new Parser().parse(text).walker();
      for (let e = walker.next(); e !== null; e = walker.next()) {
        if (e.entering && e.node.type === 'item' && !inBlockQuote(e.node)) theirs.add(e.node.sourcepos[0][0]);
      }
      const same = ours.size === theirs.size && [...ours].every((l) => theirs.has(l));
      if (!same) differing.push(`${doc.source}/${doc.file}`);
    }
    expect(differing.length / docs.length).toBeLessThan(0.01);
  }, 120_000);
});
