/**
 * Parser fixtures: each `test/fixtures/parse/*.md` (written for this suite, covering the corpus
 * traps) has an expected `*.json` with its headings, title heading, line flags, code blocks and
 * section tree. Run with `UPDATE_FIXTURES=1` to rewrite the JSON files, then review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Section, SourceRange } from '../../src/core/model.js';
import { scanBlocks } from '../../src/core/parse/blocks/index.js';
import { findTitleHeading, parse } from '../../src/core/parse/index.js';
import { serialize } from '../../src/core/serialize.js';
import { repoRoot } from '../support/corpus.js';

const dir = join(repoRoot, 'test/fixtures/parse');
const update = process.env.UPDATE_FIXTURES === '1';
const FLAG_CHARS = ['.', 'C', 'H', 'F', '#'];

function lines(r: SourceRange): string {
  return r.start.line === r.end.line ? `${r.start.line}` : `${r.start.line}-${r.end.line}`;
}

function sectionShape(s: Section): unknown {
  return {
    id: s.id,
    title: s.title,
    level: s.level,
    depth: s.depth,
    lines: lines(s.range),
    body: JSON.stringify(s.body).length > 60 ? `${s.body.length} chars` : s.body,
    hasContent: s.hasContent,
    ...(s.children.length > 0 ? { children: s.children.map(sectionShape) } : {}),
  };
}

/** What a fixture pins down: structure only, never the extractors' output. */
function snapshot(text: string): unknown {
  const doc = parse(text);
  const scan = scanBlocks(text);
  const title = findTitleHeading(doc.headings);
  return {
    lineFlags: Array.from(scan.opaque, (f) => FLAG_CHARS[f] ?? '?').join(''),
    frontMatter:
      scan.frontMatter === null ? null : { lines: lines(scan.frontMatter.range), raw: scan.frontMatter.raw },
    headings: doc.headings.map((h) => ({
      level: h.level,
      kind: h.kind,
      text: h.text,
      raw: h.raw,
      lines: lines(h.range),
      column: h.range.start.column,
    })),
    titleHeading: title === null ? null : { text: title.text, line: title.range.start.line },
    sectionLevel: doc.sectionLevel,
    preamble: doc.preamble,
    sections: doc.sections.map(sectionShape),
    codeBlocks: doc.codeBlocks.map((c) => ({
      kind: c.kind,
      info: c.info,
      lines: lines(c.range),
      unclosed: c.unclosed,
    })),
    linkReferences: Object.fromEntries(scan.linkReferences),
    canonical: serialize(doc) === text,
  };
}

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('parser fixtures', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of fixtures) {
    it(file, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const actual = snapshot(text);
      const jsonPath = join(dir, file.replace(/\.md$/, '.json'));
      if (update || !existsSync(jsonPath)) {
        writeFileSync(jsonPath, JSON.stringify(actual, null, 2) + '\n');
        if (!update)
          throw new Error(`${file}: no expected JSON yet; wrote ${jsonPath} — review it and rerun`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(jsonPath, 'utf8')));
      const once = serialize(parse(text));
      expect(serialize(parse(once))).toBe(once);
    });
  }
});
