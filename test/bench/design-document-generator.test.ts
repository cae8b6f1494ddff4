import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  generateDesignDocument,
  writeDesignDocuments,
} from '../../bench/shared/design-document-generator.js';

const SEED = 20261127;
const templateText = readFileSync(new URL('../../templates/design-document.md', import.meta.url), 'utf8');
// The template's top-level sections, read from the template itself so the test follows it.
const templateSections = [...templateText.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

describe('generated design documents', () => {
  const docs = Array.from({ length: 300 }, (_, i) => generateDesignDocument(SEED, i));

  it('is deterministic: the same seed and index give the same text, another seed another text', () => {
    expect(generateDesignDocument(SEED, 7)).toBe(docs[7]);
    expect(generateDesignDocument(SEED + 1, 7)).not.toBe(docs[7]);
    expect(new Set(docs).size).toBe(docs.length);
  });

  it('averages about 9 KB per document, as the 10,000-document reference run assumes', () => {
    const average = docs.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / docs.length;
    expect(average).toBeGreaterThan(7_500);
    expect(average).toBeLessThan(10_500);
  });

  it('follows the template: most documents carry every template section, some deliberately lack one', () => {
    const complete = docs.filter((text) => templateSections.every((name) => text.includes(`\n## ${name}`)));
    expect(complete.length / docs.length).toBeGreaterThan(0.7);
    expect(complete.length).toBeLessThan(docs.length);
  });

  it('varies titles, statuses and the mistakes a reviewer should catch', () => {
    const titles = new Set(docs.map((text) => /^# (.+)$/m.exec(text)?.[1]));
    const statuses = new Set(docs.map((text) => /^Status: ?(.*?)\r?$/m.exec(text)?.[1]));
    expect(titles.size).toBeGreaterThan(150);
    expect(statuses.size).toBeGreaterThan(6);
    expect(docs.some((text) => text.includes('](#)'))).toBe(true);
    expect(docs.some((text) => /\*\*Alternatives Considered\*\*: \r?\n/.test(text))).toBe(true);
    expect(docs.some((text) => /\*\*Latency\*\*: (fast|high|TBD)/.test(text))).toBe(true);
    expect(docs.some((text) => text.includes('\r\n'))).toBe(true);
    expect(docs.some((text) => text.startsWith('---\n'))).toBe(true);
  });
});

describe('writeDesignDocuments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'designdoc-generator-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the requested number of files with the reported size, and reuses an identical folder', () => {
    const target = join(dir, 'docs');
    const first = writeDesignDocuments({ count: 25, seed: SEED, dir: target });
    const files = readdirSync(target, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    const bytes = files.reduce((sum, f) => sum + statSync(join(target, f)).size, 0);
    expect(first).toEqual({ dir: target, files: 25, bytes, reused: false });
    expect(files).toHaveLength(25);
    expect(writeDesignDocuments({ count: 25, seed: SEED, dir: target }).reused).toBe(true);
    expect(writeDesignDocuments({ count: 25, seed: SEED + 1, dir: target }).reused).toBe(false);
  });
});
