/**
 * The webhooks API through the real server, on every dialect: admins create a webhook (its secret
 * shown once), list it without the secret, read the delivery log with every attempt, redeliver,
 * change and delete it; members cannot; bad input is a 400 naming the field.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifySignature } from '../../src/server/events/signature.js';
import { describeEachDialect } from '../server/dialects.js';
import { filledDocument } from '../server/fixtures.js';
import { api, startTestServer, type TestServer } from '../server/harness.js';

describeEachDialect('webhooks API', (dialect) => {
  let t: TestServer;
  let receiver: Server;
  let hookUrl = '';
  const received: Array<{
    delivery: number;
    type: string;
    signature: string;
    timestamp: string;
    body: string;
  }> = [];
  const as = (who: string) => t.tokens[who] as string;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({
          delivery: Number(request.headers['x-designdoc-delivery']),
          type: String(request.headers['x-designdoc-event']),
          signature: String(request.headers['x-designdoc-signature']),
          timestamp: String(request.headers['x-designdoc-timestamp']),
          body,
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    t = await startTestServer(dialect, [
      { username: 'root', role: 'admin' },
      { username: 'alice', role: 'member' },
    ]);
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('creates, lists, logs, redelivers, changes and deletes webhooks (admin only)', async () => {
    expect(
      (await api(t.base, 'POST', '/api/v1/webhooks', { token: as('alice'), body: { url: hookUrl } })).status,
    ).toBe(403);
    const bad = await api(t.base, 'POST', '/api/v1/webhooks', {
      token: as('root'),
      body: { url: hookUrl, events: ['document.exploded'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('document.exploded');
    expect(
      (
        await api(t.base, 'POST', '/api/v1/webhooks', {
          token: as('root'),
          body: { url: 'ftp://example.com/x' },
        })
      ).status,
    ).toBe(400);

    const created = await api(t.base, 'POST', '/api/v1/webhooks', {
      token: as('root'),
      body: { url: hookUrl, events: ['document.created', 'document.revised'], description: 'CI' },
    });
    expect(created.status, created.text).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const id = created.body.webhook.id as number;
    const listed = await api(t.base, 'GET', '/api/v1/webhooks', { token: as('root') });
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id,
        url: hookUrl,
        events: ['document.created', 'document.revised'],
        format: 'json',
        active: true,
      }),
    ]);
    expect(listed.text).not.toContain(secret);

    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents', {
          token: as('alice'),
          body: { markdown: filledDocument('Logged'), id: 'logged' },
        })
      ).status,
    ).toBe(201);
    const deadline = Date.now() + 20_000;
    while (received.length < 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.map((r) => r.type)).toEqual(['document.created']);
    expect(verifySignature(secret, received[0]!.signature, received[0]!.timestamp, received[0]!.body)).toBe(
      true,
    );

    // The receiver has the request before the server has recorded its answer: wait for the record.
    let log = await api(t.base, 'GET', `/api/v1/webhooks/${id}/deliveries`, { token: as('root') });
    while (log.body.items?.[0]?.status === 'pending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      log = await api(t.base, 'GET', `/api/v1/webhooks/${id}/deliveries`, { token: as('root') });
    }
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
    expect(log.body.items[0].attemptLog).toEqual([expect.objectContaining({ statusCode: 204, error: null })]);

    const again = await api(t.base, 'POST', `/api/v1/webhooks/deliveries/${log.body.items[0].id}/redeliver`, {
      token: as('root'),
    });
    expect(again.status).toBe(202);
    while (received.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.map((r) => r.type)).toEqual(['document.created', 'document.created']);
    expect(received[1]!.delivery).toBe(again.body.delivery.id);
    expect(
      (await api(t.base, 'POST', '/api/v1/webhooks/deliveries/999999/redeliver', { token: as('root') }))
        .status,
    ).toBe(404);

    const paused = await api(t.base, 'PATCH', `/api/v1/webhooks/${id}`, {
      token: as('root'),
      body: { active: false },
    });
    expect(paused.body).toMatchObject({ id, active: false });
    expect((await api(t.base, 'DELETE', `/api/v1/webhooks/${id}`, { token: as('root') })).status).toBe(204);
    expect((await api(t.base, 'GET', '/api/v1/webhooks', { token: as('root') })).body.items).toEqual([]);
  });
});
