import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifySection, normalizeHeading } from './section-kinds.js';

describe('normalizeHeading', () => {
  it.each([
    ['Goals & Success Criteria', 'goals and success criteria'],
    ['3.2 Open Questions:', 'open questions'],
    ['III. Security', 'security'],
    ['iv) Approvals', 'approvals'],
    ['A. Components', 'components'],
    ['🎯 Goals 🎯', 'goals'],
    ['🎯 1. Goals', 'goals'],
    ['(2) Approvals', 'approvals'],
    ['2FA Setup', '2fa setup'],
    ['  Sign-off!  ', 'sign off'],
    ['I/O Design', 'i o design'],
    ['API & Integration Points', 'api and integration points'],
  ])('%j → %j', (title, expected) => {
    expect(normalizeHeading(title)).toBe(expected);
  });
});

describe('normalizeHeading properties', () => {
  it('yields lower-case words separated by single blanks, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (title) => {
        const once = normalizeHeading(title);
        expect(once).not.toMatch(/^ | $| {2}/);
        expect(once).toBe(once.toLowerCase());
        expect(normalizeHeading(once)).toBe(once);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('classifySection', () => {
  it.each([
    ['Primary Goals', 'goals'],
    ['Goals & Success Criteria', 'goals'],
    ['Success Criteria', 'success-criteria'],
    ['High-Level Overview', 'overview'],
    ['Architecture Overview', 'overview'],
    ['Architecture Components', 'components'],
    ['4.1 Components', 'components'],
    ['Design Decisions', 'decisions'],
    ['Key Decisions', 'decisions'],
    ['Decisions', 'decisions'],
    ['Implementation', 'implementation'],
    ['Rollout Plan', 'implementation'],
    ['Performance Targets', 'performance-targets'],
    ['SLOs', 'performance-targets'],
    ['Security', 'security'],
    ['Security Considerations', 'security'],
    ['Security and Privacy', 'security'],
    ['Security & Privacy', 'security'],
    ['Open Questions', 'open-questions'],
    ['Unresolved Questions', 'open-questions'],
    ['Outstanding Questions', 'open-questions'],
    ['❓ Open questions?', 'open-questions'],
    ['Open Questions / Future Work', 'open-questions'],
    ['Approvals', 'approvals'],
    ['Sign-off', 'approvals'],
    ['SIGN OFF', 'approvals'],
    ['Non-Goals', 'plain'],
    ['Performance & Scalability', 'plain'],
    ['Executive Summary', 'plain'],
    ['Implementation History', 'plain'],
    ['', 'plain'],
  ] as const)('%j is %s', (title, kind) => {
    expect(classifySection(title)).toBe(kind);
  });
});
