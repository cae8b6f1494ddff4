/**
 * Seeded random documents built from template fragments and markdown debris: lint never throws,
 * no rule fails internally, every range lies inside the text, the score stays in 0–100, and
 * applying the fixes yields text that lints again without failing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTERNAL_ERROR, applyFixes, lint } from '../../src/core/lint/index.js';
import { builtinSchema, parseText } from './lint-support.js';

const FRAGMENTS = [
  '### Design Document',
  '# ',
  '# Title',
  'Type: ',
  'Status: Approved',
  'Status: draft',
  'Status: Superseded',
  'Version: v1',
  '## Executive Summary',
  '## Security',
  '## Open Questions',
  '- [ ] ',
  '- [ ] Why?',
  '  - **Status**: ',
  '- [x] Done?',
  '## Approvals',
  '**Technical Review**',
  '- ',
  '- Dana, 2026-01-01',
  '### Architecture Components',
  '#### ',
  '#### API Gateway',
  '- **Purpose**: ',
  '- **Purpose**: routes',
  '#### Decision 1: ',
  '- **Rationale**: none',
  '- **Alternatives Considered**: none',
  '### Performance Targets',
  '- **Latency**: fast',
  '- **Latency**: p99 < 200 ms',
  '### Success Criteria',
  '1. ',
  '1. Better',
  '```',
  '       ├─→ [API Gateway]',
  '            ├─ Cache',
  '<!-- designdoc-disable -->',
  '<!-- designdoc-disable-next-line DD006 -->',
  '<!-- unclosed comment',
  'TBD <x y> [...] (if applicable)',
  'See [Plan](#).',
  '**Migration Strategy** (if applicable):',
  '---',
  'text',
  '',
  '\r',
  '\u00a0',
  '####### seven',
];

describe('lint on random documents', () => {
  it('never throws and keeps its invariants', () => {
    const schema = builtinSchema('design-document');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }),
        fc.boolean(),
        (lines, withSchema) => {
          const text = lines.join('\n');
          const result = lint(parseText(text), { schema: withSchema ? schema : null });
          expect(result.findings.filter((f) => f.ruleId === INTERNAL_ERROR.ruleId)).toEqual([]);
          for (const finding of result.findings) {
            expect(finding.range.start.offset).toBeGreaterThanOrEqual(0);
            expect(finding.range.start.offset).toBeLessThanOrEqual(finding.range.end.offset);
            expect(finding.range.end.offset).toBeLessThanOrEqual(text.length);
          }
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
          const fixed = applyFixes(text, result.findings);
          const again = lint(parseText(fixed.text), { schema: withSchema ? schema : null });
          expect(again.findings.filter((f) => f.ruleId === INTERNAL_ERROR.ruleId)).toEqual([]);
        },
      ),
      { seed: 20261127, numRuns: 300 },
    );
  });
});
