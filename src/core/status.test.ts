import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lifecycle } from './model.js';
import { LIFECYCLE } from './model.js';
import { STATUS_WORDS, createStatusNormalizer, normalizeStatus } from './status.js';

function lifecycleOf(raw: string): Lifecycle | null {
  return normalizeStatus(raw).lifecycle;
}

describe('normalizeStatus', () => {
  it.each<[string, Lifecycle]>([
    ['Draft', 'draft'],
    ['proposed', 'draft'],
    ['Provisional', 'draft'],
    ['Pending', 'draft'],
    ['WIP', 'draft'],
    ['Idea', 'draft'],
    ['exploring', 'draft'],
    ['In Review', 'in-review'],
    ['in review', 'in-review'],
    ['Under Review', 'in-review'],
    ['Discussion', 'in-review'],
    ['Active', 'in-review'],
    ['Active review (March 1...March 14)', 'in-review'],
    ['Open for comments', 'in-review'],
    ['Final Comment Period', 'in-review'],
    ['FCP', 'in-review'],
    ['Approved', 'approved'],
    ['accepted', 'approved'],
    ['implementable', 'approved'],
    ['Decided', 'approved'],
    ['DECIDED', 'approved'],
    ['Agreed', 'approved'],
    ['Ready for Implementation', 'approved'],
    ['Implementation in progress', 'approved'],
    ['Accepted with modifications', 'approved'],
    ['Implemented', 'implemented'],
    ['Completed', 'implemented'],
    ['Done', 'implemented'],
    ['Released', 'implemented'],
    ['Shipped', 'implemented'],
    ['Final', 'implemented'],
    ['Rejected', 'rejected'],
    ['Declined', 'rejected'],
    ['Returned for revision', 'rejected'],
    ['Withdrawn', 'withdrawn'],
    ['Abandoned', 'withdrawn'],
    ['Deferred', 'deferred'],
    ['Postponed', 'deferred'],
    ['Dormant', 'deferred'],
    ['on hold', 'deferred'],
    ['Superseded', 'superseded'],
    ['replaced', 'superseded'],
    ['Deprecated', 'deprecated'],
    ['Obsolete', 'deprecated'],
    ['Retired', 'deprecated'],
  ])('maps the word %j to %s', (raw, expected) => {
    expect(lifecycleOf(raw)).toBe(expected);
  });

  it.each<[string, Lifecycle]>([
    ['Implemented (Swift 5.9)', 'implemented'],
    ['**Implemented (Swift 5.9)**', 'implemented'],
    ['Released Cilium 1.17', 'implemented'],
    ['Implemented for .NET 10 in [runtime](https://example.org/pr/1)', 'implemented'],
    ['Completed 2/6/21 [#2854](https://example.org/issues/2854)', 'implemented'],
    ['Decision needed | [Full discussion](../open-questions.md)', 'in-review'],
    ['this proposal was [adopted for the Go 1.4 release]', 'approved'],
    ['currently implemented.', 'implemented'],
  ])('reads the leading word of a longer value: %j', (raw, expected) => {
    expect(lifecycleOf(raw)).toBe(expected);
  });

  it.each<[string, Lifecycle]>([
    ['✅ Accepted', 'approved'],
    ['🚧 Draft', 'draft'],
    ['❌ Rejected', 'rejected'],
  ])('ignores leading emoji: %j', (raw, expected) => {
    expect(lifecycleOf(raw)).toBe(expected);
  });

  it.each<[string, Lifecycle]>([
    ['**Implemented**', 'implemented'],
    ['_Accepted_', 'approved'],
    ['`draft`', 'draft'],
    ['[Accepted](https://example.org/decision)', 'approved'],
    ['Dormant[^a]', 'deferred'],
    ['Accepted <!-- decided in the March meeting -->', 'approved'],
    ['Accepted (2021-03-04)', 'approved'],
    ['implementable # provisional|implementable|implemented', 'approved'],
  ])('strips markdown, footnotes and comments: %j', (raw, expected) => {
    expect(lifecycleOf(raw)).toBe(expected);
  });

  it.each<[string, Lifecycle]>([
    ['Aprroved', 'approved'],
    ['imlpemented', 'implemented'],
    ['Implemnted', 'implemented'],
    ['Rejectd', 'rejected'],
    ['Withdrawm', 'withdrawn'],
  ])('tolerates typos in long words: %j', (raw, expected) => {
    expect(lifecycleOf(raw)).toBe(expected);
  });

  it('does not guess short words by edit distance', () => {
    expect(lifecycleOf('Dome')).toBeNull();
    expect(lifecycleOf('Drat')).toBeNull();
  });

  it.each([
    '{Draft, In Review, Approved}',
    '{Draft, In Review, Ready for Implementation, Implemented}',
    'proposed | rejected | accepted',
    '[draft | proposed | rejected | accepted | deprecated | … | superseded by [xxx](yyyymmdd-xxx.md)] <!-- optional -->',
    '"{proposed | rejected | accepted | deprecated | … | superseded by ADR-0123"',
    'Implementable, Released, Dormant, Declined',
    'provisional|implementable|implemented|deferred|rejected|withdrawn|replaced',
    '`Not implemented / Partially implemented / Implemented`',
    '**Awaiting implementation** or **Awaiting review**',
  ])('gives null for an unfilled template choice list: %j', (raw) => {
    expect(normalizeStatus(raw)).toEqual({ lifecycle: null, supersededBy: null });
  });

  it('takes the chosen word before a leftover choice list', () => {
    expect(lifecycleOf('In Review {Draft, In Review, Ready for Implementation, Implemented}')).toBe(
      'in-review',
    );
    expect(lifecycleOf('{Draft}')).toBe('draft');
    expect(lifecycleOf('{In Review}')).toBe('in-review');
  });

  it('names the successor of a superseded document', () => {
    expect(normalizeStatus('Superseded by ADR-0012')).toEqual({
      lifecycle: 'superseded',
      supersededBy: 'ADR-0012',
    });
    expect(normalizeStatus('superseded by [20201029-superseder](20201029-superseder.md)')).toEqual({
      lifecycle: 'superseded',
      supersededBy: '20201029-superseder',
    });
    expect(normalizeStatus('Replaced by **RFC 2000**.')).toEqual({
      lifecycle: 'superseded',
      supersededBy: 'RFC 2000',
    });
    expect(normalizeStatus('Superseded').supersededBy).toBeNull();
  });

  it('gives null for empty, blank and unrecognised values', () => {
    for (const raw of [
      '',
      '   ',
      '<!-- fill in -->',
      '**',
      'True / False',
      'Terminating',
      'WorkflowExecutionStatus,',
    ]) {
      expect(normalizeStatus(raw)).toEqual({ lifecycle: null, supersededBy: null });
    }
  });

  it('has vocabulary for every lifecycle state, with no word in two states', () => {
    const seen = new Map<string, Lifecycle>();
    for (const lifecycle of LIFECYCLE) {
      expect(STATUS_WORDS[lifecycle].length).toBeGreaterThan(0);
      for (const word of STATUS_WORDS[lifecycle]) {
        expect(seen.get(word), `${word} is in ${seen.get(word)} and ${lifecycle}`).toBeUndefined();
        seen.set(word, lifecycle);
        expect(lifecycleOf(word)).toBe(lifecycle);
      }
    }
  });
});

