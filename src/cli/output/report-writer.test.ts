/**
 * The JSON format is written by hand for speed; it must print exactly what `JSON.stringify` prints
 * for the same report, whatever the strings hold (quotes, control characters, lone surrogates,
 * non-Latin-1 text) and however rules and severities repeat across files.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileReport, FlatFinding } from './file-report.js';
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
