/**
 * The parser hands its line table to the rules only when both split lines the same way; whatever
 * the text (CRLF, lone CR, a BOM, no line ending at all), the rules see `\n`-split line starts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentLineStarts, shareParsedLineStarts } from './document-lines.js';
import { parse } from './parse/index.js';

function naiveLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

describe('documentLineStarts', () => {
  it.each([
    ['LF', '# T\n\n## Goals\n- a\n'],
    ['CRLF', '# T\r\n\r\n## Goals\r\n- a\r\n'],
    ['lone CR', '# T\r## Goals\r- a'],
    ['BOM', '\ufeff# T\n## Goals\n'],
    ['one line', '# T'],
    ['empty', ''],
  ])('splits at LF only for a %s document', (_name, text) => {
    expect(documentLineStarts(parse(text))).toEqual(naiveLineStarts(text));
  });

  it("takes the parser's table only when it splits lines the same way", () => {
    const text = '# T\n\n## Goals\n- a\n';
    const table = [0, 4, 5, 14, 18];
    const shared = { ...parse(text) };
    shareParsedLineStarts(shared, table, false);
    expect(documentLineStarts(shared)).toBe(table);
    const withBom = { ...parse(text) };
    shareParsedLineStarts(withBom, [1, 4, 5, 14, 18], true);
    expect(documentLineStarts(withBom)).toEqual(table);
    const fallback = { ...parse(text) };
    shareParsedLineStarts(fallback, [0], false);
    expect(documentLineStarts(fallback)).toEqual(table);
    const crlf = { ...parse('# T\r\n## Goals\r\n') };
    shareParsedLineStarts(crlf, [0, 5, 15], false);
    expect(documentLineStarts(crlf)).toEqual([0, 5, 15]);
    expect(documentLineStarts(crlf)).not.toBe(table);
    // parse() shares its table for an LF document: the cache slot is there before any rule runs.
    expect(Object.getOwnPropertySymbols(parse(text))).toHaveLength(1);
    expect(Object.getOwnPropertySymbols(parse(text.replace(/\n/g, '\r\n')))).toHaveLength(0);
  });

  it('agrees with a plain LF split on any text (seeded)', () => {
    const line = fc.constantFrom('# Title', '## Goals', '- **Field**: x', '', '\r', '\ufeff', '```', 'text');
    const text = fc
      .array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r', '')), { maxLength: 20 })
      .map((parts) => parts.map(([content, ending]) => content + ending).join(''));
    fc.assert(
      fc.property(text, (source) => {
        expect(documentLineStarts(parse(source))).toEqual(naiveLineStarts(source));
      }),
      { seed: 20261128, numRuns: 300 },
    );
  });
});
