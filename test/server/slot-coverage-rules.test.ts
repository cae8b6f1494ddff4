/**
 * `touchesSlot` over `changedSections`, on hash tables as saves write them: a named section covers
 * its subsections; `*` takes a change only when a section no other slot names changed in its own
 * text; and revisions saved before own-text hashes existed are read conservatively.
 */
import { describe, expect, it } from 'vitest';
import type { SchemaApprovalSlot } from '../../src/core/template/schema.js';
import { parse } from '../../src/core/parse/index.js';
import { hashSections } from '../../src/server/services/document-analysis.js';
import { changedSections, touchesSlot } from '../../src/server/services/review-state.js';

const slot = (name: string, covers: string[]): SchemaApprovalSlot => ({
  name,
  required: true,
  covers,
  roster: null,
});
const technical = slot('Technical Review', ['*']);
const security = slot('Security Review', ['Security', 'Data Model & Storage']);
const slots = [technical, security];

/** A revision's hashes: `proposed solution` holds `data model and storage` and `api`. */
function revision(parts: { own?: string; data?: string; api?: string; security?: string }, withOwn = true) {
  const own = parts.own ?? 'o1';
  const data = parts.data ?? 'd1';
  const api = parts.api ?? 'a1';
  return {
    'proposed solution': `${own}|${data}|${api}`,
    ...(withOwn ? { 'proposed solution@own': own } : {}),
    'proposed solution/data model and storage': data,
    'proposed solution/api': api,
    security: parts.security ?? 's1',
  };
}

const touched = (before: Record<string, string>, after: Record<string, string>) => {
  const changed = changedSections(before, after);
  return {
    technical: touchesSlot(technical, slots, changed),
    security: touchesSlot(security, slots, changed),
  };
};

describe('approval slot coverage', () => {
  it('gives a change in a subsection another slot names to that slot alone', () => {
    expect(touched(revision({}), revision({ data: 'd2' }))).toEqual({ technical: false, security: true });
  });

  it("gives `*` a change in a parent's own text or in a subsection nobody names", () => {
    expect(touched(revision({}), revision({ own: 'o2' }))).toEqual({ technical: true, security: false });
    expect(touched(revision({}), revision({ api: 'a2' }))).toEqual({ technical: true, security: false });
    expect(touched(revision({}), revision({ data: 'd2', api: 'a2' }))).toEqual({
      technical: true,
      security: true,
    });
    expect(touched(revision({}), revision({ security: 's2' }))).toEqual({ technical: false, security: true });
  });

  it('reads a revision without own-text hashes as changed in every changed section', () => {
    expect(touched(revision({}, false), revision({ data: 'd2' }))).toEqual({
      technical: true,
      security: true,
    });
    expect(touched(revision({ data: 'd2' }), revision({}, false))).toEqual({
      technical: true,
      security: true,
    });
    // Nothing changed is still nothing, and a table without subsections needs no own hashes.
    expect(touched(revision({}, false), revision({}, false))).toEqual({ technical: false, security: false });
    expect(touched({ security: 's1', goals: 'g1' }, { security: 's1', goals: 'g2' })).toEqual({
      technical: true,
      security: false,
    });
  });

  it('treats a second section of a title as that title', () => {
    const before = { security: 's1', 'security#2': 't1', goals: 'g1' };
    expect(touched(before, { ...before, 'security#2': 't2' })).toEqual({ technical: false, security: true });
  });

  it("leaves an Approvals section nested in another out of its parent's hashes", () => {
    const doc = (entry: string) =>
      `# T\n\n## Rollout\n\nAsk the leads.\n\n### Approvals\n\n**Technical Review**\n- ${entry}\n\n## Goals\n\nFast.\n`;
    const before = hashSections(parse(doc('')));
    const after = hashSections(parse(doc('Bob — approved 2026-11-28 (rev 2)')));
    expect(after).toEqual(before);
    expect(Object.keys(after).some((key) => key.includes('approvals'))).toBe(false);
    const edited = hashSections(parse(doc('').replace('Ask the leads.', 'Ask the leads twice.')));
    expect(changedSections(before, edited).sort()).toEqual(['rollout', 'rollout@own']);
  });
});
