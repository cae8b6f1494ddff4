/**
 * Template detection must not keep the documents it has seen alive: `normalizeHeadingCached` keeps
 * heading, label and key texts as map keys, and a heading parsed out of a document is a slice of
 * the document's source, so caching the slice itself pins the whole source until the cache fills
 * (50,000 entries). A long lint run (a worker's heap is capped at 128 MB) or a long-lived server
 * then grows by every document it parses or detects (the server's POST /lint, open to viewers,
 * included). Found in review of 433e592: the memo now keeps detached copies of short texts only.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/parse/index.js';
import { detectTemplate } from '../../src/core/template/detect-template.js';
import { BUILTINS, builtinSchema } from './support.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const schemas = BUILTINS.map(builtinSchema);

/** A ~200 KB document whose headings are its own (so each is a new cache entry). */
function documentNumber(i: number): string {
  const filler = `Paragraph ${i} of the background, long enough to weigh something. `.repeat(3000);
  return [
    `# Payments service redesign number ${i}`,
    '',
    `## Context for the redesign number ${i}`,
    '',
    filler,
    '',
    `## Decision taken in document ${i}`,
    '',
    'We do it.',
    '',
  ].join('\n');
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('detectTemplate memory', () => {
  it('does not retain the sources of documents it has already scored', () => {
    // Warm up module-level state (schemas' features, the memo's first entries).
    for (let i = 0; i < 5; i++) detectTemplate(parse(documentNumber(-1 - i)), schemas);
    const before = heapAfterGc();
    let seen = 0;
    for (let i = 0; i < 300; i++) {
      const text = documentNumber(i);
      seen += text.length;
      detectTemplate(parse(text, { fileName: `doc-${i}.md` }), schemas);
    }
    const grown = heapAfterGc() - before;
    // 300 documents of ~200 KB went through; nothing of them should stay.
    expect(seen).toBeGreaterThan(50 * 1024 * 1024);
    expect(grown).toBeLessThan(15 * 1024 * 1024);
  }, 60_000);

  it('parsing alone does not retain the sources either (section index titles)', () => {
    for (let i = 0; i < 5; i++) parse(documentNumber(-100 - i));
    const before = heapAfterGc();
    for (let i = 1000; i < 1300; i++) parse(documentNumber(i), { fileName: `doc-${i}.md` });
    expect(heapAfterGc() - before).toBeLessThan(15 * 1024 * 1024);
  }, 60_000);
});
