import { describe, expect, it } from 'vitest';
import { at, extract } from './helpers.js';

describe('components and decisions', () => {
  it('takes each child of a components section with its fields, blank names included', () => {
    const doc = extract(
      '# Doc',
      '## 3.2 Components',
      '### Auth Service ###',
      '- **Purpose**: tokens',
      '#### Internals',
      '- **Technology**: Rust',
      '### ',
      '- **Purpose**: ',
      '## Other',
      '- **Purpose**: not a component field',
    );
    expect(doc.components.map((c) => [c.name, c.fields.map((f) => f.value)])).toEqual([
      ['Auth Service', ['tokens', 'Rust']],
      ['', ['']],
    ]);
    expect(at(doc.text, doc.components[0]!.nameRange)).toBe('Auth Service');
    expect(doc.components[1]!.nameRange.start.offset).toBe(doc.components[1]!.nameRange.end.offset);
  });

  it('strips `Decision N:` style prefixes from decision titles', () => {
    const doc = extract(
      '# Doc',
      '## Key Decisions',
      '### Decision 1: Use PostgreSQL',
      '- **Rationale**: boring',
      '### ADR-002 – Keep REST',
      '### Decision 3:',
      '### Deprecate v1',
      '### Decision',
    );
    expect(doc.decisions.map((d) => d.title)).toEqual([
      'Use PostgreSQL',
      'Keep REST',
      '',
      'Deprecate v1',
      'Decision',
    ]);
    expect(at(doc.text, doc.decisions[0]!.titleRange)).toBe('Use PostgreSQL');
    expect(doc.decisions[0]!.fields.map((f) => f.label)).toEqual(['Rationale']);
  });
});

describe('phases', () => {
  it('reads bold, plain and dashed phase spellings', () => {
    const doc = extract(
      '# Doc',
      '## Implementation',
      '1. **Phase 1**: foundations',
      '2. Phase 2: rollout',
      '3. **Phase 3 – Cleanup**',
      '- Phases are fun',
      '',
      '**Phase 4 – Sunset**',
      '- turn off v1',
    );
    expect(doc.phases.map((p) => [p.number, p.label, p.description])).toEqual([
      [1, 'Phase 1', 'foundations'],
      [2, 'Phase 2', 'rollout'],
      [3, 'Phase 3 – Cleanup', ''],
      [4, 'Phase 4 – Sunset', '- turn off v1'],
    ]);
    expect(at(doc.text, doc.phases[1]!.descriptionRange)).toBe('rollout');
  });
});

describe('targets, goals and success criteria', () => {
  it('reads fields under performance targets and top-level entries under goals', () => {
    const doc = extract(
      '# Doc',
      '## Goals',
      '- **Goal 1**: fast',
      '  - detail, not a goal',
      '- plain goal',
      '## Non-Goals',
      '- not a goal',
      '## Success Criteria',
      '1. p99 < 200 ms',
      '2. ',
      '## Performance & Scalability',
      '### Performance Targets',
      '- **Latency**: p99 < 200 ms',
      '- **Availability**: ',
      '### Scalability Strategy',
      '- **Bottlenecks**: none',
    );
    // A field's value carries its nested lines; nested bullets are not goals of their own.
    expect(doc.goals.map((g) => g.text)).toEqual(['fast\n  - detail, not a goal', 'plain goal']);
    expect(doc.successCriteria.map((g) => g.text)).toEqual(['p99 < 200 ms', '']);
    expect(doc.targets.map((t) => [t.metric, t.value])).toEqual([
      ['Latency', 'p99 < 200 ms'],
      ['Availability', ''],
    ]);
    expect(at(doc.text, doc.targets[0]!.valueRange)).toBe('p99 < 200 ms');
  });
});

describe('open questions', () => {
  it('reads checkbox questions with their nested status', () => {
    const doc = extract(
      '# Doc',
      '## Open Questions',
      '- [ ] Which queue?',
      '  - **Status**: investigating',
      '- [x] Which database?',
      '  - **Status**:',
      '- [ ] ',
      '- a note, not a question',
    );
    expect(doc.openQuestions.map((q) => [q.text, q.checked, q.status?.value ?? null])).toEqual([
      ['Which queue?', false, 'investigating'],
      ['Which database?', true, ''],
      ['', false, null],
    ]);
    expect(at(doc.text, doc.openQuestions[0]!.status!.valueRange)).toBe('investigating');
  });

  it('counts plain top-level bullets when the document uses no checkboxes, in sub-sections too', () => {
    const doc = extract(
      '# Doc',
      '## Unresolved Questions',
      '### Networking',
      '- How are ports picked?',
      '  - sub-point',
      '1. Who owns DNS?',
    );
    expect(doc.openQuestions.map((q) => [q.text, q.checked, q.status])).toEqual([
      ['How are ports picked?', false, null],
      ['Who owns DNS?', false, null],
    ]);
  });
});

describe('approvals', () => {
  it('makes one slot per group and parses its non-blank entries', () => {
    const doc = extract(
      '# Doc',
      '## Approvals',
      '**Technical Review**',
      '- Jane Doe — approved 2026-11-27 (rev 3)',
      '- ',
      '',
      '**Security Review**',
      '- [ ] Sec Team',
      '',
      '**Approved By**',
      '- ',
    );
    expect(
      doc.approvals.map((s) => [s.name, s.entries.map((e) => [e.name, e.verdict, e.date, e.revision])]),
    ).toEqual([
      ['Technical Review', [['Jane Doe', 'approved', '2026-11-27', 3]]],
      ['Security Review', [['Sec Team', 'pending', null, null]]],
      ['Approved By', []],
    ]);
    const entry = doc.approvals[0]!.entries[0]!;
    expect(at(doc.text, entry.range)).toBe(entry.raw);
    expect(at(doc.text, doc.approvals[1]!.nameRange)).toBe('Security Review');
  });

  it('uses the section as the slot when the list has no group', () => {
    const doc = extract('# Doc', '## Sign-off', '- @jdoe ✅', '- Jane Doe, LGTM');
    expect(doc.approvals.map((s) => [s.name, s.entries.map((e) => [e.name, e.verdict])])).toEqual([
      [
        'Sign-off',
        [
          ['@jdoe', 'approved'],
          ['Jane Doe', 'approved'],
        ],
      ],
    ]);
  });
});

describe('phases in prose', () => {
  it('does not take a sentence that starts with "Phase 1" for a phase', () => {
    const doc = extract(
      '# Doc',
      '## Rollout',
      '- Phase 1 implemented and shipped.',
      '- Phase 2 – Beta',
      '- Phase 3 (optional): GA',
    );
    expect(doc.phases.map((p) => [p.number, p.label, p.description])).toEqual([
      [2, 'Phase 2 – Beta', ''],
      [3, 'Phase 3 (optional)', 'GA'],
    ]);
  });
});
