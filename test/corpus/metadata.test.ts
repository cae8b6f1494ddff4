/**
 * Title, metadata and status over every corpus document: no exceptions, a title for at least 98%
 * (and never the file-name fallback when the document opens with a heading), and the hand-checked
 * status sample (test/corpus/status-sample.json) matched exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesignDocument } from '../../src/core/model.js';
import { parse } from '../../src/core/parse/index.js';
import { readBlockYaml } from '../../src/core/parse/metadata/block-yaml.js';
import { extractMetadata } from '../../src/core/parse/metadata/index.js';
import {
  lineStartsOf,
  readYamlEntries,
  readYamlEntriesWithLibrary,
} from '../../src/core/parse/metadata/yaml-entries.js';
import { parseContext } from '../fixtures/metadata/parse-context.js';
import {
  corpusDocuments,
  corpusRoot,
  requireCorpus,
  sidecarPath,
  type CorpusDocument,
} from '../support/corpus.js';

interface SampleEntry {
  path: string;
  where: string;
  raw: string | null;
  lifecycle: string | null;
  supersededBy?: string;
}

function readDoc(doc: CorpusDocument): { text: string; sidecar: { name: string; text: string } | null } {
  const side = sidecarPath(doc);
  return {
    text: readFileSync(doc.path, 'utf8'),
    sidecar: side ? { name: side, text: readFileSync(side, 'utf8') } : null,
  };
}

/** True when the document opens with a heading that reads as a title (a real title was there to find). */
function opensWithHeading(text: string): boolean {
  const body = text.replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---[ \t]*\r?\n/, '');
  const lines = body.split(/\r?\n/);
  const index = lines.findIndex((line) => line.trim() !== '');
  const line = lines[index] ?? '';
  const next = lines[index + 1] ?? '';
  const heading =
    /^ {0,3}#{1,6}[ \t]+(.*)$/.exec(line)?.[1] ?? (/^ {0,3}(=+|-+)[ \t]*$/.test(next) ? line : null);
  // A stock section name (`## Context and Problem Statement`) opening a document is not its title.
  return (
    heading !== null &&
    !/^(summary|abstract|introduction|overview|motivation|background|context( and problem statement)?)\b/i.test(
      heading.trim(),
    )
  );
}

