import { describe, expect, it } from 'vitest';
import { at, extract } from './helpers.js';

describe('directives', () => {
  it('reads every directive form, with rule lists split on commas and blanks', () => {
    const doc = extract(
      '<!-- designdoc-disable DD004, empty-field -->',
      'text <!-- designdoc-disable-line placeholder-link -->',
      '<!-- designdoc-disable-next-line -->',
      '<!--',
      'designdoc-enable DD004',
      '-->',
      '<!-- designdoc-enable -->',
      '<!-- designdoc-disabled nothing -->',
      '<!-- a normal comment -->',
    );
    expect(doc.directives.map((d) => [d.kind, d.rules])).toEqual([
      ['disable', ['DD004', 'empty-field']],
      ['disable-line', ['placeholder-link']],
      ['disable-next-line', []],
      ['enable', ['DD004']],
      ['enable', []],
    ]);
    expect(at(doc.text, doc.directives[1]!.range)).toBe('<!-- designdoc-disable-line placeholder-link -->');
    expect(doc.directives[3]!.range.start.line).toBe(4);
    expect(doc.directives[3]!.range.end.line).toBe(6);
  });

  it('ignores directives shown as code', () => {
    const doc = extract(
      'Write `<!-- designdoc-disable x -->` to silence.',
      '',
      '```',
      '<!-- designdoc-disable y -->',
      '```',
      '',
      '    <!-- designdoc-disable z -->',
    );
    expect(doc.directives).toEqual([]);
  });
});