describe('createStatusNormalizer', () => {
  it('adds configured words and lets them override built-ins', () => {
    const normalize = createStatusNormalizer({ 'in-review': ['Socialising'], approved: ['final', 'LGTM'] });
    expect(normalize('Socialising').lifecycle).toBe('in-review');
    expect(normalize('LGTM').lifecycle).toBe('approved');
    expect(normalize('Final').lifecycle).toBe('approved');
    expect(normalizeStatus('Final').lifecycle).toBe('implemented');
  });
});

describe('normalizeStatus on the words real documents use', () => {
  it.each<[string, Lifecycle | null]>([
    ['🤔 Incomplete', 'draft'],
    ['Not implemented', 'approved'],
    ['**Expired**', 'withdrawn'],
    ['**Previewing**', 'approved'],
    ['**Awaiting implementation**', 'approved'],
    ['Partially implemented', 'implemented'],
    ['implemented (alpha)', 'implemented'],
    ['removed', 'deprecated'],
    ['**Status: Active Review (Aug 10...Aug 24, 2026)**', 'in-review'],
    ['This KEP has been replaced by [KEP-1](/keps/1)', 'superseded'],
    ['Proposal', 'draft'],
    ['Accepted, superseded by ADR-0012', 'superseded'],
    ['Implemented (replaced by [RFC 9](9.md))', 'superseded'],
    ['N/A', null],
    ['`Proof-of-concept implemented`', null],
  ])('%j → %s', (raw, expected) => {
    expect(lifecycleOf(raw)).toBe(expected);
  });
});

describe('normalizeStatus on arbitrary input', () => {
  it('never throws and returns a known lifecycle or null (seeded)', () => {
    const alphabet = fc.constantFrom(
      'a',
      'e',
      'd',
      'p',
      'r',
      ' ',
      '|',
      ',',
      '{',
      '}',
      '[',
      ']',
      '(',
      ')',
      '*',
      '_',
      '`',
      '<!--',
      '-->',
      '#',
      ':',
      '/',
      '✅',
      '\u00a0',
      'Accepted',
      'by',
      'superseded',
      'or',
      '\n',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
        (raw) => {
          const result = normalizeStatus(raw);
          expect(
            result.lifecycle === null || (LIFECYCLE as readonly string[]).includes(result.lifecycle),
          ).toBe(true);
          if (result.supersededBy !== null) expect(result.lifecycle).toBe('superseded');
        },
      ),
      { seed: 20261127, numRuns: 2000 },
    );
  });
});
