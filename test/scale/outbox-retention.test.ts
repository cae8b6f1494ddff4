/**
 * Retention of the outbox and the webhook delivery log, on every dialect: what goes (delivered
 * deliveries and their attempts past the period, dead letters past the longer period or once
 * redelivered, dispatched events nothing refers to) and what stays (pending deliveries, recent
 * ones, undispatched events); batches; several instances pruning at once; pruning that runs flat
 * out beside live workers never costs a delivery; and the settings that configure it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DesignDocError } from '../../src/core/errors.js';
import type { Database, EventKind, NewEvent } from '../../src/server/data/index.js';
import { openDatabase } from '../../src/server/data/index.js';
import { pruneOutbox } from '../../src/server/events/outbox-retention.js';
import { newWebhookSecret } from '../../src/server/events/signature.js';
import { startWebhookWorker } from '../../src/server/events/webhook-worker.js';
import { loadServerConfig } from '../../src/server/index.js';
import { describeEachDialect } from '../server/dialects.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const RETENTION = { retentionDays: 14, deadRetentionDays: 90, now: () => NOW };

function event(n: number, kind: EventKind = 'document.revised', documentId: number | null = n): NewEvent {
  return {
    kind,
    documentId,
    documentSlug: documentId === null ? null : `doc-${documentId}`,
    actor: 'alice',
    data: { n },
    createdAt: daysAgo(100),
  };
}

const ok = (at: string) => ({ at, ok: true, statusCode: 204, error: null, durationMs: 3, retryAt: null });
const failed = (at: string, retryAt: string | null) => ({
  at,
  ok: false,
  statusCode: 503,
  error: 'HTTP 503',
  durationMs: 3,
  retryAt,
});

describeEachDialect('outbox retention', (dialect) => {
  let db: Database;
  let options: Awaited<ReturnType<typeof dialect.open>>['options'];
  let cleanup: () => Promise<void>;
  let webhookId = 0;
  beforeEach(async () => {
    const opened = await dialect.open();
    db = opened.db;
    options = opened.options;
    cleanup = opened.cleanup;
  });
  afterEach(async () => cleanup());

  async function webhook(url: string, events: string[] = ['*']): Promise<number> {
    return (
      await db.events.createWebhook({
        url,
        secret: newWebhookSecret(),
        events,
        format: 'json',
        active: true,
        description: '',
        createdAt: daysAgo(200),
      })
    ).id;
  }

  /** Delivery ids by event id (one webhook). */
  async function deliveriesByEvent(): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    for (const d of (await db.events.listDeliveries(webhookId, 10_000)).reverse())
      out.set(d.eventId, [...(out.get(d.eventId) ?? []), d.id]);
    return out;
  }

  const eventIds = async () => (await db.events.listEvents(0, 10_000)).map((e) => e.data.n);

  it('deletes what is past its period and keeps everything still owed or recent', async () => {
    // Every kind but comment.added: those events are dispatched to no one.
    webhookId = await webhook('http://127.0.0.1:9/hook', ['document.revised']);
    await db.appendEvents([1, 2, 3, 4, 5, 6, 7].map((n) => event(n)));
    await db.appendEvents([event(9, 'comment.added')]);
    await db.events.fanOut(daysAgo(100), 500);
    await db.appendEvents([event(10, 'comment.added')]);
    await db.events.fanOut(daysAgo(1), 500);
    // Written long ago, never dispatched (no worker ran since): owed, whatever its age.
    await db.appendEvents([event(8)]);

    const ids = [...(await db.events.listEvents(0, 100))].map((e) => e.id);
    const byEvent = await deliveriesByEvent();
    const delivery = (n: number) => (byEvent.get(ids[n - 1] as number) as number[])[0] as number;
    await db.events.completeAttempt(delivery(1), ok(daysAgo(40))); // delivered long ago: goes
    await db.events.completeAttempt(delivery(2), ok(daysAgo(1))); // delivered lately: stays
    await db.events.completeAttempt(delivery(3), failed(daysAgo(40), daysAgo(-1))); // still pending: stays
    await db.events.completeAttempt(delivery(4), failed(daysAgo(20), null)); // dead, within 90 days: stays
    await db.events.completeAttempt(delivery(5), failed(daysAgo(20), null)); // dead, redelivered, delivered: go
    const again5 = await db.events.redeliver(delivery(5), daysAgo(20));
    await db.events.completeAttempt(again5.id, ok(daysAgo(20)));
    await db.events.completeAttempt(delivery(6), failed(daysAgo(100), null)); // dead past 90 days: goes
    await db.events.completeAttempt(delivery(7), failed(daysAgo(20), null)); // dead, redelivery pending
    const again7 = await db.events.redeliver(delivery(7), daysAgo(2));

    // Small batches: the run takes several and stops by itself.
    const totals = await pruneOutbox(db, { ...RETENTION, batchSize: 2 });
    expect(totals).toMatchObject({ deliveries: 5, attempts: 5, events: 4, skipped: false });
    expect(totals.batches).toBeGreaterThan(1);

    const left = await deliveriesByEvent();
    expect([...left.values()].flat().sort((a, b) => a - b)).toEqual(
      [delivery(2), delivery(3), delivery(4), again7.id].sort((a, b) => a - b),
    );
    expect(await db.events.listAttempts(delivery(3))).toHaveLength(1);
    expect(await db.events.listAttempts(delivery(1))).toEqual([]);
    // 1, 5 and 6 had only finished deliveries; 9 went to no one long ago. 10 is recent, 8 owed.
    expect((await eventIds()).sort((a, b) => Number(a) - Number(b))).toEqual([2, 3, 4, 7, 8, 10]);
    expect((await db.events.getDelivery(again7.id))?.status).toBe('pending');

    // Nothing more to do; a second run deletes nothing.
    expect(await pruneOutbox(db, RETENTION)).toMatchObject({ deliveries: 0, events: 0 });
    // Retention 0 keeps everything; dead retention 0 keeps dead letters until redelivered.
    expect(
      await pruneOutbox(db, { ...RETENTION, retentionDays: 0, now: () => new Date('2030-01-01') }),
    ).toMatchObject({ deliveries: 0, events: 0, batches: 0 });
    await pruneOutbox(db, { ...RETENTION, deadRetentionDays: 0, now: () => new Date('2030-01-01') });
    expect((await db.events.getDelivery(delivery(4)))?.status).toBe('dead');
    expect(await db.events.getDelivery(delivery(2))).toBeNull();
  });

  it('is harmless when several instances prune at once', async () => {
    webhookId = await webhook('http://127.0.0.1:9/hook');
    const count = 240;
    await db.appendEvents(
      Array.from({ length: count }, (_, i) => event(i + 1, 'document.revised', (i % 12) + 1)),
    );
    await db.appendEvents([event(1000)]);
    await db.events.fanOut(daysAgo(60), 1000);
    const all = await db.events.listDeliveries(webhookId, 10_000);
    const pending = all.find((d) => d.eventId === Math.max(...all.map((x) => x.eventId))) as { id: number };
    for (const d of all) if (d.id !== pending.id) await db.events.completeAttempt(d.id, ok(daysAgo(30)));
    // Separate pools stand for separate server processes (SQLite: one process, one database).
    const others =
      dialect.name === 'postgres' ? [await openDatabase(options), await openDatabase(options)] : [];
    try {
      const runs = await Promise.all(
        [db, ...others, db].map((instance) => pruneOutbox(instance, { ...RETENTION, batchSize: 25 })),
      );
      expect(runs.reduce((sum, r) => sum + r.deliveries, 0)).toBe(count);
      expect(runs.reduce((sum, r) => sum + r.events, 0)).toBe(count);
      expect(runs.reduce((sum, r) => sum + r.attempts, 0)).toBe(count);
      expect((await db.events.listDeliveries(webhookId, 10_000)).map((d) => d.id)).toEqual([pending.id]);
      expect(await eventIds()).toEqual([1000]);
    } finally {
      for (const other of others) await other.close();
    }
  });

  it('never costs a delivery while it runs flat out beside live workers', async () => {
    const received: string[] = [];
    let failing = true;
    const server: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (!failing) received.push(String(request.headers['x-designdoc-event-id']));
        response.writeHead(failing ? 503 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    webhookId = await webhook(`${url}/hook`);
    const second = dialect.name === 'postgres' ? await openDatabase(options) : db;
    // Enough attempts that the outage never dead-letters anything.
    const workerOptions = {
      intervalMs: 5,
      backoffBaseMs: 20,
      backoffMaxMs: 100,
      maxAttempts: 200,
      random: () => 0.5,
    };
    const workers = [
      startWebhookWorker({ db, ...workerOptions }),
      startWebhookWorker({ db: second, ...workerOptions }),
    ];
    // A clock a year ahead: every finished row is past its period the moment it finishes.
    const ahead = {
      retentionDays: 1,
      deadRetentionDays: 1,
      now: () => new Date(Date.now() + 365 * 86_400_000),
    };
    let pruning = true;
    const pruners = [db, second].map(async (instance) => {
      let deleted = 0;
      while (pruning) {
        deleted += (await pruneOutbox(instance, { ...ahead, batchSize: 10 })).events;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return deleted;
    });
    try {
      const total = 120;
      for (let i = 0; i < total; i++) {
        await db.appendEvents([
          { ...event(i + 1, 'document.revised', (i % 6) + 1), createdAt: new Date().toISOString() },
        ]);
        // Half-way the receiver recovers from an outage: retried deliveries and new ones mix.
        if (i === total / 2) failing = false;
      }
      const deadline = Date.now() + 60_000;
      while (new Set(received).size < total && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(new Set(received).size).toBe(total);
      // At least once, and only again after a failure: here nothing failed after the recovery.
      expect(received).toHaveLength(total);
      pruning = false;
      const deleted = (await Promise.all(pruners)).reduce((sum, n) => sum + n, 0);
      expect(deleted).toBeGreaterThan(0);
      // Everything owed was delivered (the workers finish recording it); a last run empties the outbox.
      for (const worker of workers) await worker.stop();
      await pruneOutbox(db, ahead);
      expect(await db.events.listDeliveries(webhookId, 10_000)).toEqual([]);
      expect(await db.events.listEvents(0, 10_000)).toEqual([]);
    } finally {
      pruning = false;
      await Promise.all(pruners).catch(() => undefined);
      for (const worker of workers) await worker.stop();
      if (second !== db) await second.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('outbox retention settings', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'designdoc-retention-config-'));
  const load = (flags: Record<string, string>, env: Record<string, string> = {}) =>
    loadServerConfig({ flags, env, cwd, configFile: null });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('defaults to 14 days, dead letters 90, and reads flags and DESIGNDOC_* variables', () => {
    expect(load({})).toMatchObject({ webhookRetentionDays: 14, webhookDeadRetentionDays: 90 });
    expect(
      load({ 'webhook-retention-days': '7' }, { DESIGNDOC_WEBHOOK_DEAD_RETENTION_DAYS: '30' }),
    ).toMatchObject({ webhookRetentionDays: 7, webhookDeadRetentionDays: 30 });
    expect(load({}, { DESIGNDOC_WEBHOOK_RETENTION_DAYS: '0' })).toMatchObject({ webhookRetentionDays: 0 });
  });

  it('refuses dead letters kept shorter than delivered rows, naming the settings', () => {
    let error: unknown;
    try {
      load({ 'webhook-retention-days': '30', 'webhook-dead-retention-days': '10' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DesignDocError);
    expect((error as DesignDocError).code).toBe('DD_E_CONFIG_INVALID');
    expect((error as DesignDocError).message).toMatch(
      /webhookDeadRetentionDays \(10\).*webhookRetentionDays \(30\)/,
    );
    expect(() => load({ 'webhook-retention-days': 'soon' })).toThrow(
      /webhookRetentionDays must be a whole number/,
    );
  });
});
