/**
 * Every corpus document parses without an exception (with its kep.yaml sidecar when there is one),
 * its ranges stay inside the text, and its canonical form is a fixed point of serialize ∘ parse.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/parse/index.js';
import { serialize } from '../../src/core/serialize.js';
import { corpusDocuments, requireCorpus, sidecarPath } from '../support/corpus.js';
import { rangeProblems } from './support/range-checks.js';

describe('corpus', () => {
  it('parses every document, with its sidecar when present, with sane ranges', () => {
    if (!requireCorpus('parse corpus')) return;
    const problems: string[] = [];
    let sidecars = 0;
    let sections = 0;
    for (const doc of corpusDocuments()) {
      const text = readFileSync(doc.path, 'utf8');
      const side = sidecarPath(doc);
      const options =
        side === null
          ? { fileName: doc.file }
          : { fileName: doc.file, sidecar: { name: basename(side), text: readFileSync(side, 'utf8') } };
      if (side !== null) sidecars++;
      const parsed = parse(text, options);
      sections += parsed.sections.length;
      for (const p of rangeProblems(parsed)) problems.push(`${doc.source}/${doc.file}: ${p}`);
    }
    expect(sidecars).toBeGreaterThan(600);
    expect(sections).toBeGreaterThan(10_000);
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('canonicalises every document to a fixed point that keeps all body text', () => {
    if (!requireCorpus('serialize corpus')) return;
    const failures: string[] = [];
    for (const doc of corpusDocuments()) {
      const once = serialize(parse(readFileSync(doc.path, 'utf8')));
      const twice = serialize(parse(once));
      if (twice !== once) {
        let i = 0;
        while (i < once.length && once[i] === twice[i]) i++;
        failures.push(
          `${doc.source}/${doc.file} at ${i}: ${JSON.stringify(once.slice(Math.max(0, i - 40), i + 40))} vs ${JSON.stringify(twice.slice(Math.max(0, i - 40), i + 40))}`,
        );
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
