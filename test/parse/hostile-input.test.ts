/**
 * Inputs that make naive markdown parsers quadratic. Each must finish well inside a generous time
 * bound (the linear versions take milliseconds; the quadratic ones took seconds to minutes).
 */
import { describe, expect, it } from 'vitest';
import { scanBlocks } from '../../src/core/parse/blocks/index.js';

const cases: [string, string][] = [
  [
    'deeply nested lists (indentation rescanned per container)',
    Array.from({ length: 1000 }, (_, i) => ' '.repeat(i * 2) + '- x').join('\n'),
  ],
  ['nested link openers in a heading (destination scans)', '# ' + '[a]('.repeat(50_000) + '\n'],
  ['unclosed comments in a heading', '# ' + '<!--'.repeat(200_000) + '\n'],
  ['unclosed attribute values in a heading', '# ' + '<a b="'.repeat(100_000) + '\n'],
  ['an unclosed HTML comment over many lines', '<!--\n' + 'x\n'.repeat(200_000)],
  ['backtick fences with backticks in the info string', '```a`\n'.repeat(100_000)],
  ['a huge paragraph that may hold definitions, then an underline', '[x\n'.repeat(100_000) + '---\n'],
];

describe('hostile input', () => {
  for (const [name, text] of cases) {
    it(name, () => {
      const start = performance.now();
      const scan = scanBlocks(text);
      expect(performance.now() - start).toBeLessThan(5000);
      expect(scan.lineStarts.length).toBeGreaterThan(0);
    });
  }
});
