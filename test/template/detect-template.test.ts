/**
 * Template detection: the document's own `template:` wins, otherwise the best-scoring schema above
 * the threshold. Checked on fixtures written for these tests and on the shared corpus, where the
 * distribution per source is printed and the decision-record and RFC collections must land on
 * `adr` and `rfc`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/parse/index.js';
import {
  detectTemplate,
  DETECTION_THRESHOLD,
  scoreTemplate,
} from '../../src/core/template/detect-template.js';
import { newDocument } from '../../src/core/template/new-document.js';
import { corpusDocuments, repoRoot, requireCorpus } from '../support/corpus.js';
import { BUILTINS, builtinSchema, builtinText, fixture } from './support.js';

const schemas = BUILTINS.map(builtinSchema);
const detect = (text: string, fileName = 'doc.md') => detectTemplate(parse(text, { fileName }), schemas);

describe('detectTemplate on fixtures', () => {
  it('recognises each built-in template file as itself', () => {
    for (const name of BUILTINS) {
      expect(detect(builtinText(name), `${name}.md`)?.name).toBe(name);
    }
  });

  it('recognises a new document made from each template as that template', () => {
    for (const schema of schemas) {
      const text = newDocument(schema, { title: 'Rate limits for the public API', date: '2026-11-27' });
      expect(detect(text)?.name).toBe(schema.name);
    }
  });

  it("recognises the project's own filled design documents as design-document", () => {
    const files = [
      join(repoRoot, 'docs/DESIGN.md'),
      ...readdirSync(join(repoRoot, 'examples'))
        .filter((file) => file.endsWith('.md'))
        .map((file) => join(repoRoot, 'examples', file)),
    ];
    const found = files.filter((file) => existsSync(file));
    expect(found.length).toBeGreaterThan(0);
    for (const file of found)
      expect(detect(readFileSync(file, 'utf8'), file)?.name, file).toBe('design-document');
  });

  it('recognises filled documents of each kind', () => {
    expect(detect(fixture('filled-design.md'))?.name).toBe('design-document');
    expect(detect(fixture('filled-adr.md'))?.name).toBe('adr');
    expect(detect(fixture('filled-rfc.md'), '0000-lint-config-inheritance.md')?.name).toBe('rfc');
  });

  it('lets front matter `template:` win over the headings', () => {
    const text = fixture('named-template.md');
    expect(detect(text)).toEqual({ name: 'adr', score: 1 });
    // Without the front matter the same headings read as an RFC.
    expect(detect(text.replace(/^---[\s\S]*?---\n/, ''))?.name).toBe('rfc');
  });

  it('ignores a `template:` that names no known schema and falls back to scoring', () => {
    const text = fixture('named-template.md').replace('template: adr', 'template: nonexistent');
    expect(detect(text)?.name).toBe('rfc');
  });

  it('returns null when nothing fits', () => {
    const doc = parse(fixture('unrelated.md'), { fileName: 'README.md' });
    expect(detectTemplate(doc, schemas)).toBeNull();
    for (const schema of schemas) expect(scoreTemplate(doc, schema)).toBeLessThan(DETECTION_THRESHOLD);
    expect(detectTemplate(parse('', { fileName: 'empty.md' }), schemas)).toBeNull();
    expect(detectTemplate(doc, [])).toBeNull();
  });

  it('scores between 0 and 1, higher for the matching template', () => {
    const doc = parse(fixture('filled-adr.md'), { fileName: 'adr.md' });
    const scores = Object.fromEntries(schemas.map((schema) => [schema.name, scoreTemplate(doc, schema)]));
    for (const score of Object.values(scores)) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(scores.adr).toBeGreaterThan(scores.rfc as number);
    expect(scores.adr).toBeGreaterThan(scores['design-document'] as number);
  });
});

describe.runIf(requireCorpus('template detection on the corpus'))('detectTemplate on the corpus', () => {
  const bySource = new Map<string, Map<string, number>>();
  for (const doc of corpusDocuments()) {
    const match = detectTemplate(parse(readFileSync(doc.path, 'utf8'), { fileName: doc.file }), schemas);
    const counts = bySource.get(doc.source) ?? new Map<string, number>();
    const key = match?.name ?? 'none';
    counts.set(key, (counts.get(key) ?? 0) + 1);
    bySource.set(doc.source, counts);
  }
  const share = (source: string, name: string): number => {
    const counts = bySource.get(source);
    if (!counts) return 0;
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    return (counts.get(name) ?? 0) / total;
  };

  it('prints the distribution per source', () => {
    const rows = [...bySource].map(([source, counts]) => {
      const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
      const cells = ['design-document', 'adr', 'rfc', 'none'].map(
        (name) => `${name}=${counts.get(name) ?? 0}`,
      );
      return `${source.padEnd(24)} ${String(total).padStart(4)}  ${cells.join('  ')}`;
    });
    console.log(`template detection on the corpus:\n${rows.join('\n')}`);
    expect(bySource.size).toBe(12);
  });

  it('detects most Rust RFCs as rfc', () => {
    expect(share('rust-rfcs', 'rfc')).toBeGreaterThanOrEqual(0.95);
  });

  it('detects most decision records as adr (the misses are READMEs, indexes and section-less stubs)', () => {
    expect(share('madr', 'adr')).toBeGreaterThanOrEqual(0.85);
    expect(share('log4brains-adr', 'adr')).toBeGreaterThanOrEqual(0.75);
    expect(share('moj-cloud-platform-adr', 'adr')).toBeGreaterThanOrEqual(0.75);
  });

  it('reads the RFC-shaped proposal collections (gRPC, KEPs, Swift Evolution) as rfc', () => {
    for (const source of ['grpc-proposals', 'k8s-keps', 'swift-evolution'])
      expect(share(source, 'rfc')).toBeGreaterThanOrEqual(0.9);
  });

  it('claims no corpus document for design-document: none of them follows that template', () => {
    for (const source of bySource.keys()) expect(share(source, 'design-document')).toBeLessThanOrEqual(0.02);
  });

  it('never takes a decision record for an RFC or an RFC for a decision record, beyond a few', () => {
    for (const source of ['madr', 'log4brains-adr', 'moj-cloud-platform-adr'])
      expect(share(source, 'rfc')).toBeLessThanOrEqual(0.1);
    expect(share('rust-rfcs', 'adr')).toBeLessThanOrEqual(0.02);
  });
});
