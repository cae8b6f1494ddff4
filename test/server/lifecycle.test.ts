/**
 * The whole life of a document through a real listening server: created from a template, edited,
 * linted, reviewed by the right people, a Security edit making the security approval stale,
 * re-approved, approved with Status and Approvals written into the markdown, implemented and
 * superseded.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from '../../src/core/parse/index.js';
import { describeEachDialect } from './dialects.js';
import { editSecurity, filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

describeEachDialect('document lifecycle', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member', displayName: 'Alice Author' },
      { username: 'bob', role: 'member', displayName: 'Bob Builder' },
      { username: 'carol', role: 'member', displayName: 'Carol Secure', groups: ['security'] },
      { username: 'dan', role: 'member', displayName: 'Dan Architect' },
      { username: 'erin', role: 'member', displayName: 'Erin Approver' },
      { username: 'root', role: 'admin' },
    ]);
  });
  afterAll(async () => t?.stop());

  it('runs from template to superseded', async () => {
    // Create from the template: status draft, revision 1, the skeleton filled with the title.
    const created = await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: { title: 'Ledger Service', template: 'design-document', type: 'Service' },
    });
    expect(created.status).toBe(201);
    expect(created.body.document).toMatchObject({
      id: 'ledger-service',
      status: 'draft',
      revision: 1,
      author: 'alice',
      template: 'design-document',
    });
    expect(created.headers.get('etag')).toBe('"1"');
    const first = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('alice') });
    expect(first.body.markdown).toContain('# Ledger Service');
    const blankFindings = await api(t.base, 'GET', '/api/v1/documents/ledger-service/findings', {
      token: as('alice'),
    });
    expect(blankFindings.body.items.length).toBeGreaterThan(5);

    // Edit: a filled document, with one open question left unchecked.
    // (A question whose Status says Resolved no longer blocks, ticked or not: the same rule as DD014.)
    const filled = filledDocument('Ledger Service').replace(
      '- [x] Who is on call for the service in its first month?\n  - **Status**: Resolved:',
      '- [ ] Who is on call for the service in its first month?\n  - **Status**: Open:',
    );
    expect(filled).toContain('- [ ] Who is on call');
    const saved = await api(t.base, 'PUT', '/api/v1/documents/ledger-service', {
      token: as('alice'),
      body: { markdown: filled },
      headers: { 'if-match': '"1"' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.document.revision).toBe(2);
    expect(saved.body.document.score).toBeGreaterThan(created.body.document.score);
    const findings = await api(t.base, 'GET', '/api/v1/documents/ledger-service/findings?revision=2', {
      token: as('alice'),
    });
    expect(findings.body.items.every((f: { severity: string }) => f.severity !== 'error')).toBe(true);

    // Request reviews: the draft moves to in-review and says so in its own Status line.
    const slots: Array<[string, Record<string, string[]>]> = [
      ['Technical Review', { users: ['bob'] }],
      ['Architecture Review', { users: ['dan'] }],
      ['Security Review', { groups: ['security'] }],
      ['Approved By', { users: ['erin'] }],
    ];
    for (const [slot, who] of slots) {
      const requested = await api(t.base, 'POST', '/api/v1/documents/ledger-service/review-requests', {
        token: as('alice'),
        body: { slot, ...who },
      });
      expect(requested.status, slot).toBe(201);
    }
    let current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('bob') });
    expect(current.body.document.status).toBe('in-review');
    expect(current.body.markdown).toMatch(/^Status: In Review$/m);
    const rev = () => current.body.document.revision as number;

    // Self-approval and approval outside the roster are refused.
    const self = await api(t.base, 'POST', '/api/v1/documents/ledger-service/verdicts', {
      token: as('alice'),
      body: { slot: 'Technical Review', verdict: 'approved', revision: rev() },
    });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('DD_E_FORBIDDEN');
    const outsider = await api(t.base, 'POST', '/api/v1/documents/ledger-service/verdicts', {
      token: as('bob'),
      body: { slot: 'Security Review', verdict: 'approved', revision: rev() },
    });
    expect(outsider.status).toBe(403);
    expect(outsider.body.detail).toContain('security');

    // Technical and security reviewers approve (two reviewers), architecture too.
    for (const [who, slot] of [
      ['bob', 'Technical Review'],
      ['carol', 'Security Review'],
      ['dan', 'Architecture Review'],
    ] as const) {
      const verdict = await api(t.base, 'POST', '/api/v1/documents/ledger-service/verdicts', {
        token: as(who),
        body: { slot, verdict: 'approved', revision: rev() },
      });
      expect(verdict.status, `${who} ${slot}: ${verdict.text}`).toBe(201);
      current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('alice') });
    }
    expect(current.body.markdown).toContain('Carol Secure — approved');

    // Approved is refused: the open question is unchecked and the final sign-off is missing.
    const early = await api(t.base, 'POST', '/api/v1/documents/ledger-service/transitions', {
      token: as('alice'),
      body: { to: 'approved' },
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('DD_E_TRANSITION_REFUSED');
    expect(early.body.details.reasons.join(' ')).toMatch(/open question/);
    expect(early.body.details.reasons.join(' ')).toMatch(/Approved By/);

    // The author answers the question: an Open Questions change makes the technical and
    // architecture approvals (which cover every section but Security) stale; they re-approve.
    const answered = await api(t.base, 'PUT', '/api/v1/documents/ledger-service', {
      token: as('alice'),
      body: { markdown: current.body.markdown.replace('- [ ] Who is on call', '- [x] Who is on call') },
      headers: { 'if-match': current.headers.get('etag') as string },
    });
    expect(answered.status, answered.text).toBe(200);
    let reviews = await api(t.base, 'GET', '/api/v1/documents/ledger-service/reviews', {
      token: as('alice'),
    });
    const slot = (name: string) => reviews.body.slots.find((s: { name: string }) => s.name === name);
    expect(slot('Technical Review').verdicts[0]).toMatchObject({ user: 'bob', stale: true });
    expect(slot('Security Review').verdicts[0]).toMatchObject({ user: 'carol', stale: false });
    for (const [who, name] of [
      ['bob', 'Technical Review'],
      ['dan', 'Architecture Review'],
    ] as const) {
      current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as(who) });
      expect(
        (
          await api(t.base, 'POST', '/api/v1/documents/ledger-service/verdicts', {
            token: as(who),
            body: { slot: name, verdict: 'approved', revision: rev() },
          })
        ).status,
      ).toBe(201);
    }

    // A Security edit makes the security approval stale, and only that one.
    current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('alice') });
    const text = editSecurity(current.body.markdown, 'Ledger exports are signed with the KMS key.');
    const securityEdit = await api(t.base, 'PUT', '/api/v1/documents/ledger-service', {
      token: as('alice'),
      body: { markdown: text },
      headers: { 'if-match': current.headers.get('etag') as string },
    });
    expect(securityEdit.status, securityEdit.text).toBe(200);
    reviews = await api(t.base, 'GET', '/api/v1/documents/ledger-service/reviews', { token: as('alice') });
    expect(slot('Security Review').verdicts[0]).toMatchObject({ user: 'carol', stale: true });
    expect(slot('Security Review').approved).toBe(false);
    expect(slot('Technical Review').verdicts[0]).toMatchObject({ user: 'bob', stale: false });
    expect(slot('Technical Review').approved).toBe(true);
    const refused = await api(t.base, 'POST', '/api/v1/documents/ledger-service/transitions', {
      token: as('alice'),
      body: { to: 'approved' },
    });
    expect(refused.body.details.reasons.join(' ')).toMatch(
      /Security Review: the approval by carol \(rev \d+\) is stale/,
    );

    // An approval bound to the old revision is refused for the changed slot.
    const staleVerdict = await api(t.base, 'POST', '/api/v1/documents/ledger-service/verdicts', {
      token: as('carol'),
      body: { slot: 'Security Review', verdict: 'approved', revision: rev() },
    });
    expect(staleVerdict.status).toBe(412);

    // Re-approve on the current revision; the approver signs off; approved goes through.
    current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('carol') });
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents/ledger-service/verdicts', {
          token: as('carol'),
          body: { slot: 'Security Review', verdict: 'approved', revision: rev() },
        })
      ).status,
    ).toBe(201);
    current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('erin') });
    const signOff = await api(t.base, 'POST', '/api/v1/documents/ledger-service/verdicts', {
      token: as('erin'),
      body: { slot: 'Approved By', verdict: 'approved', revision: rev() },
    });
    expect(signOff.status, signOff.text).toBe(201);
    const approved = await api(t.base, 'POST', '/api/v1/documents/ledger-service/transitions', {
      token: as('alice'),
      body: { to: 'approved', reason: 'all slots approved' },
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.document.status).toBe('approved');

    // The markdown is the record: Status and every approval (name, date, revision) are in it.
    current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('bob') });
    const doc = parse(current.body.markdown);
    expect(doc.status?.lifecycle).toBe('approved');
    const entries = Object.fromEntries(
      doc.approvals.map((s) => [s.name, s.entries.map((e) => [e.name, e.verdict, e.revision !== null])]),
    );
    expect(entries['Technical Review']).toEqual([['Bob Builder', 'approved', true]]);
    expect(entries['Security Review']).toEqual([['Carol Secure', 'approved', true]]);
    expect(entries['Approved By']).toEqual([['Erin Approver', 'approved', true]]);
    const today = new Date().toISOString().slice(0, 10);
    expect(doc.approvals.flatMap((s) => s.entries).every((e) => e.date === today)).toBe(true);

    // Implemented, then superseded by a named successor.
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents/ledger-service/transitions', {
          token: as('alice'),
          body: { to: 'implemented' },
        })
      ).status,
    ).toBe(200);
    const successor = await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: { markdown: filledDocument('Ledger Service v2') },
    });
    expect(successor.status).toBe(201);
    const superseded = await api(t.base, 'POST', '/api/v1/documents/ledger-service/transitions', {
      token: as('alice'),
      body: { to: 'superseded', supersededBy: successor.body.document.id },
    });
    expect(superseded.status, superseded.text).toBe(200);
    expect(superseded.body.document).toMatchObject({
      status: 'superseded',
      supersededBy: 'Ledger Service v2',
    });
    current = await api(t.base, 'GET', '/api/v1/documents/ledger-service', { token: as('bob') });
    expect(current.body.markdown).toMatch(/^Status: Superseded by Ledger Service v2$/m);
    const graph = await api(t.base, 'GET', '/api/v1/documents/ledger-service/links', { token: as('alice') });
    // bob may not see alice's draft successor, so the edge is hidden from him.
    expect(
      (await api(t.base, 'GET', '/api/v1/documents/ledger-service/links', { token: as('bob') })).body.edges,
    ).toEqual([]);
    expect(graph.body.edges).toContainEqual({
      from: successor.body.document.id,
      to: 'ledger-service',
      kind: 'supersedes',
    });

    // Superseded is final.
    const again = await api(t.base, 'POST', '/api/v1/documents/ledger-service/transitions', {
      token: as('alice'),
      body: { to: 'approved' },
    });
    expect(again.status).toBe(409);

    // History: every revision kept; the diff from the filled draft names the Security section.
    const revisions = await api(t.base, 'GET', '/api/v1/documents/ledger-service/revisions', {
      token: as('bob'),
    });
    const numbers = revisions.body.items.map((r: { revision: number }) => r.revision);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    const diff = await api(
      t.base,
      'GET',
      `/api/v1/documents/ledger-service/diff?from=2&to=${numbers.length}`,
      { token: as('bob') },
    );
    expect(diff.body.sections.map((s: { section: string }) => s.section)).toContain('security');
    // Each changed section also carries its heading as written, for the history page.
    expect(diff.body.sections).toContainEqual({ section: 'security', title: 'Security', change: 'changed' });
    expect(diff.body.patch).toContain('+- Ledger exports are signed with the KMS key.');

    // The audit log saw all of it.
    const audit = await api(t.base, 'GET', '/api/v1/admin/audit?limit=200', { token: as('root') });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    for (const action of [
      'document.create',
      'document.revise',
      'review.request',
      'review.approved',
      'document.transition',
    ])
      expect(actions).toContain(action);
  });
});
