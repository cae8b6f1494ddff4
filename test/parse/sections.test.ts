/** Title heading choice, section nesting, ids, bodies and hasContent through parse(). */
import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/core/model.js';
import { findTitleHeading, parse } from '../../src/core/parse/index.js';
import { githubSlug } from '../../src/core/parse/inline/slug.js';

const titleOf = (text: string): string | null => findTitleHeading(parse(text).headings)?.text ?? null;
const ids = (sections: Section[]): unknown =>
  sections.map((s) => (s.children.length ? [s.id, ids(s.children)] : s.id));

describe('title heading', () => {
  it('is the only heading at the minimum level, even after a smaller kicker heading', () => {
    expect(titleOf('### Design Document\n\n# Payments\n\n## Summary\n')).toBe('Payments');
    expect(titleOf('## Title\n\n### A\n\n### B\n')).toBe('Title');
  });

  it('is the first heading when several share the minimum level and it is not a section name', () => {
    expect(titleOf('# My RFC\n\n# Summary\n\n# Motivation\n')).toBe('My RFC');
    expect(titleOf('# Summary\n\n# Motivation\n')).toBeNull();
    expect(titleOf('## 1. Summary\n\n## Design\n')).toBeNull();
  });

  it('is not a lone top-level common section name that comes after other headings', () => {
    expect(titleOf('## Summary\n\n## Design\n\n# Unresolved questions\n')).toBeNull();
  });

  it('is absent without headings', () => {
    expect(titleOf('just text\n')).toBeNull();
  });
});

describe('section tree', () => {
  it('nests by level below the detected section level and keeps the title out', () => {
    const doc = parse('# T\n\n## A\n\n### A1\n\n#### A1a\n\n## B\n\n#### B-deep\n');
    expect(doc.sectionLevel).toBe(2);
    expect(ids(doc.sections)).toEqual([
      ['a', [['a1', ['a1a']]]],
      ['b', ['b-deep']],
    ]);
    const b = doc.sections[1]!;
    expect(b.children[0]!.depth).toBe(2);
    expect(b.range.start.line).toBe(9);
    expect(b.range.end.offset).toBe(doc.text.length);
  });

  it('detects H1 sections', () => {
    const doc = parse('# Summary\n\ntext\n\n# Design\n\n## Detail\n');
    expect(doc.sectionLevel).toBe(1);
    expect(ids(doc.sections)).toEqual(['summary', ['design', ['detail']]]);
  });

  it('gives GitHub-style unique ids', () => {
    const doc = parse(
      '# T\n\n## Goals & Non-Goals\n\n## Goals & Non-Goals\n\n## Café: “quoted”\n\n## \n\n## \n',
    );
    expect(doc.sections.map((s) => s.id)).toEqual([
      'goals--non-goals',
      'goals--non-goals-1',
      'café-quoted',
      'section',
      'section-1',
    ]);
    expect(githubSlug('API_v2 (beta)')).toBe('api_v2-beta');
  });

  it('has bodies that are exact source slices ending at the next heading line', () => {
    const text = '# T\r\n\r\n## A\r\nline one\r\n\r\n### A1\r\nchild\r\n';
    const a = parse(text).sections[0]!;
    expect(a.body).toBe('line one\r\n\r\n');
    expect(text.slice(a.bodyRange.start.offset, a.bodyRange.end.offset)).toBe(a.body);
    expect(a.children[0]!.body).toBe('child\r\n');
  });

  it('marks sections without content', () => {
    const doc = parse(
      [
        '# T',
        '## Empty',
        '<!-- a comment',
        'spanning lines -->',
        '- ',
        '1. ',
        '- [ ] ',
        '  - **Status**: ',
        '- **Goal 1**: ',
        '**Storage Strategy**',
        '**Key Endpoints** (or reference API spec)',
        '## Text',
        'x',
        '## Field',
        '- **Purpose**: run jobs',
        '## Code',
        '```',
        '```',
        '## Child only',
        '### Filled',
        'y',
        '',
      ].join('\n'),
    );
    expect(doc.sections.map((s) => [s.id, s.hasContent])).toEqual([
      ['empty', false],
      ['text', true],
      ['field', true],
      ['code', true],
      ['child-only', false],
    ]);
  });
});
