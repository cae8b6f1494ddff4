/**
 * Events from the real server, on every dialect: changes made through the HTTP API reach a
 * webhook receiver on 127.0.0.1, signed, in the order they happened — the server's own worker
 * delivers them; nothing but the API call and the webhook row is set up by hand.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newWebhookSecret, verifySignature } from '../../src/server/events/signature.js';
import { describeEachDialect } from '../server/dialects.js';
import { filledDocument } from '../server/fixtures.js';
import { api, startTestServer, type TestServer } from '../server/harness.js';

describeEachDialect('webhooks from the running server', (dialect) => {
  let t: TestServer;
  let receiver: Server;
  const secret = newWebhookSecret();
  const received: Array<{
    type: string;
    actor: string | null;
    document: string | null;
    data: Record<string, unknown>;
    valid: boolean;
  }> = [];
  const as = (who: string) => t.tokens[who] as string;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const parsed = JSON.parse(body);
        received.push({
          type: parsed.type,
          actor: parsed.actor,
          document: parsed.document?.id ?? null,
          data: parsed.data,
          valid: verifySignature(
            secret,
            String(request.headers['x-designdoc-signature']),
            String(request.headers['x-designdoc-timestamp']),
            body,
          ),
        });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member' },
      { username: 'bob', role: 'member' },
    ]);
    await t.server.ctx.db.events.createWebhook({
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      secret,
      events: ['*'],
      format: 'json',
      active: true,
      description: 'test',
      createdAt: new Date().toISOString(),
    });
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('delivers created, revised, review requested, status changed, approved, comment added and approval stale, in order', async () => {
    const markdown = filledDocument('Hooked Service');
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents', {
          token: as('alice'),
          body: { markdown, id: 'hooked' },
        })
      ).status,
    ).toBe(201);
    const edited = markdown.replace('## Problem Statement', 'One more sentence.\n\n## Problem Statement');
    expect(
      (
        await api(t.base, 'PUT', '/api/v1/documents/hooked', {
          token: as('alice'),
          body: { markdown: edited },
          headers: { 'if-match': '"1"' },
        })
      ).status,
    ).toBe(200);
    const requested = await api(t.base, 'POST', '/api/v1/documents/hooked/review-requests', {
      token: as('alice'),
      body: { slot: 'Technical Review', users: ['bob'] },
    });
    expect(requested.status, requested.text).toBe(201);
    const current = await api(t.base, 'GET', '/api/v1/documents/hooked', { token: as('bob') });
    const verdict = await api(t.base, 'POST', '/api/v1/documents/hooked/verdicts', {
      token: as('bob'),
      body: { slot: 'Technical Review', verdict: 'approved', revision: current.body.document.revision },
    });
    expect(verdict.status, verdict.text).toBe(201);
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents/hooked/comments', {
          token: as('bob'),
          body: { body: 'Looks good.' },
        })
      ).status,
    ).toBe(201);
    // An edit to the sections the Technical Review covers makes bob's approval stale.
    const approved = await api(t.base, 'GET', '/api/v1/documents/hooked', { token: as('alice') });
    const staleEdit = approved.body.markdown.replace(
      '## Problem Statement',
      'A change bob has not read.\n\n## Problem Statement',
    );
    expect(
      (
        await api(t.base, 'PUT', '/api/v1/documents/hooked', {
          token: as('alice'),
          body: { markdown: staleEdit },
          headers: { 'if-match': approved.headers.get('etag') as string },
        })
      ).status,
    ).toBe(200);

    const deadline = Date.now() + 20_000;
    while (!received.some((r) => r.type === 'approval.stale') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const types = received.map((r) => r.type);
    for (const wanted of [
      'document.created',
      'document.revised',
      'review.requested',
      'document.status_changed',
      'review.approved',
      'comment.added',
      'approval.stale',
    ]) {
      expect(types, wanted).toContain(wanted);
    }
    // In the order they happened; each once; every one signed.
    expect(types.indexOf('document.created')).toBeLessThan(types.indexOf('document.revised'));
    expect(types.indexOf('review.requested')).toBeLessThan(types.indexOf('review.approved'));
    expect(types.indexOf('review.approved')).toBeLessThan(types.indexOf('comment.added'));
    expect(types.filter((x) => x === 'comment.added')).toHaveLength(1);
    expect(received.every((r) => r.valid && r.document === 'hooked')).toBe(true);
    expect(received.find((r) => r.type === 'review.approved')).toMatchObject({
      actor: 'bob',
      data: { slot: 'Technical Review' },
    });
    expect(received.find((r) => r.type === 'document.status_changed')?.data).toMatchObject({
      from: 'draft',
      to: 'in-review',
    });
    expect(received.find((r) => r.type === 'approval.stale')).toMatchObject({
      actor: 'alice',
      data: { slot: 'Technical Review', reviewer: 'bob' },
    });
  });
});
