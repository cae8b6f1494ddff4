/**
 * `isBlankLineShape` skips its regexes when the line's last character rules them all out. That
 * shortcut must never change an answer: seeded random lines built from the characters the shapes
 * care about (markers, checkboxes, bold labels, parentheses, colons, every kind of blank) are
 * judged the same with and without it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLANK_LINE_SHAPES, isBlankLineShape } from '../../src/core/lint/content.js';

const byRegexes = (line: string): boolean => BLANK_LINE_SHAPES.some((shape) => shape.test(line));

const PIECES = [
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '-',
  '*',
  '**',
  '+',
  '1',
  '12',
  '.',
  ')',
  '(',
  '[',
  ']',
  '[ ]',
  '[x]',
  '[X]',
  ':',
  'a',
  'Label',
  'é',
  '日本',
  '_',
  '`',
  '#',
  '>',
  '|',
  '~',
];

describe('isBlankLineShape', () => {
  it('agrees with the shapes themselves on random lines', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }), (pieces) => {
        const line = pieces.join('');
        expect(isBlankLineShape(line)).toBe(byRegexes(line));
      }),
      { seed: 20261128, numRuns: 20_000 },
    );
  });

  it('agrees on lines shaped like template fields, blank and filled', () => {
    const blanks = fc.constantFrom('', ' ', '  ', '\t', '\u00a0', ' \u3000');
    const field = fc
      .record({
        indent: blanks,
        marker: fc.constantFrom('', '- ', '* ', '+ ', '1. ', '2) ', '-'),
        box: fc.constantFrom('', '[ ] ', '[x]', '[X] '),
        label: fc.constantFrom('**Purpose**', '**Status:**', '**Phase 1**', '**a*b**', '****', '**Label'),
        paren: fc.constantFrom('', ' (if applicable)', '(optional', ' ()'),
        colon: fc.constantFrom('', ':', ' :', '::'),
        close: fc.constantFrom('', '**', '*'),
        value: fc.constantFrom('', 'Serves requests', '99.9%', 'TBD.', 'x]', '(a)', '-', '日本'),
        trail: blanks,
      })
      .map(
        (p) => `${p.indent}${p.marker}${p.box}${p.label}${p.paren}${p.colon}${p.close} ${p.value}${p.trail}`,
      );
    fc.assert(
      fc.property(field, (line) => {
        expect(isBlankLineShape(line)).toBe(byRegexes(line));
      }),
      { seed: 20261128, numRuns: 20_000 },
    );
  });

  it('answers the plain cases', () => {
    expect(isBlankLineShape('- **Purpose**:')).toBe(true);
    expect(isBlankLineShape('- **Purpose**: \u00a0')).toBe(true);
    expect(isBlankLineShape('**Status:**')).toBe(true);
    expect(isBlankLineShape('- [ ]')).toBe(true);
    expect(isBlankLineShape('1.')).toBe(true);
    expect(isBlankLineShape('- **Purpose**: Serves requests')).toBe(false);
    expect(isBlankLineShape('- **Purpose**: see (1)')).toBe(false);
  });
});
