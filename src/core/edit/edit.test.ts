import { describe, expect, it } from 'vitest';
import { parseApprovalEntry, formatApprovalEntry } from '../approval-entry.js';
import { parse } from '../parse/index.js';
import { applyEdits, approvalSlotEdits, statusEdits } from './index.js';

const TEMPLATE_LIKE = [
  '# Ledger',
  '',
  'Type: Service',
  'Status: ',
  'Version: 0.1',
  '',
  '## Security',
  '',
  'TLS everywhere.',
  '',
  '## Approvals',
  '',
  '**Technical Review**',
  '- ',
  '',
  '**Security Review**',
  '- ',
  '',
].join('\n');

function edit(text: string, f: (doc: ReturnType<typeof parse>) => Parameters<typeof applyEdits>[1]): string {
  return applyEdits(text, f(parse(text)));
}

describe('statusEdits', () => {
  it('fills a blank Status line and changes only that line', () => {
    const out = edit(TEMPLATE_LIKE, (doc) => statusEdits(doc, 'In Review'));
    expect(out).toBe(TEMPLATE_LIKE.replace('Status: \n', 'Status: In Review\n'));
    expect(parse(out).status?.lifecycle).toBe('in-review');
  });

  it('replaces an existing value in place, keeping CRLF line endings', () => {
    const crlf = TEMPLATE_LIKE.replace('Status: ', 'Status: Draft').replace(/\n/g, '\r\n');
    const out = edit(crlf, (doc) => statusEdits(doc, 'Approved'));
    expect(out).toBe(crlf.replace('Status: Draft', 'Status: Approved'));
  });

  it('writes front matter status as a YAML value', () => {
    const text = '---\ntitle: X\nstatus: draft\n---\n\n# X\n\nBody\n';
    const out = edit(text, (doc) => statusEdits(doc, 'Superseded by Ledger v2: the rewrite'));
    expect(out).toBe('---\ntitle: X\nstatus: "Superseded by Ledger v2: the rewrite"\n---\n\n# X\n\nBody\n');
  });

  it('adds a Status line under the title when the document has none', () => {
    const text = '# Plain\n\nSome words.\n';
    const out = edit(text, (doc) => statusEdits(doc, 'Draft'));
    expect(out).toBe('# Plain\n\nStatus: Draft\n\nSome words.\n');
    expect(parse(out).status?.lifecycle).toBe('draft');
  });
});

describe('approvalSlotEdits', () => {
  const entry = formatApprovalEntry({
    name: 'Priya Raman',
    verdict: 'approved',
    date: '2026-11-27',
    revision: 3,
  });

  it('replaces the blank list line of one slot and nothing else', () => {
    const out = edit(TEMPLATE_LIKE, (doc) => approvalSlotEdits(doc, 'Security Review', [entry]));
    expect(out).toBe(TEMPLATE_LIKE.replace('**Security Review**\n- \n', `**Security Review**\n- ${entry}\n`));
    const slot = parse(out).approvals.find((s) => s.name === 'Security Review');
    expect(slot?.entries.map((e) => [e.name, e.verdict, e.date, e.revision])).toEqual([
      ['Priya Raman', 'approved', '2026-11-27', 3],
    ]);
  });

  it('replaces several entries with the new list and reads back with the approval parser', () => {
    const once = edit(TEMPLATE_LIKE, (doc) =>
      approvalSlotEdits(doc, 'Technical Review', [
        'A — approved 2026-01-01 (rev 1)',
        'B — blocking concern 2026-01-02 (rev 1)',
      ]),
    );
    const twice = edit(once, (doc) => approvalSlotEdits(doc, 'Technical Review', [entry]));
    expect(twice).toBe(
      TEMPLATE_LIKE.replace('**Technical Review**\n- \n', `**Technical Review**\n- ${entry}\n`),
    );
    expect(parseApprovalEntry(entry)).toMatchObject({
      name: 'Priya Raman',
      verdict: 'approved',
      revision: 3,
    });
  });

  it('appends a missing slot to the Approvals section', () => {
    const out = edit(TEMPLATE_LIKE, (doc) => approvalSlotEdits(doc, 'Approved By', [entry]));
    expect(out).toBe(`${TEMPLATE_LIKE.slice(0, -1)}\n\n**Approved By**\n- ${entry}\n`);
  });

  it('appends an Approvals section when the document has none', () => {
    const text = '# T\n\n## Design\n\nWords.\n';
    const out = edit(text, (doc) => approvalSlotEdits(doc, 'Technical Review', [entry]));
    expect(out).toBe(`${text}\n## Approvals\n\n**Technical Review**\n- ${entry}\n`);
  });
});
