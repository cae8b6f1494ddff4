/**
 * Metadata and title shapes met in design documents from projects outside the shared corpus
 * (EIPs, Scala SIPs, Buildpacks, Aries and Dapr proposals, ADR collections), each written here as a
 * small document of our own with the same structure.
 */
import { describe, expect, it } from 'vitest';
import type { DesignDocument } from '../../src/core/model.js';
import { parse } from '../../src/core/parse/index.js';

const doc = (text: string): DesignDocument => parse(text, { fileName: 'proposal.md' });
const entries = (d: DesignDocument): Array<[string, string]> => d.metadata.map((e) => [e.key, e.value]);
const slice = (text: string, range: { start: { offset: number }; end: { offset: number } }): string =>
  text.slice(range.start.offset, range.end.offset);

describe('titles', () => {
  it('takes a front matter title over a first H2, which stays a section', () => {
    const d = doc(
      '---\ntitle: Shift instructions for the VM\nstatus: Accepted\n---\n\n## Simple Summary\n\nShifts.\n\n## Motivation\n\nSpeed.\n',
    );
    expect(d.title).toMatchObject({ text: 'Shift instructions for the VM', source: 'front-matter' });
    expect(d.sections.map((s) => s.title)).toEqual(['Simple Summary', 'Motivation']);
  });

  it('still lets an H1 title a document whose front matter also names one', () => {
    const d = doc('---\ntitle: Short name\n---\n\n# The full title\n\n## Summary\n\nText.\n');
    expect(d.title).toMatchObject({ text: 'The full title', source: 'h1' });
  });

  it('reads a `# Meta` block as the header, titled by its Name bullet', () => {
    const d = doc(
      '# Meta\n[meta]: #meta\n- Name: Record authors in headers\n- Start Date: 2024-01-02\n- Status: Approved\n\n# Summary\n\nAdd it.\n\n# Motivation\n\nCredit.\n',
    );
    expect(d.title).toMatchObject({ text: 'Record authors in headers', source: 'metadata' });
    expect(d.status).toMatchObject({ raw: 'Approved', lifecycle: 'approved' });
  });
});

describe('several pairs on one line', () => {
  it('splits `**Status:** X | **Date:** Y` into two entries with their own ranges', () => {
    const text = '# Secrets\n\n**Status:** Accepted | **Date:** 2025-02-25\n\n## Context\n\nText.\n';
    const d = doc(text);
    expect(entries(d)).toEqual([
      ['Status', 'Accepted'],
      ['Date', '2025-02-25'],
    ]);
    expect(d.status).toMatchObject({ raw: 'Accepted', lifecycle: 'approved' });
    expect(d.metadata.map((e) => slice(text, e.valueRange))).toEqual(['Accepted', '2025-02-25']);
  });

  it('splits at a middle dot, and keeps a pipe that no key follows inside the value', () => {
    expect(
      entries(
        doc(
          '# Gateway\n\nStatus: Superseded by [ADR-35](0035.md) · Date: 2026-07-07\n\n## Context\n\nText.\n',
        ),
      ),
    ).toEqual([
      ['Status', 'Superseded by [ADR-35](0035.md)'],
      ['Date', '2026-07-07'],
    ]);
    expect(entries(doc('# Cache\n\nOwner: storage | platform\n\n## Context\n\nText.\n'))).toEqual([
      ['Owner', 'storage | platform'],
    ]);
  });
});

describe('Status sections', () => {
  it('drops a repeated `Status:` key from the first line of a Status section', () => {
    const text =
      '# Trust ping\n\n## Status\n- Status: [ACCEPTED](/lifecycle.md)\n- Status Date: 2019-02-01\n\n## Summary\n\nPing.\n';
    const d = doc(text);
    expect(d.status).toMatchObject({ raw: '[ACCEPTED](/lifecycle.md)', lifecycle: 'approved' });
    expect(slice(text, d.status!.entry.valueRange)).toBe('[ACCEPTED](/lifecycle.md)');
  });

  it('reads a nested Status section when its first line names a lifecycle, and only then', () => {
    const adr = doc(
      '# CSS framework\n\n## Summary\n\n### Issue\n\nWe need one.\n\n### Decision\n\nUse one.\n\n### Status\n\nDecided. Open to new options.\n',
    );
    expect(adr.status).toMatchObject({ lifecycle: 'approved' });
    const plan = doc('# Migration\n\n## Plan\n\n### Status\n\nWe finished phase one last week.\n');
    expect(plan.status).toBeNull();
  });
});

describe('metadata tables', () => {
  it('keeps every labelled row of a table with a known key, joining rows that continue a value', () => {
    const text =
      '# Rename the repository\n\n| **RFC #** | 0011 |\n| --- | --- |\n| **Authors** | Ada Lovelace |\n| | Grace Hopper |\n| **Submitted** | 2023-03-31 |\n| **Status** | Approved |\n\n## Summary\n\nRename.\n';
    const d = doc(text);
    expect(entries(d)).toEqual([
      ['RFC #', '0011'],
      ['Authors', 'Ada Lovelace, Grace Hopper'],
      ['Submitted', '2023-03-31'],
      ['Status', 'Approved'],
    ]);
    const authors = d.metadata[1]!;
    expect([authors.valueRange.start.line, authors.valueRange.end.line]).toEqual([5, 6]);
  });

  it('reads nothing from a table without a known key', () => {
    const d = doc('# Budget\n\n| Item | Cost |\n| --- | --- |\n| Servers | 10 |\n\n## Summary\n\nText.\n');
    expect(d.metadata).toEqual([]);
  });
});
