/**
 * The JSON format is written by hand for speed; it must print exactly what `JSON.stringify` prints
 * for the same report, whatever the strings hold (quotes, control characters, lone surrogates,
 * non-Latin-1 text) and however rules and severities repeat across files.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileReport, FlatFinding } from './file-report.js';
import { encodePieces, type FileOutcome } from '../lint/file-linter.js';
import { reportFormat, reportWriter, type FormatName } from '../lint/report-formats.js';
import { jsonFormat } from './report-writer.js';

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\n\t\u0000\u001f', '\ud800', 'Section "Goals" – ✓ 日本'),
);
const finding: fc.Arbitrary<FlatFinding> = fc.record({
  ruleId: fc.oneof(fc.constantFrom('DD004', 'DD005'), text),
  rule: fc.oneof(fc.constantFrom('empty-section', 'empty-field'), text),
  severity: fc.constantFrom('error', 'warning', 'info'),
  message: text,
  line: fc.nat(),
  column: fc.nat(),
  endLine: fc.nat(),
  endColumn: fc.nat(),
});
const report: fc.Arbitrary<FileReport> = fc.record({
  file: text,
  path: text,
  score: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double()),
  findings: fc.array(finding, { maxLength: 8 }),
});

describe('jsonFormat', () => {
  it('prints what JSON.stringify prints, for any report (seeded)', () => {
    const format = jsonFormat();
    fc.assert(
      fc.property(fc.array(report, { maxLength: 4 }), (reports) => {
        for (const r of reports) {
          expect(format.formatFile(r)).toBe(
            JSON.stringify({ file: r.file, score: r.score, findings: r.findings }),
          );
        }
      }),
      { seed: 20261128, numRuns: 300 },
    );
  });

  it('keeps a rule whose slug or severity differs under the same id apart', () => {
    const format = jsonFormat();
    const base: FlatFinding = {
      ruleId: 'X1',
      rule: 'a',
      severity: 'error',
      message: 'm',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
    };
    const findings = [base, { ...base, rule: 'b' }, { ...base, severity: 'info' as const }, base];
    const printed = JSON.parse(format.formatFile({ file: 'f.md', path: '/f.md', score: 50, findings }));
    expect(printed.findings.map((f: FlatFinding) => `${f.rule}/${f.severity}`)).toEqual([
      'a/error',
      'b/error',
      'a/info',
      'a/error',
    ]);
  });
});

/** Runs a writer over `pieces` and returns everything it wrote, as bytes. */
function written(name: FormatName, pieces: Array<string | Uint8Array>): Buffer {
  const chunks: Buffer[] = [];
  const writer = reportWriter(name, (chunk) => chunks.push(Buffer.from(chunk)), false, '/work');
  for (const piece of pieces) writer.piece(piece);
  writer.end({ files: pieces.length, counts: { error: 1, warning: 2, info: 0 } });
  return Buffer.concat(chunks);
}

const outcome = (piece: string | null): FileOutcome => ({
  piece,
  error: null,
  errors: 0,
  warnings: 0,
  infos: 0,
  fixes: 0,
});

describe('pieces encoded as UTF-8 (as lint workers send them)', () => {
  it('encodePieces points each piece at its own bytes in one shared buffer', () => {
    const outcomes = [outcome('a"é'), null, outcome(null), outcome(''), outcome('日本\n\ud800x')];
    const memory = encodePieces(outcomes);
    expect(memory).not.toBeNull();
    const [first, , unread, empty, last] = outcomes;
    expect(Buffer.from(first?.piece as Uint8Array).toString()).toBe('a"é');
    expect(unread?.piece).toBeNull();
    expect((empty?.piece as Uint8Array).length).toBe(0);
    // A lone surrogate is written as U+FFFD, as stdout would have encoded the string.
    expect(Buffer.from(last?.piece as Uint8Array).toString()).toBe('日本\n\ufffdx');
    expect((first?.piece as Uint8Array).buffer).toBe(memory);
    expect((last?.piece as Uint8Array).buffer).toBe(memory);
    const sent = outcome(null);
    sent.piece = new Uint8Array([1]);
    expect(encodePieces([outcome(null), null, sent])).toBeNull();
  });

  it('every format writes the same bytes whether a piece comes as text or as bytes (seeded)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<FormatName>('json', 'sarif', 'stylish'),
        fc.array(fc.tuple(report, fc.boolean()), { maxLength: 12 }),
        (name, files) => {
          const format = reportFormat(name, false);
          const texts = files.map(([r]) => format.formatFile(r));
          const mixed = files.map(([, asBytes], i) => {
            const text = texts[i] as string;
            if (!asBytes) return text;
            const held = outcome(text);
            encodePieces([held]);
            return held.piece as Uint8Array;
          });
          expect(written(name, mixed).equals(written(name, texts))).toBe(true);
        },
      ),
      { seed: 20261128, numRuns: 200 },
    );
  });

  it('joins long runs of mixed pieces into large writes, in order', () => {
    const chunks: Buffer[] = [];
    const writer = reportWriter('json', (chunk) => chunks.push(Buffer.from(chunk)), false, '/work');
    const pieces: string[] = [];
    for (let i = 0; i < 400; i++) {
      // Distinct pieces, some with text that UTF-8 writes in more bytes than characters.
      const piece = `{"file":"${i}-${'é✓x'.repeat(200 + (i % 7) * 50)}"}`;
      pieces.push(piece);
      const held = outcome(piece);
      encodePieces([held]);
      writer.piece(i % 3 === 0 ? piece : (held.piece as Uint8Array));
    }
    writer.end({ files: 400, counts: { error: 0, warning: 0, info: 0 } });
    // Several flushes happen mid-run (the output is some 1.5 MB), none per piece.
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.length).toBeLessThan(60);
    expect(Buffer.concat(chunks).equals(written('json', pieces))).toBe(true);
  });
});
