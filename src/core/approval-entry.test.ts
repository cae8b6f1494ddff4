import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatApprovalEntry, parseApprovalEntry } from './approval-entry.js';
import type { Verdict } from './model.js';

describe('parseApprovalEntry', () => {
  it.each([
    [
      'Jane Doe — approved 2026-11-27 (rev 3)',
      { name: 'Jane Doe', verdict: 'approved', date: '2026-11-27', revision: 3 },
    ],
    ['Jane Doe (2026-11-27)', { name: 'Jane Doe', verdict: null, date: '2026-11-27', revision: null }],
    [
      '[x] Jane Doe, 2026-11-27',
      { name: 'Jane Doe', verdict: 'approved', date: '2026-11-27', revision: null },
    ],
    ['[ ] Jane Doe', { name: 'Jane Doe', verdict: 'pending', date: null, revision: null }],
    [
      'Jane Doe - Approved - 2026/11/27',
      { name: 'Jane Doe', verdict: 'approved', date: '2026-11-27', revision: null },
    ],
    ['@jdoe ✅', { name: '@jdoe', verdict: 'approved', date: null, revision: null }],
    ['Jane Doe, LGTM', { name: 'Jane Doe', verdict: 'approved', date: null, revision: null }],
    [
      'Approved by Jane Doe on 27 Nov 2026',
      { name: 'Jane Doe', verdict: 'approved', date: '2026-11-27', revision: null },
    ],
    [
      '**Mary-Jane Watson**: changes requested (revision 12)',
      { name: 'Mary-Jane Watson', verdict: 'changes-requested', date: null, revision: 12 },
    ],
    [
      'Bob Smith — blocking concern 2026-01-05',
      { name: 'Bob Smith', verdict: 'blocking', date: '2026-01-05', revision: null },
    ],
    [
      '[Bob](https://example.com/bob) ❌ Nov 3, 2025',
      { name: 'Bob', verdict: 'blocking', date: '2025-11-03', revision: null },
    ],
    ['Security team — pending', { name: 'Security team', verdict: 'pending', date: null, revision: null }],
    ['', { name: '', verdict: null, date: null, revision: null }],
  ] as const)('%j', (text, expected) => {
    expect(parseApprovalEntry(text)).toEqual(expected);
  });

  it('leaves an impossible date in the name instead of guessing', () => {
    const e = parseApprovalEntry('Jane Doe 2026-13-45');
    expect(e.date).toBeNull();
  });
});

describe('formatApprovalEntry', () => {
  it('writes the canonical line', () => {
    expect(
      formatApprovalEntry({ name: 'Jane Doe', verdict: 'approved', date: '2026-11-27', revision: 3 }),
    ).toBe('Jane Doe — approved 2026-11-27 (rev 3)');
    expect(formatApprovalEntry({ name: 'Ops', verdict: 'changes-requested', date: '2026-01-02' })).toBe(
      'Ops — changes requested 2026-01-02',
    );
  });

  it('parse(format(x)) gives x back', () => {
    const word = fc.constantFrom(
      'Jane',
      'Doe',
      'Ana',
      'Li',
      "O'Brien",
      'Mary-Jane',
      'José',
      'Müller',
      'van',
      'Smith',
      'Q.',
      'team',
    );
    const name = fc.oneof(
      fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
      fc.stringMatching(/^@[a-z][a-z0-9-]{0,12}$/),
    );
    const date = fc
      .record({
        y: fc.integer({ min: 1990, max: 2100 }),
        m: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 28 }),
      })
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const verdict = fc.constantFrom<Verdict>('approved', 'changes-requested', 'blocking', 'pending');
    const revision = fc.option(fc.integer({ min: 0, max: 100000 }), { nil: null });
    fc.assert(
      fc.property(name, verdict, date, revision, (n, v, d, r) => {
        const entry = { name: n, verdict: v, date: d, revision: r };
        expect(parseApprovalEntry(formatApprovalEntry(entry))).toEqual(entry);
      }),
      { seed: 20261127, numRuns: 500 },
    );
  });
});
