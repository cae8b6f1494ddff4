/**
 * Differential check of the link extractor against commonmark.js over the corpus: the links
 * commonmark finds (inline, reference, images, autolinks) should be found here too. Exact parity is
 * not the goal (links whose text spans more than two lines, exotic definitions), so the test
 * holds the agreement above a floor and reports the gap.
 */
import { readFileSync } from 'node:fs';
import { Parser } from 'commonmark';
import { describe, expect, it } from 'vitest';
import { extractContent } from '../../src/core/parse/extract/index.js';
import { corpusDocuments, requireCorpus } from '../support/corpus.js';
import { contextFor } from './context-for.js';

function decoded(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

describe.runIf(requireCorpus('links vs commonmark'))('links against commonmark.js', () => {
  it('finds at least 99.5% of the links commonmark finds, and few it does not', () => {
    let theirsTotal = 0;
    let missing = 0;
    let extra = 0;
    for (const doc of corpusDocuments()) {
      const text = readFileSync(doc.path, 'utf8');
      const ours = extractContent(contextFor(text)).links.map((l) => decoded(l.url));
      const walker = new Parser().parse(text).walker();
      const bag = new Map<string, number>();
      for (let e = walker.next(); e !== null; e = walker.next()) {
        if (e.entering && (e.node.type === 'link' || e.node.type === 'image')) {
          const url = decoded(e.node.destination ?? '');
          bag.set(url, (bag.get(url) ?? 0) + 1);
          theirsTotal++;
        }
      }
      for (const url of ours) {
        const n = bag.get(url) ?? 0;
        if (n > 0) bag.set(url, n - 1);
        else extra++;
      }
      for (const n of bag.values()) missing += n;
    }
    expect(theirsTotal).toBeGreaterThan(50_000);
    expect(missing / theirsTotal).toBeLessThan(0.005);
    expect(extra / theirsTotal).toBeLessThan(0.002);
  }, 120_000);
});
