/**
 * Inputs built to make naive scanners quadratic: long lines of unmatched openers, thousands of
 * `**` lines with no closer, comments that never close. Each must extract in well under a second.
 */
import { describe, expect, it } from 'vitest';
import { extractContent } from '../../src/core/parse/extract/index.js';
import { contextFor } from './context-for.js';

const cases: [string, string][] = [
  ['a line of 200k unmatched [', '['.repeat(200_000)],
  ['a line of 200k unmatched <', 'a < '.repeat(50_000)],
  ['50k lines opening bold', '**x\n'.repeat(50_000)],
  ['50k bold labels before no list', '**Label**\n\n'.repeat(25_000)],
  [
    'backtick runs of growing length',
    Array.from({ length: 2000 }, (_, i) => '`'.repeat((i % 50) + 1)).join(' x '),
  ],
  ['a link text broken over every line', '[a\n'.repeat(50_000)],
  ['many unclosed comments', '<!-- designdoc-disable\n'.repeat(20_000)],
  [
    'deeply nested list',
    Array.from({ length: 5000 }, (_, i) => `${' '.repeat(Math.min(i, 200) * 2)}- item ${i}`).join('\n'),
  ],
  ['a diagram of brackets', `# D\n## Overview\n\`\`\`\n${'│ [x ├─ '.repeat(20_000)}\n\`\`\`\n`],
];

describe('extraction stays linear on pathological input', () => {
  for (const [name, text] of cases) {
    it(name, () => {
      const ctx = contextFor(text);
      const started = performance.now();
      extractContent(ctx);
      expect(performance.now() - started).toBeLessThan(1500);
    });
  }
});
