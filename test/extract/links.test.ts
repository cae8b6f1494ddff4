import { describe, expect, it } from 'vitest';
import { at, extract } from './helpers.js';

describe('links', () => {
  it('finds inline links and images with exact ranges, flagging placeholders', () => {
    const doc = extract(
      'See [Plan Specification](#) and [spec](https://x.test/a_(b) "T") and ![img](<a b.png>).',
      '[todo](TODO) [tbd]( TBD ) [empty]() [angle](<>)',
    );
    expect(doc.links.map((l) => [l.text, l.url, l.placeholder])).toEqual([
      ['Plan Specification', '#', true],
      ['spec', 'https://x.test/a_(b)', false],
      ['img', 'a b.png', false],
      ['todo', 'TODO', true],
      ['tbd', 'TBD', true],
      ['empty', '', true],
      ['angle', '', true],
    ]);
    expect(at(doc.text, doc.links[0]!.range)).toBe('[Plan Specification](#)');
    expect(at(doc.text, doc.links[2]!.range)).toBe('![img](<a b.png>)');
  });

  it('resolves full, collapsed and shortcut references against definitions anywhere', () => {
    const doc = extract(
      '[one][r1], [Two][], [three] and [missing][nope].',
      '',
      '[r1]: https://one.test',
      '[two]: <https://two.test>',
      '[Three]: # "placeholder"',
    );
    expect(doc.links.map((l) => [l.text, l.url, l.placeholder])).toEqual([
      ['one', 'https://one.test', false],
      ['Two', 'https://two.test', false],
      ['three', '#', true],
    ]);
  });

  it('skips code spans, code blocks, escapes, footnotes and checkboxes', () => {
    const doc = extract(
      '`[a](b)` ``x `[c](d)` y`` \\[e](f) note[^1] [real](r)',
      '- [ ] task',
      '',
      '```',
      '[g](h)',
      '```',
      '',
      '[^1]: foot',
    );
    expect(doc.links.map((l) => l.text)).toEqual(['real']);
  });

  it('finds autolinks', () => {
    const doc = extract('Go to <https://example.org/x> or <not a link>.');
    expect(doc.links.map((l) => [l.text, l.url])).toEqual([
      ['https://example.org/x', 'https://example.org/x'],
    ]);
  });
});

describe('links in headings and lists', () => {
  it('finds links in headings and definitions indented inside list items', () => {
    const doc = extract('# Doc', '## See [the RFC](#)', '- item with [ref]', '', '  [ref]: https://ref.test');
    expect(doc.links.map((l) => [l.text, l.url, l.placeholder])).toEqual([
      ['the RFC', '#', true],
      ['ref', 'https://ref.test', false],
    ]);
  });
});

describe('links across lines', () => {
  it('joins link text broken over two lines, and reads definitions whose destination is on the next line', () => {
    const doc = extract(
      'Performance [is not',
      'optimal](https://bench.test) and [cilium/cilium]. Mail <joe@example.com>.',
      '',
      '[cilium/cilium]:',
      '  https://github.test/cilium',
    );
    expect(doc.links.map((l) => [l.text, l.url])).toEqual([
      ['is not\noptimal', 'https://bench.test'],
      ['cilium/cilium', 'https://github.test/cilium'],
      ['joe@example.com', 'mailto:joe@example.com'],
    ]);
    expect(doc.links[0]!.range.start.line).toBe(1);
    expect(doc.links[0]!.range.end.line).toBe(2);
  });

  it('does not take `[label]:` without a destination for a definition (it is a shortcut link)', () => {
    const doc = extract('See [x].', '', '[x]:', '', '[x]: https://x.test');
    expect(doc.links.map((l) => [l.url, l.range.start.line])).toEqual([
      ['https://x.test', 1],
      ['https://x.test', 3],
    ]);
  });
});
