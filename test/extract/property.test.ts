/**
 * Seeded random documents built from the constructs the extractors care about (and the traps):
 * extraction never throws and every range lies inside the text, start before end, with line and
 * column matching the offset.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceRange } from '../../src/core/model.js';
import { extractContent } from '../../src/core/parse/extract/index.js';
import { contextFor } from './context-for.js';

const pieces = [
  '# Title',
  '## Goals',
  '### Primary Goals',
  '## Success Criteria',
  '## Open Questions',
  '## Approvals',
  '## Sign-off',
  '### Architecture Components',
  '#### ',
  '#### Gateway',
  '### Design Decisions',
  '#### Decision 1: X',
  '## Performance Targets',
  '## Overview',
  '## Implementation',
  'Setext',
  '---',
  '===',
  '- ',
  '-',
  '* ',
  '1. ',
  '2) ',
  '- [ ] ',
  '- [x] q',
  '  - **Status**: ',
  '- **Goal 1**: ',
  '- **Label:** v',
  '**Bold**',
  '**Bold** (note):',
  '**Phases**:',
  '1. **Phase 1**: go',
  '- Phase 2: x',
  '**Approach**: y',
  'Key: value',
  'plain text',
  '',
  '',
  '    indented code',
  '```',
  '```mermaid',
  '~~~',
  'A[Node] --> B(Other)',
  '│ Box │',
  '├─ Leaf',
  '└─→ [Tree]',
  '[link](#)',
  '![i](x.png)',
  '[ref][r]',
  '[r]: https://r.test',
  '<https://a.test>',
  '`[code](x)`',
  '<!-- designdoc-disable a, b -->',
  '<!-- designdoc-enable',
  '-->',
  '<details>',
  '</details>',
  '> quote',
  '| a | b |',
  '* * *',
  '\t- tabbed',
  '   - deep',
  '      - deeper',
  'Jane Doe — approved 2026-11-27 (rev 3)',
  '@x ✅',
  '\u00a0nbsp',
  '\u200bzero',
  '#word',
  '[',
  ']',
  '**',
  '**x',
  '- **',
  '- [',
  '\\',
  '`',
  '<!--',
];

function collect(value: unknown, out: SourceRange[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out);
    return;
  }
  const r = value as Record<string, unknown>;
  if ('start' in r && 'end' in r && typeof (r.start as { offset?: unknown }).offset === 'number') {
    out.push(r as unknown as SourceRange);
    return;
  }
  for (const v of Object.values(r)) collect(v, out);
}

describe('extractContent on random documents', () => {
  it('never throws and keeps every range inside the text', () => {
    const doc = fc
      .tuple(
        fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 12 })), { maxLength: 60 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([lines, eol, bom, trailing]) => (bom ? '\uFEFF' : '') + lines.join(eol) + (trailing ? eol : ''));
    fc.assert(
      fc.property(doc, (text) => {
        const ctx = contextFor(text);
        const ranges: SourceRange[] = [];
        collect(extractContent(ctx), ranges);
        for (const r of ranges) {
          expect(r.start.offset).toBeGreaterThanOrEqual(0);
          expect(r.start.offset).toBeLessThanOrEqual(r.end.offset);
          expect(r.end.offset).toBeLessThanOrEqual(text.length);
          expect(r.start.column).toBe(r.start.offset - (ctx.lineStarts[r.start.line - 1] as number) + 1);
          expect(r.end.column).toBe(r.end.offset - (ctx.lineStarts[r.end.line - 1] as number) + 1);
        }
      }),
      { seed: 424242, numRuns: 1500 },
    );
  });
});