describe.runIf(requireCorpus('metadata corpus test'))('metadata over the corpus', () => {
  const docs = corpusDocuments();
  const run = (
    text: string,
    fileName: string,
    sidecar: { name: string; text: string } | null,
  ): DesignDocument => parse(text, sidecar ? { fileName, sidecar } : { fileName });

  it('finds a title in at least 98% of the documents', () => {
    const failures: string[] = [];
    for (const doc of docs) {
      const { text, sidecar } = readDoc(doc);
      const { title } = run(text, doc.file, sidecar);
      const rel = `${doc.source}/${doc.file}`;
      if (!title || title.text.trim() === '')
        failures.push(`${rel}: no title (${title ? `empty ${title.source}` : 'null'})`);
      else if (title.source === 'file-name' && opensWithHeading(text))
        failures.push(`${rel}: fell back to the file name although it opens with a heading`);
    }
    const ratio = 1 - failures.length / docs.length;
    console.log(
      `titles: ${docs.length - failures.length}/${docs.length} (${(ratio * 100).toFixed(2)}%)\n  ${failures.join('\n  ')}`,
    );
    expect(docs.length).toBeGreaterThan(2000);
    expect(ratio).toBeGreaterThanOrEqual(0.98);
  });

  it('matches the hand-checked status sample exactly', () => {
    const sample = (
      JSON.parse(readFileSync(new URL('./status-sample.json', import.meta.url), 'utf8')) as {
        documents: SampleEntry[];
      }
    ).documents;
    const sources = new Set(docs.map((doc) => doc.source));
    for (const source of sources) {
      expect(
        sample.filter((entry) => entry.path.startsWith(`${source}/`)).length,
        `sample entries from ${source}`,
      ).toBeGreaterThanOrEqual(4);
    }
    expect(sample.length).toBeGreaterThanOrEqual(60);

    const mismatches: string[] = [];
    for (const entry of sample) {
      const path = join(corpusRoot, entry.path);
      const [source = '', file = ''] = entry.path.split('/');
      const { text, sidecar } = readDoc({ source, file, path });
      const { status } = run(text, file, sidecar);
      const got = { raw: status ? status.raw : null, lifecycle: status ? status.lifecycle : null };
      if (got.raw !== entry.raw || got.lifecycle !== entry.lifecycle) {
        mismatches.push(
          `${entry.path}: expected ${JSON.stringify({ raw: entry.raw, lifecycle: entry.lifecycle })}, got ${JSON.stringify(got)}`,
        );
      }
      if (entry.supersededBy !== undefined && status?.supersededBy !== entry.supersededBy) {
        mismatches.push(
          `${entry.path}: expected supersededBy ${entry.supersededBy}, got ${status?.supersededBy ?? null}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('extracts metadata from every document without an exception, with ranges inside the text', () => {
    const problems: string[] = [];
    for (const doc of docs) {
      const { text, sidecar } = readDoc(doc);
      try {
        const result = extractMetadata(parseContext(text, doc.file), { fileName: doc.file, sidecar });
        for (const entry of result.metadata) {
          const limit = entry.source === 'sidecar' ? (sidecar?.text.length ?? 0) : text.length;
          const { range, valueRange } = entry;
          const ordered =
            range.start.offset <= valueRange.start.offset &&
            valueRange.start.offset <= valueRange.end.offset &&
            valueRange.end.offset <= range.end.offset &&
            range.end.offset <= limit;
          if (!ordered)
            problems.push(`${doc.source}/${doc.file}: entry ${entry.key} has ranges out of order`);
        }
      } catch (error) {
        problems.push(`${doc.source}/${doc.file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe.runIf(requireCorpus('block YAML differential test'))(
  'fast block YAML reader against the yaml library',
  () => {
    const yamlTexts: Array<{ name: string; text: string }> = [];
    for (const doc of corpusDocuments()) {
      const side = sidecarPath(doc);
      if (side) yamlTexts.push({ name: side, text: readFileSync(side, 'utf8') });
      const text = readFileSync(doc.path, 'utf8');
      const match = /^---\r?\n([\s\S]*?\r?\n)---[ \t]*(\r?\n|$)/.exec(text);
      if (match) yamlTexts.push({ name: doc.path, text: match[1] as string });
    }

    it('gives the same entries and data for every corpus sidecar and front matter it accepts', () => {
      const differences: string[] = [];
      let fast = 0;
      for (const { name, text } of yamlTexts) {
        const starts = lineStartsOf(text);
        if (readBlockYaml(text) === null) continue;
        fast++;
        const ours = readYamlEntries(text, 0, starts, 'sidecar');
        const reference = readYamlEntriesWithLibrary(text, 0, starts, 'sidecar');
        if (reference.error !== null)
          differences.push(`${name}: library reports ${reference.error}, fast reader accepted it`);
        reference.entries.forEach((entry, index) => {
          const mine = ours.entries[index];
          if (JSON.stringify(mine) !== JSON.stringify(entry))
            differences.push(
              `${name}: entry ${entry.key}: ${JSON.stringify(mine)} vs library ${JSON.stringify(entry)}`,
            );
        });
        if (ours.entries.length !== reference.entries.length)
          differences.push(`${name}: ${ours.entries.length} entries vs ${reference.entries.length}`);
        if (JSON.stringify(ours.data) !== JSON.stringify(reference.data))
          differences.push(`${name}: data differs`);
      }
      console.log(`fast block YAML reader took ${fast} of ${yamlTexts.length} YAML blocks`);
      expect(differences).toEqual([]);
      expect(fast / yamlTexts.length).toBeGreaterThan(0.9);
    });
  },
);
