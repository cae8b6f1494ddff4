/**
 * Events and webhooks end to end, on every dialect, with a real receiving HTTP server on
 * 127.0.0.1: events written in the same transaction as the change (and gone with it on rollback),
 * every event delivered and signed, two workers never delivering one event twice, a receiver that
 * fails for a while getting everything once it recovers, order per document held throughout,
 * dead letters after the attempt limit, redelivery, and the Slack-compatible payload.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database, EventKind, NewEvent } from '../../src/server/data/index.js';
import { openDatabase } from '../../src/server/data/index.js';
import { newWebhookSecret, verifySignature } from '../../src/server/events/signature.js';
import { startWebhookWorker, type WebhookWorker } from '../../src/server/events/webhook-worker.js';
import { describeEachDialect } from '../server/dialects.js';

interface Received {
  path: string;
  deliveryId: number;
  eventId: string;
  document: string | null;
  status: number;
  signatureValid: boolean;
  body: Record<string, unknown>;
}

interface Receiver {
  url: string;
  received: Received[];
  /** Requests answered 503 while true. */
  failing: boolean;
  close(): Promise<void>;
}

async function startReceiver(secrets: Map<string, string>): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], failing: false, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const secret = secrets.get(path) ?? '';
      const status = receiver.failing ? 503 : 204;
      const parsed = JSON.parse(body);
      receiver.received.push({
        path,
        deliveryId: Number(request.headers['x-designdoc-delivery']),
        eventId: String(request.headers['x-designdoc-event-id']),
        document: parsed.document?.id ?? null,
        status,
        signatureValid: verifySignature(
          secret,
          String(request.headers['x-designdoc-signature']),
          String(request.headers['x-designdoc-timestamp']),
          body,
        ),
        body: parsed,
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const KINDS: EventKind[] = [
  'document.revised',
  'comment.added',
  'review.approved',
  'document.status_changed',
];

describeEachDialect('events and webhooks', (dialect) => {
  let db: Database;
  let second: Database;
  let cleanup: () => Promise<void>;
  let receiver: Receiver;
  let workers: WebhookWorker[] = [];
  const secrets = new Map<string, string>();
  let jsonHook = 0;

  beforeEach(async () => {
    const opened = await dialect.open();
    db = opened.db;
    cleanup = opened.cleanup;
    // A second connection pool stands for a second server process (SQLite: the same one).
    second = dialect.name === 'postgres' ? await openDatabase(opened.options) : db;
    receiver = await startReceiver(secrets);
    const now = new Date().toISOString();
    for (const [path, format] of [
      ['/json', 'json'],
      ['/slack', 'slack'],
    ] as const) {
      const secret = newWebhookSecret();
      secrets.set(path, secret);
      const hook = await db.events.createWebhook({
        url: `${receiver.url}${path}`,
        secret,
        events: ['*'],
        format,
        active: true,
        description: path,
        createdAt: now,
      });
      if (format === 'json') jsonHook = hook.id;
    }
    const options = {
      intervalMs: 10,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      maxAttempts: 6,
      random: () => 0.5,
    };
    workers = [startWebhookWorker({ db, ...options }), startWebhookWorker({ db: second, ...options })];
  });

  afterEach(async () => {
    for (const worker of workers) await worker.stop();
    await receiver.close();
    if (second !== db) await second.close();
    await cleanup();
  });

  /** Creates a document inside a transaction; the repository adds its `document.created` event. */
  async function newDocument(slug: string): Promise<number> {
    const at = new Date().toISOString();
    return db.transaction(async (tx) => {
      const record = await tx.createDocument(
        {
          slug,
          path: null,
          authorId: null,
          labels: [],
          title: slug,
          template: 'design-document',
          docType: null,
          status: 'draft',
          statusRaw: 'Draft',
          score: 0,
          errorCount: 0,
          supersededBy: null,
        },
        {
          text: `# ${slug}\n`,
          sha256: 'x',
          authorId: null,
          message: '',
          sectionHashes: {},
          createdAt: at,
          findings: [],
          extracts: [],
          searchMetadata: '',
        },
      );
      return record.id;
    });
  }

  function event(documentId: number, slug: string, n: number): NewEvent {
    return {
      kind: KINDS[n % KINDS.length] as EventKind,
      documentId,
      documentSlug: slug,
      actor: 'alice',
      data: { title: slug, n },
      createdAt: new Date().toISOString(),
    };
  }

  const successes = (path: string) => receiver.received.filter((r) => r.path === path && r.status === 204);

  function expectOrderedPerDocument(received: Received[]): void {
    const last = new Map<string, number>();
    for (const r of received) {
      const id = Number(r.eventId.slice(4));
      const key = r.document ?? r.eventId;
      expect(id, `${r.eventId} after ${last.get(key)} for ${key}`).toBeGreaterThan(last.get(key) ?? 0);
      last.set(key, id);
    }
  }

  it('writes events in the change’s transaction: a rolled-back change leaves no event', async () => {
    const id = await newDocument('kept');
    const failed = db.transaction(async (tx) => {
      await tx.createDocument(
        {
          slug: 'lost',
          path: null,
          authorId: null,
          labels: [],
          title: 'Lost',
          template: 'design-document',
          docType: null,
          status: 'draft',
          statusRaw: 'Draft',
          score: 0,
          errorCount: 0,
          supersededBy: null,
        },
        {
          text: '# Lost\n',
          sha256: 'y',
          authorId: null,
          message: '',
          sectionHashes: {},
          createdAt: new Date().toISOString(),
          findings: [],
          extracts: [],
          searchMetadata: '',
        },
      );
      throw new Error('the change failed');
    });
    await expect(failed).rejects.toThrow('the change failed');
    expect(await db.getDocumentBySlug('lost')).toBeNull();
    // A revision that changes the status writes both events with it.
    const at = new Date().toISOString();
    const derived = {
      title: 'kept',
      template: 'design-document',
      docType: null,
      status: 'in-review',
      statusRaw: 'In Review',
      score: 0,
      errorCount: 0,
      supersededBy: null,
    };
    await db.appendRevision(id, 1, derived, {
      text: '# kept\n\nMore.\n',
      sha256: 'z',
      authorId: null,
      message: 'Edit',
      sectionHashes: {},
      createdAt: at,
      findings: [],
      extracts: [],
      searchMetadata: '',
    });
    // A losing compare-and-set writes no event.
    expect(
      await db.appendRevision(id, 1, derived, {
        text: '# kept\n\nLate.\n',
        sha256: 'w',
        authorId: null,
        message: 'Late',
        sectionHashes: {},
        createdAt: at,
        findings: [],
        extracts: [],
        searchMetadata: '',
      }),
    ).toBeNull();
    const events = await db.events.listEvents(0, 100);
    expect(events.map((e) => [e.kind, e.documentSlug])).toEqual([
      ['document.created', 'kept'],
      ['document.revised', 'kept'],
      ['document.status_changed', 'kept'],
    ]);
    expect(events[2]?.data).toMatchObject({ from: 'draft', to: 'in-review', revision: 2 });
  });

  it('records verdicts as events: a concern raised, then lifted by the same reviewer’s newer verdict', async () => {
    const id = await newDocument('reviewed');
    const reviewer = await db.createUser({
      username: 'carol',
      displayName: 'Carol',
      email: null,
      passwordHash: null,
      role: 'member',
      createdAt: new Date().toISOString(),
      disabledAt: null,
    });
    const verdict = (kind: 'blocking' | 'approved') =>
      db.addVerdict({
        documentId: id,
        slot: 'Security Review',
        userId: reviewer.id,
        verdict: kind,
        revision: 1,
        comment: kind,
        createdAt: new Date().toISOString(),
      });
    await verdict('blocking');
    await verdict('approved');
    const events = (await db.events.listEvents(0, 100)).filter((e) => e.documentSlug === 'reviewed');
    expect(events.map((e) => [e.kind, e.actor])).toEqual([
      ['document.created', null],
      ['concern.raised', 'carol'],
      ['concern.lifted', 'carol'],
      ['review.approved', 'carol'],
    ]);
  });

  it('delivers every event once, signed and in order per document, with two workers sharing the outbox', async () => {
    const docs = ['alpha', 'beta', 'gamma', 'delta'];
    const ids = await Promise.all(docs.map(newDocument));
    // Concurrent writers, each appending its change's events in its own transaction.
    await Promise.all(
      docs.map(async (slug, i) => {
        for (let n = 0; n < 10; n++)
          await (i % 2 ? second : db).transaction((tx) =>
            tx.appendEvents([event(ids[i] as number, slug, n)]),
          );
      }),
    );
    const total = docs.length * 11;
    await until(
      'every json delivery',
      () => successes('/json').length >= total && successes('/slack').length >= total,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const json = successes('/json');
    expect(json).toHaveLength(total);
    expect(new Set(json.map((r) => r.eventId)).size).toBe(total);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expectOrderedPerDocument(json);
    expectOrderedPerDocument(successes('/slack'));
    expect(json[0]?.body).toMatchObject({
      type: 'document.created',
      actor: null,
      document: { id: expect.any(String) },
      data: { revision: 1 },
    });
    expect(String(successes('/slack')[0]?.body.text)).toMatch(/^designdoc created _\w+_/);
    // Tampering is caught: the signature covers the body.
    const one = json[0] as Received;
    expect(
      verifySignature(
        secrets.get('/json') as string,
        'v1=00',
        String(Math.floor(Date.now() / 1000)),
        JSON.stringify(one.body),
      ),
    ).toBe(false);
  });

  it('gets everything to a receiver that fails for a while, in order, re-sending only what failed', async () => {
    const id = await newDocument('flaky');
    await until('the creation event', () => successes('/json').length === 1);
    receiver.failing = true;
    for (let n = 0; n < 8; n++) await db.transaction((tx) => tx.appendEvents([event(id, 'flaky', n)]));
    await until('failures', () => receiver.received.filter((r) => r.status === 503).length >= 4);
    receiver.failing = false;
    await until('recovery', () => successes('/json').length === 9 && successes('/slack').length === 9);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const json = successes('/json');
    expect(json).toHaveLength(9);
    expectOrderedPerDocument(json);
    // An event is sent again only after a failed attempt of it.
    const failedIds = new Set(receiver.received.filter((r) => r.status === 503).map((r) => r.eventId));
    const counts = new Map<string, number>();
    for (const r of receiver.received.filter((x) => x.path === '/json'))
      counts.set(r.eventId, (counts.get(r.eventId) ?? 0) + 1);
    for (const [eventId, count] of counts) if (count > 1) expect(failedIds.has(eventId), eventId).toBe(true);
    // The delivery log shows the failed attempts.
    const deliveries = await db.events.listDeliveries(jsonHook, 100);
    const retried = deliveries.find((d) => d.attempts > 1);
    expect(retried?.status).toBe('delivered');
    const attempts = await db.events.listAttempts((retried as { id: number }).id);
    expect(attempts.slice(0, -1).every((a) => a.statusCode === 503)).toBe(true);
    expect(attempts.at(-1)?.statusCode).toBe(204);
  });

  it('dead-letters after the attempt limit and redelivers on request', async () => {
    const dead = await db.events.createWebhook({
      url: 'http://127.0.0.1:9/unreachable',
      secret: newWebhookSecret(),
      events: ['comment.added'],
      format: 'json',
      active: true,
      description: 'nobody listens',
      createdAt: new Date().toISOString(),
    });
    const id = await newDocument('lonely');
    await db.transaction((tx) => tx.appendEvents([event(id, 'lonely', 1)]));
    await until(
      'a dead letter',
      async () => (await db.events.listDeliveries(dead.id, 10)).some((d) => d.status === 'dead'),
      20_000,
    );
    const [letter] = await db.events.listDeliveries(dead.id, 10);
    expect(letter?.attempts).toBe(6);
    expect(
      (await db.events.listAttempts((letter as { id: number }).id)).every(
        (a) => a.statusCode === null && a.error !== null,
      ),
    ).toBe(true);
    secrets.set('/revived', dead.secret);
    await db.events.updateWebhook(dead.id, { url: `${receiver.url}/revived` });
    const again = await db.events.redeliver((letter as { id: number }).id, new Date().toISOString());
    expect(again.status).toBe('pending');
    await until(
      'the redelivery',
      async () => (await db.events.getDelivery(again.id))?.status === 'delivered',
    );
    expect(
      receiver.received
        .filter((r) => r.deliveryId === again.id)
        .map((r) => [r.path, r.status, r.signatureValid]),
    ).toEqual([['/revived', 204, true]]);
  });
});
