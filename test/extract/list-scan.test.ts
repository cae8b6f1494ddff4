import { describe, expect, it } from 'vitest';
import { at, extract } from './helpers.js';

describe('fields', () => {
  it('reads both bold spellings, in and outside lists, with exact ranges', () => {
    const doc = extract(
      '# Doc',
      '',
      '## Notes',
      '',
      '- **Purpose**: Routes requests',
      '* ***Owner:** Alice',
      '',
      '**Approach**: Strangler fig',
    );
    expect(doc.fields.map((f) => [f.label, f.value, f.sectionId, f.group])).toEqual([
      ['Purpose', 'Routes requests', 'notes', null],
      ['Owner', 'Alice', 'notes', null],
      ['Approach', 'Strangler fig', 'notes', null],
    ]);
    const [purpose, owner, approach] = doc.fields;
    expect(at(doc.text, purpose!.range)).toBe('- **Purpose**: Routes requests');
    expect(at(doc.text, purpose!.labelRange)).toBe('Purpose');
    expect(at(doc.text, purpose!.valueRange)).toBe('Routes requests');
    expect(at(doc.text, owner!.labelRange)).toBe('Owner');
    expect(at(doc.text, approach!.range)).toBe('**Approach**: Strangler fig');
  });

  it('gives a blank field an empty value range where the value would be typed', () => {
    const doc = extract('- **Latency**: ', '- **Throughput**:');
    const [latency, throughput] = doc.fields;
    expect(latency!.value).toBe('');
    expect(latency!.valueRange.start.offset).toBe(latency!.valueRange.end.offset);
    expect(latency!.valueRange.start.column).toBe(16);
    expect(throughput!.valueRange.start.column).toBe(18);
    expect(latency!.range.end.offset).toBeGreaterThanOrEqual(latency!.valueRange.end.offset);
  });

  it('includes nested lines and lazy continuation in the value', () => {
    const doc = extract(
      '- **Owners**:',
      '  - Alice',
      '  - Bob',
      '- **Why**: because',
      'it is lazy',
      '',
      'Next paragraph',
    );
    expect(doc.fields[0]!.value).toBe('- Alice\n  - Bob');
    expect(doc.fields[1]!.value).toBe('because\nit is lazy');
    expect(doc.items.map((i) => i.text)).toEqual(['Alice', 'Bob']);
  });

  it('does not glue a following `Key: value` line onto a top-level field', () => {
    const doc = extract('**Author**: Sam', 'Status: Draft', '**Team**: Payments', 'continues here');
    expect(doc.fields.map((f) => f.value)).toEqual(['Sam', 'Payments\ncontinues here']);
  });

  it('ignores bold text that is not a label, and fields in code', () => {
    const doc = extract(
      '- **Bold** statement without colon',
      '- [ ] **Q**: a question, not a field',
      '',
      '```',
      '- **Fake**: x',
      '```',
    );
    expect(doc.fields).toEqual([]);
    expect(doc.items.map((i) => i.text)).toEqual([
      '**Bold** statement without colon',
      '**Q**: a question, not a field',
    ]);
  });
});

describe('groups', () => {
  it('attaches the list under a bold line, with optional note and colon, to the group', () => {
    const doc = extract(
      '## Stack',
      '',
      '**Storage Strategy**',
      '- **Primary Database**: PostgreSQL',
      '- Redis',
      '',
      '**Key Endpoints** (or reference API spec)',
      '',
      '- GET /x',
      '',
      '**Phases**:',
      '1. **Phase 1**: build',
      '',
      'Paragraph after.',
      '- not grouped',
    );
    expect(
      doc.groups.map((g) => [g.label, g.fields.map((f) => f.label), g.items.map((i) => i.text)]),
    ).toEqual([
      ['Storage Strategy', ['Primary Database'], ['Redis']],
      ['Key Endpoints', [], ['GET /x']],
      ['Phases', ['Phase 1'], []],
    ]);
    expect(at(doc.text, doc.groups[0]!.labelRange)).toBe('Storage Strategy');
    expect(at(doc.text, doc.groups[0]!.range)).toBe(
      '**Storage Strategy**\n- **Primary Database**: PostgreSQL\n- Redis',
    );
    expect(doc.fields[0]!.group).toBe('Storage Strategy');
    expect(doc.items.find((i) => i.text === 'not grouped')!.group).toBeNull();
  });

  it("reads the template's bold line over a lone `- ` as a group with one blank item", () => {
    const doc = extract(
      '# Doc',
      '',
      '## Approvals',
      '',
      '**Technical Review**',
      '- ',
      '',
      '**Approved By**',
      '- ',
    );
    expect(doc.groups.map((g) => [g.label, g.items.length, g.sectionId])).toEqual([
      ['Technical Review', 1, 'approvals'],
      ['Approved By', 1, 'approvals'],
    ]);
  });

  it('does not take a bold sentence or a bold field with a value as a group', () => {
    const doc = extract('**Note** that this is prose', '- item', '', '**Owner**: Alice', '- item');
    expect(doc.groups).toEqual([]);
    expect(doc.fields.map((f) => f.label)).toEqual(['Owner']);
  });
});

describe('list items', () => {
  it('records checkboxes, ordinals, blanks and nesting', () => {
    const doc = extract(
      '- [ ] open',
      '- [x] done',
      '  - nested',
      '3) third',
      '1. ',
      '-',
      '+ plus',
      '* * *',
      '- after break',
    );
    expect(doc.items.map((i) => [i.text, i.checked, i.ordinal])).toEqual([
      ['open', false, null],
      ['done', true, null],
      ['nested', null, null],
      ['third', null, 3],
      ['', null, 1],
      ['', null, null],
      ['plus', null, null],
      ['after break', null, null],
    ]);
    const done = doc.items[1]!;
    expect(at(doc.text, done.range)).toBe('- [x] done\n  - nested');
    expect(at(doc.text, done.textRange)).toBe('done');
    const blank = doc.items[4]!;
    expect(blank.textRange.start.offset).toBe(blank.textRange.end.offset);
    expect(blank.range.end.offset).toBeGreaterThanOrEqual(blank.textRange.end.offset);
  });

  it('handles CRLF, a BOM and tabs', () => {
    const text = '\uFEFF# Doc\r\n\r\n## Goals\r\n\r\n-\t**Goal 1**: fast\r\n- second\r\n';
    const doc = extract(text);
    expect(doc.fields.map((f) => [f.label, f.value])).toEqual([['Goal 1', 'fast']]);
    expect(doc.items.map((i) => i.text)).toEqual(['second']);
    expect(at(doc.text, doc.fields[0]!.valueRange)).toBe('fast');
    expect(doc.goals.map((g) => g.text)).toEqual(['fast', 'second']);
  });

  it('keeps an unclosed fence from leaking fields', () => {
    const doc = extract('- **Real**: yes', '', '```', '- **Fake**: no');
    expect(doc.fields.map((f) => f.label)).toEqual(['Real']);
  });
});
