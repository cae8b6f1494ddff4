/**
 * What keeps a document from being approved, each on its own through a real server: an
 * error-severity lint finding, an unresolved blocking concern, and an author approving their own
 * document. Each refusal names its reason and writes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

const SLOTS = [
  ['Technical Review', 'bob'],
  ['Architecture Review', 'dan'],
  ['Security Review', 'carol'],
  ['Approved By', 'erin'],
] as const;

describeEachDialect('approval refusals', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member' },
      { username: 'bob', role: 'member' },
      { username: 'carol', role: 'member', groups: ['security'] },
      { username: 'dan', role: 'member' },
      { username: 'erin', role: 'member' },
    ]);
  });
  afterAll(async () => t?.stop());

  async function inReview(id: string, markdown: string): Promise<void> {
    const created = await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: { id, markdown },
    });
    expect(created.status, created.text).toBe(201);
    for (const [slot, user] of SLOTS) {
      const requested = await api(t.base, 'POST', `/api/v1/documents/${id}/review-requests`, {
        token: as('alice'),
        body: { slot, users: [user] },
      });
      expect(requested.status, requested.text).toBe(201);
    }
  }

  async function verdict(id: string, who: string, slot: string, kind: string) {
    const current = await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as(who) });
    return api(t.base, 'POST', `/api/v1/documents/${id}/verdicts`, {
      token: as(who),
      body: { slot, verdict: kind, revision: current.body.document.revision },
    });
  }

  /** Asks for approval; expects the refusal and that nothing was written. */
  async function refusedApproval(id: string): Promise<string[]> {
    const before = await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as('alice') });
    const refused = await api(t.base, 'POST', `/api/v1/documents/${id}/transitions`, {
      token: as('alice'),
      body: { to: 'approved' },
    });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.code).toBe('DD_E_TRANSITION_REFUSED');
    const after = await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as('alice') });
    expect(after.body.document.status).toBe('in-review');
    expect(after.body.document.revision).toBe(before.body.document.revision);
    expect(after.body.markdown).toBe(before.body.markdown);
    return refused.body.details.reasons;
  }

  it('refuses approval while an error-severity finding stands, even with every slot approved', async () => {
    await inReview('bad-version', filledDocument('Bad Version').replace(/^Version: .*$/m, 'Version: soon'));
    const findings = await api(t.base, 'GET', '/api/v1/documents/bad-version/findings', {
      token: as('alice'),
    });
    const errors = findings.body.items.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors.length, findings.text).toBe(1);
    for (const [slot, user] of SLOTS)
      expect((await verdict('bad-version', user, slot, 'approved')).status).toBe(201);

    const reasons = await refusedApproval('bad-version');
    expect(reasons).toEqual([
      `1 error finding(s), first at line ${errors[0].line}: ${errors[0].message} [${errors[0].ruleId}]`,
    ]);
  });

  it('refuses approval while a blocking concern is unresolved, and the final sign-off with it', async () => {
    await inReview('blocked', filledDocument('Blocked'));
    expect((await verdict('blocked', 'bob', 'Technical Review', 'blocking')).status).toBe(201);
    expect((await verdict('blocked', 'dan', 'Architecture Review', 'approved')).status).toBe(201);
    expect((await verdict('blocked', 'carol', 'Security Review', 'approved')).status).toBe(201);
    const signOff = await verdict('blocked', 'erin', 'Approved By', 'approved');
    expect(signOff.status, signOff.text).toBe(409);
    expect(signOff.body.detail).toBe('The final sign-off waits for: Technical Review.');

    const reasons = await refusedApproval('blocked');
    expect(reasons).toEqual([
      'Technical Review: unresolved blocking concern from bob.',
      'Approved By: not approved on the current revision.',
    ]);
    // Lifting the concern (a newer verdict) clears that reason; the sign-off is still missing.
    expect((await verdict('blocked', 'bob', 'Technical Review', 'approved')).status).toBe(201);
    expect(await refusedApproval('blocked')).toEqual(['Approved By: not approved on the current revision.']);
    expect((await verdict('blocked', 'erin', 'Approved By', 'approved')).status).toBe(201);
    const approved = await api(t.base, 'POST', '/api/v1/documents/blocked/transitions', {
      token: as('alice'),
      body: { to: 'approved' },
    });
    expect(approved.status, approved.text).toBe(200);
  });

  it('refuses an author any verdict on their own document, naming why, and records nothing', async () => {
    await inReview('own', filledDocument('Own'));
    for (const kind of ['approved', 'changes-requested', 'blocking']) {
      const own = await verdict('own', 'alice', 'Technical Review', kind);
      expect(own.status, own.text).toBe(403);
      expect(own.body.code).toBe('DD_E_FORBIDDEN');
      expect(own.body.detail).toBe('Authors cannot approve or review their own document.');
    }
    const reviews = await api(t.base, 'GET', '/api/v1/documents/own/reviews', { token: as('alice') });
    for (const slot of reviews.body.slots) expect(slot.verdicts, slot.name).toEqual([]);
  });
});
