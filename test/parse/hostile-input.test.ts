/**
 * Inputs that make naive markdown parsers quadratic. The linear versions take milliseconds; the
 * quadratic ones took seconds to minutes, so a regression shows as this suite's timeout, not as a
 * timed assertion (machines are shared). `bench/` measures speed.
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
  // Each `- ` opens a list inside the last; each once rescanned the rest of the line for `---`.
  ['100,000 lists nested on one line', '# T\n\n' + '- '.repeat(100_000) + 'x\n'],
  ['100,000 bullet stars nested on one line', '* '.repeat(100_000) + 'x\n'],
];

describe('hostile input', () => {
  for (const [name, text] of cases) {
    it(name, () => {
      const scan = scanBlocks(text);
      expect(scan.lineStarts.length).toBe(text.split('\n').length);
    });
  }
});
