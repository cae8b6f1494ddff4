/**
 * Reviews beyond the main lifecycle: the final comment period (starts when every slot approves,
 * a blocking concern stops it, it ends by itself), comments anchored to a section and quoted
 * text, threaded and resolvable, and open questions across documents.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { settleFinalCommentPeriods, systemActor } from '../../src/server/services/index.js';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

describeEachDialect('reviews', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  let clock = Date.now();
  beforeAll(async () => {
    t = await startTestServer(
      dialect,
      [
        { username: 'alice', role: 'member' },
        { username: 'bob', role: 'member' },
        { username: 'carol', role: 'member', groups: ['security'] },
        { username: 'erin', role: 'member' },
      ],
      { finalCommentDays: 5 },
    );
    // The service clock is the test's: the final comment period can run out without waiting.
    t.server.ctx.now = () => new Date(clock);
  });
  afterAll(async () => t?.stop());

  async function reviewedDocument(id: string): Promise<void> {
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents', {
          token: as('alice'),
          body: { id, markdown: filledDocument(id) },
        })
      ).status,
    ).toBe(201);
    for (const [slot, users] of [
      ['Technical Review', ['bob']],
      ['Architecture Review', ['bob']],
      ['Security Review', ['carol']],
      ['Approved By', ['erin']],
    ] as const) {
      expect(
        (
          await api(t.base, 'POST', `/api/v1/documents/${id}/review-requests`, {
            token: as('alice'),
            body: { slot, users },
          })
        ).status,
      ).toBe(201);
    }
  }

  async function verdict(id: string, who: string, slot: string, kind = 'approved') {
    const current = await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as(who) });
    return api(t.base, 'POST', `/api/v1/documents/${id}/verdicts`, {
      token: as(who),
      body: { slot, verdict: kind, revision: current.body.document.revision },
    });
  }

  it('runs a final comment period that a blocking concern stops and that ends by itself', async () => {
    await reviewedDocument('fcp-doc');
    for (const [who, slot] of [
      ['bob', 'Technical Review'],
      ['bob', 'Architecture Review'],
      ['carol', 'Security Review'],
      ['erin', 'Approved By'],
    ]) {
      expect((await verdict('fcp-doc', who as string, slot as string)).status).toBe(201);
    }
    let doc = (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.document;
    expect(doc.finalCommentEndsAt).toBe(new Date(clock + 5 * 86_400_000).toISOString());
    const early = await api(t.base, 'POST', '/api/v1/documents/fcp-doc/transitions', {
      token: as('alice'),
      body: { to: 'approved' },
    });
    expect(early.status).toBe(409);
    expect(early.body.details.reasons.join(' ')).toMatch(/final comment period ends/);

    // A blocking concern stops the period; lifting it (a newer verdict) starts a new one.
    expect((await verdict('fcp-doc', 'bob', 'Technical Review', 'blocking')).status).toBe(201);
    doc = (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.document;
    expect(doc.finalCommentEndsAt).toBeNull();
    const blocked = await api(t.base, 'GET', '/api/v1/documents/fcp-doc/reviews', { token: as('alice') });
    expect(blocked.body.blocking).toBe(true);
    expect(
      (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.markdown,
    ).toContain('bob — blocking concern');
    clock += 3_600_000;
    expect((await verdict('fcp-doc', 'bob', 'Technical Review', 'approved')).status).toBe(201);
    doc = (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.document;
    expect(doc.finalCommentEndsAt).toBe(new Date(clock + 5 * 86_400_000).toISOString());

    // Nothing happens before the end; after it the document is approved by the server itself.
    expect(await settleFinalCommentPeriods(t.server.ctx, systemActor())).toEqual([]);
    clock += 5 * 86_400_000 + 1000;
    expect(await settleFinalCommentPeriods(t.server.ctx, systemActor())).toEqual(['fcp-doc']);
    const approved = await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') });
    expect(approved.body.document.status).toBe('approved');
    expect(approved.body.markdown).toMatch(/^Status: Approved$/m);
  });

  it('anchors comments to a section and quoted text, threads replies and resolves threads', async () => {
    await reviewedDocument('commented');
    const sections = await api(t.base, 'GET', '/api/v1/documents/commented/html', { token: as('bob') });
    expect(sections.text).toContain('id="security"');
    const root = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('bob'),
      body: { body: 'Which KMS?', section: 'security', quote: 'AES-256 keys held in the cloud KMS' },
    });
    expect(root.status, root.text).toBe(201);
    const wrongQuote = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('bob'),
      body: { body: 'x', section: 'security', quote: 'not in the text' },
    });
    expect(wrongQuote.status).toBe(400);
    expect(wrongQuote.body.field).toBe('quote');
    const noSection = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('bob'),
      body: { body: 'x', section: 'nowhere' },
    });
    expect(noSection.status).toBe(400);
    const reply = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('alice'),
      body: { body: 'The platform one.', parentId: root.body.id },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.section).toBe('security');
    const resolved = await api(
      t.base,
      'POST',
      `/api/v1/documents/commented/comments/${root.body.id}/resolve`,
      { token: as('alice') },
    );
    expect(resolved.status).toBe(204);
    const threads = await api(t.base, 'GET', '/api/v1/documents/commented/comments', { token: as('carol') });
    expect(threads.body.items).toHaveLength(1);
    expect(threads.body.items[0]).toMatchObject({
      author: 'bob',
      section: 'security',
      resolved: true,
      resolvedBy: 'alice',
    });
    expect(threads.body.items[0].replies.map((r: { body: string }) => r.body)).toEqual(['The platform one.']);
  });

  it('lists open questions across documents with their age', async () => {
    await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: {
        id: 'questions',
        markdown: filledDocument('Questions', 'In Review').replace(
          '- [x] Who is on call',
          '- [ ] Who is on call',
        ),
      },
    });
    clock += 3 * 86_400_000;
    const open = await api(t.base, 'GET', '/api/v1/open-questions', { token: as('bob') });
    const mine = open.body.items.filter((q: { document: string }) => q.document === 'questions');
    expect(mine).toHaveLength(1);
    expect(mine[0].question).toContain('Who is on call');
    expect(mine[0].ageDays).toBeGreaterThanOrEqual(3);
  });
});
