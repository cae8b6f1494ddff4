/**
 * Lints every corpus document (no template: real documents follow none of ours) and with the
 * template detection result, checks nothing throws and no rule fails internally, and reports the
 * distribution of findings and the time lint takes next to parsing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTERNAL_ERROR, lint } from '../../src/core/lint/index.js';
import type { DesignDocument } from '../../src/core/model.js';
import { parse } from '../../src/core/parse/index.js';
import { corpusDocuments, requireCorpus } from '../support/corpus.js';
import { builtinSchema } from './lint-support.js';

describe('lint over the shared corpus', () => {
  const available = requireCorpus('lint corpus');
  it.runIf(available)(
    'lints every document without an exception or an internal error, fast',
    { timeout: 240_000 },
    () => {
      const docs = corpusDocuments();
      expect(docs.length).toBeGreaterThan(2000);
      const texts = docs.map((doc) => ({ doc, text: readFileSync(doc.path, 'utf8') }));
      const parsed: DesignDocument[] = [];
      let parseMs = 0;
      for (const { doc, text } of texts) {
        const start = performance.now();
        parsed.push(parse(text, { fileName: doc.file }));
        parseMs += performance.now() - start;
      }
      const byRule = new Map<string, number>();
      const internal: string[] = [];
      const schema = builtinSchema('design-document');
      let lintMs = 0;
      for (const [i, doc] of parsed.entries()) {
        const start = performance.now();
        const plain = lint(doc);
        // With a template too: the template rules must survive documents that follow none of it.
        const templated = lint(doc, { schema });
        lintMs += performance.now() - start;
        for (const finding of plain.findings)
          byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
        for (const finding of [...plain.findings, ...templated.findings]) {
          if (finding.ruleId === INTERNAL_ERROR.ruleId)
            internal.push(`${texts[i]?.doc.source}/${texts[i]?.doc.file}: ${finding.message}`);
        }
        expect(plain.score).toBeGreaterThanOrEqual(0);
        expect(plain.score).toBeLessThanOrEqual(100);
      }
      const mb = texts.reduce((sum, t) => sum + t.text.length, 0) / 1e6;
      const table = [...byRule.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([rule, count]) => `${rule} ${count}`);
      console.log(
        `lint corpus: ${docs.length} documents, ${mb.toFixed(1)} MB; parse ${parseMs.toFixed(0)} ms, lint (twice: no template, design-document) ${lintMs.toFixed(0)} ms\n${table.join('\n')}`,
      );
      expect(internal).toEqual([]);
    },
  );
});
