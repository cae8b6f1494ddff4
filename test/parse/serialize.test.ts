/** The serializer's canonical form on hand-written cases (the laws themselves are property-tested). */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/parse/index.js';
import { canonicalHeadingLine, serialize } from '../../src/core/serialize.js';

const canon = (text: string): string => serialize(parse(text));

describe('serialize', () => {
  it('reproduces a canonical document byte for byte', () => {
    const x =
      '---\ntitle: T\n---\n# T\n\nType: RFC\n\n## Summary\n\nText.\n\n### Detail\n\n- **Purpose**: x\n\n## Empty\n';
    expect(canon(x)).toBe(x);
  });

  it('rewrites setext headings, closing sequences and indentation as canonical ATX lines', () => {
    expect(canon('Title\n=====\n\nIntro.\n\nPart one\n--------\nbody\n  ## Two ##\n')).toBe(
      '# Title\n\nIntro.\n\n## Part one\nbody\n## Two\n',
    );
  });

  it('joins the lines of a multi-line setext heading with one space', () => {
    expect(canon('# T\n\nfirst line\nsecond line\n---\n')).toBe('# T\n\n## first line second line\n');
  });

  it('keeps a raw text that ends in hashes from being read as a closing sequence', () => {
    const doc = parse('# T\n\n## a # #\n');
    expect(doc.headings[1]?.raw).toBe('a #');
    const once = serialize(doc);
    expect(once).toBe('# T\n\n## a # #\n');
    expect(parse(once).headings[1]?.raw).toBe('a #');
  });

  it('normalises CRLF and lone CR to LF and drops blank lines before front matter', () => {
    expect(canon('\r\n---\r\nk: v\r\n---\r\n# T\r\r## S\rtext\r')).toBe(
      '---\nk: v\n---\n# T\n\n## S\ntext\n',
    );
  });

  it('keeps a BOM and a missing final newline in the body', () => {
    expect(canon('\uFEFF# T\n\n## S\n\nlast')).toBe('\uFEFF# T\n\n## S\n\nlast');
  });

  it('writes an empty heading as its markers and one space, like the template title', () => {
    expect(
      canonicalHeadingLine({
        level: 1,
        text: '',
        raw: '',
        kind: 'atx',
        range: parse('#').headings[0]!.range,
      }),
    ).toBe('# ');
    expect(canon('### Kicker\n\n#\n\n## A\n')).toBe('### Kicker\n\n# \n\n## A\n');
  });

  it('leaves headings inside lists, quotes, code and HTML alone', () => {
    const x = '# T\n\n- ## in list\n\n> ## in quote\n\n```\n## in code\n```\n\n<div>\n## in html\n</div>\n';
    expect(canon(x)).toBe(x);
  });
});
