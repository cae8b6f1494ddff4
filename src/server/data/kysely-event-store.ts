/**
 * The outbox in portable Kysely queries. The engines differ in two places, both behind the
 * `multiInstance` capability: on PostgreSQL claims use `FOR UPDATE SKIP LOCKED` so several workers
 * share the outbox without taking the same delivery, one advisory lock lets one worker fan out at
 * a time, and events of one document are serialised per transaction so their ids follow commit
 * order. SQLite has one writer, which gives all three for free.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { DesignDocError } from '../../core/errors.js';
import type { DialectCapabilities } from './database.js';
import type { EventTables } from './event-tables.js';
import type { Tables } from './schema.js';
import type {
  AttemptOutcome,
  AttemptRecord,
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryStatus,
  EventKind,
  EventRecord,
  EventStore,
  NewEvent,
  PruneCutoffs,
  PruneResult,
  WebhookFormat,
  WebhookRecord,
} from './events.js';

type Db = Kysely<EventTables>;

const FAN_OUT_LOCK = 727275;
/** Advisory lock key of the retention task (FAN_OUT_LOCK + 1 is taken, per document, by appends). */
const PRUNE_LOCK = 727277;

function toEvent(row: Selectable<EventTables['events']>): EventRecord {
  return {
    id: Number(row.id),
    kind: row.kind as EventKind,
    documentId: row.document_id,
    documentSlug: row.document_slug,
    actor: row.actor,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

function toWebhook(row: Selectable<EventTables['webhooks']>): WebhookRecord {
  return {
    id: Number(row.id),
    url: row.url,
    secret: row.secret,
    events: row.events.split(',').filter((e) => e !== ''),
    format: row.format as WebhookFormat,
    active: row.active === 1,
    description: row.description,
    createdAt: row.created_at,
  };
}

function toDelivery(row: Selectable<EventTables['webhook_deliveries']>): DeliveryRecord {
  return {
    id: Number(row.id),
    webhookId: row.webhook_id,
    eventId: row.event_id,
    orderingKey: row.ordering_key,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lockedUntil: row.locked_until,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

function wants(webhook: WebhookRecord, kind: string): boolean {
  return webhook.events.includes('*') || webhook.events.includes(kind);
}

/** Runs `work` in a transaction, or inside the caller's when `db` already is one. */
function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** Appends events on `db` (the caller's transaction when it is one). */
export async function appendEventRows(
  db: Kysely<Tables>,
  capabilities: DialectCapabilities,
  events: readonly NewEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const trx = db as unknown as Db;
  if (capabilities.multiInstance && trx.isTransaction) {
    // Ids are drawn inside the per-document lock, so a document's events are numbered in commit order.
    const documents = [
      ...new Set(events.map((e) => e.documentId).filter((id): id is number => id !== null)),
    ].sort((a, b) => a - b);
    for (const id of documents)
      await sql`select pg_advisory_xact_lock(${FAN_OUT_LOCK + 1}, ${id})`.execute(trx);
  }
  await trx
    .insertInto('events')
    .values(
      events.map((e) => ({
        kind: e.kind,
        document_id: e.documentId,
        document_slug: e.documentSlug,
        actor: e.actor,
        data: JSON.stringify(e.data),
        created_at: e.createdAt,
        dispatched_at: null,
      })) as never,
    )
    .execute();
}

/** The `EventStore` over one Kysely instance of either dialect. */
export class KyselyEventStore implements EventStore {
  private readonly db: Db;

  constructor(
    db: Kysely<Tables>,
    private readonly capabilities: DialectCapabilities,
  ) {
    this.db = db as unknown as Db;
  }

  async listEvents(afterId: number, limit: number): Promise<EventRecord[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toEvent);
  }

  async createWebhook(webhook: Omit<WebhookRecord, 'id'>): Promise<WebhookRecord> {
    const row = await this.db
      .insertInto('webhooks')
      .values({
        url: webhook.url,
        secret: webhook.secret,
        events: webhook.events.join(','),
        format: webhook.format,
        active: webhook.active ? 1 : 0,
        description: webhook.description,
        created_at: webhook.createdAt,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...webhook, id: Number(row.id) };
  }

  async getWebhook(id: number): Promise<WebhookRecord | null> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toWebhook(row) : null;
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('id').execute()).map(toWebhook);
  }

  async updateWebhook(
    id: number,
    patch: Partial<Pick<WebhookRecord, 'url' | 'events' | 'format' | 'active' | 'description'>>,
  ): Promise<void> {
    const columns: Record<string, unknown> = {};
    if (patch.url !== undefined) columns.url = patch.url;
    if (patch.events !== undefined) columns.events = patch.events.join(',');
    if (patch.format !== undefined) columns.format = patch.format;
    if (patch.active !== undefined) columns.active = patch.active ? 1 : 0;
    if (patch.description !== undefined) columns.description = patch.description;
    if (Object.keys(columns).length > 0)
      await this.db.updateTable('webhooks').set(columns).where('id', '=', id).execute();
  }

  async deleteWebhook(id: number): Promise<void> {
    await this.db.deleteFrom('webhooks').where('id', '=', id).execute();
  }

  async fanOut(now: string, limit: number): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      if (this.capabilities.multiInstance) {
        // Fan-out order is delivery order: one worker at a time; the others skip this round.
        const got = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_xact_lock(${FAN_OUT_LOCK}) as locked`.execute(trx);
        if (!got.rows[0]?.locked) return 0;
      }
      const events = (
        await trx
          .selectFrom('events')
          .selectAll()
          .where('dispatched_at', 'is', null)
          .orderBy('id')
          .limit(limit)
          .execute()
      ).map(toEvent);
      if (events.length === 0) return 0;
      const webhooks = (
        await trx.selectFrom('webhooks').selectAll().where('active', '=', 1).orderBy('id').execute()
      ).map(toWebhook);
      const deliveries = events.flatMap((event) =>
        webhooks
          .filter((w) => wants(w, event.kind))
          .map((w) =>
            pendingDeliveryRow(
              w.id,
              event.id,
              event.documentId === null ? `event:${event.id}` : `document:${event.documentId}`,
              now,
            ),
          ),
      );
      for (let i = 0; i < deliveries.length; i += 200) {
        await trx
          .insertInto('webhook_deliveries')
          .values(deliveries.slice(i, i + 200) as never)
          .execute();
      }
      await trx
        .updateTable('events')
        .set({ dispatched_at: now })
        .where(
          'id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
      return events.length;
    });
  }

  async claimDeliveries(now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]> {
    return inTransaction(this.db, async (trx) => {
      let query = trx
        .selectFrom('webhook_deliveries as d')
        .selectAll('d')
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<', now)]))
        // Order per document: only the oldest pending delivery of a webhook × document may go.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_deliveries as e')
                .select('e.id')
                .whereRef('e.webhook_id', '=', 'd.webhook_id')
                .whereRef('e.ordering_key', '=', 'd.ordering_key')
                .where('e.status', '=', 'pending')
                .whereRef('e.event_id', '<', 'd.event_id'),
            ),
          ),
        )
        .orderBy('d.event_id')
        .orderBy('d.id')
        .limit(limit);
      if (this.capabilities.multiInstance) query = query.forUpdate().skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return [];
      // Two redeliveries of one event may both be oldest; keep one per webhook × document.
      const seen = new Set<string>();
      const picked = rows.filter((r) => {
        const key = `${r.webhook_id}|${r.ordering_key}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      await trx
        .updateTable('webhook_deliveries')
        .set({ locked_until: leaseUntil })
        .where(
          'id',
          'in',
          picked.map((r) => r.id),
        )
        .execute();
      const events = new Map(
        (
          await trx
            .selectFrom('events')
            .selectAll()
            .where(
              'id',
              'in',
              picked.map((r) => r.event_id),
            )
            .execute()
        ).map((e) => [Number(e.id), toEvent(e)]),
      );
      const webhooks = new Map(
        (
          await trx
            .selectFrom('webhooks')
            .selectAll()
            .where(
              'id',
              'in',
              picked.map((r) => r.webhook_id),
            )
            .execute()
        ).map((w) => [Number(w.id), toWebhook(w)]),
      );
      const claimed: ClaimedDelivery[] = [];
      for (const row of picked) {
        const event = events.get(row.event_id);
        const webhook = webhooks.get(row.webhook_id);
        if (event && webhook)
          claimed.push({ delivery: { ...toDelivery(row), lockedUntil: leaseUntil }, event, webhook });
      }
      return claimed;
    });
  }

  async completeAttempt(deliveryId: number, outcome: AttemptOutcome): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: deliveryId,
          at: outcome.at,
          status_code: outcome.statusCode,
          error: outcome.error,
          duration_ms: Math.round(outcome.durationMs),
        } as never)
        .execute();
      const status: DeliveryStatus = outcome.ok ? 'delivered' : outcome.retryAt === null ? 'dead' : 'pending';
      await trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status,
          attempts: eb('attempts', '+', 1),
          next_attempt_at: outcome.retryAt ?? outcome.at,
          locked_until: null,
          last_status: outcome.statusCode,
          last_error: outcome.error,
          delivered_at: outcome.ok ? outcome.at : null,
        }))
        .where('id', '=', deliveryId)
        .execute();
    });
  }

  async listDeliveries(webhookId: number, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  async getDelivery(id: number): Promise<DeliveryRecord | null> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  async listAttempts(deliveryId: number): Promise<AttemptRecord[]> {
    const rows = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      deliveryId: r.delivery_id,
      at: r.at,
      statusCode: r.status_code,
      error: r.error,
      durationMs: r.duration_ms,
    }));
  }

  async redeliver(deliveryId: number, now: string): Promise<DeliveryRecord> {
    return inTransaction(this.db, async (trx) => {
      // Holding the old delivery keeps retention from deleting it, and then its event (which the
      // new delivery refers to), while the new one is inserted.
      let query = trx.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId);
      if (this.capabilities.multiInstance) query = query.forUpdate();
      const found = await query.executeTakeFirst();
      if (!found)
        throw new DesignDocError('DD_E_NOT_FOUND', `No webhook delivery has the id ${deliveryId}.`, {
          location: { field: 'id' },
        });
      const old = toDelivery(found);
      const row = await trx
        .insertInto('webhook_deliveries')
        .values(pendingDeliveryRow(old.webhookId, old.eventId, old.orderingKey, now) as never)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDelivery(row);
    });
  }

  async pruneOutbox(cutoffs: PruneCutoffs, limit: number): Promise<PruneResult> {
    return inTransaction(this.db, async (trx) => {
      if (this.capabilities.multiInstance) {
        // Pruning is a chore, not a race: one instance at a time, the others skip the round.
        const got = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_xact_lock(${PRUNE_LOCK}) as locked`.execute(trx);
        if (!got.rows[0]?.locked) return { deliveries: 0, attempts: 0, events: 0, skipped: true };
      }
      // completeAttempt sets next_attempt_at to the last attempt's time when a delivery finishes,
      // so (status, next_attempt_at) — the claim index — finds old finished deliveries too.
      let deliveries = trx
        .selectFrom('webhook_deliveries as d')
        .select('d.id')
        .where((eb) => {
          const redelivered = eb.exists(
            eb
              .selectFrom('webhook_deliveries as r')
              .select('r.id')
              .whereRef('r.event_id', '=', 'd.event_id')
              .whereRef('r.webhook_id', '=', 'd.webhook_id')
              .whereRef('r.id', '>', 'd.id'),
          );
          const finished = eb('d.next_attempt_at', '<', cutoffs.finishedBefore);
          const dead = [eb.and([finished, redelivered])];
          if (cutoffs.deadBefore !== null) dead.push(eb('d.next_attempt_at', '<', cutoffs.deadBefore));
          return eb.or([
            eb.and([eb('d.status', '=', 'delivered'), finished]),
            eb.and([eb('d.status', '=', 'dead'), eb.or(dead)]),
          ]);
        })
        .limit(limit);
      if (this.capabilities.multiInstance) deliveries = deliveries.forUpdate().skipLocked();
      const ids = (await deliveries.execute()).map((r) => Number(r.id));
      if (ids.length > 0) {
        // A dead delivery goes with its redelivery at the latest: once that is gone nothing would
        // show the dead one was redelivered, and it would wait out the longer period instead.
        let superseded = trx
          .selectFrom('webhook_deliveries as s')
          .select('s.id')
          .where('s.status', '=', 'dead')
          .where('s.id', 'not in', ids)
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('webhook_deliveries as p')
                .select('p.id')
                .where('p.id', 'in', ids)
                .whereRef('p.webhook_id', '=', 's.webhook_id')
                .whereRef('p.event_id', '=', 's.event_id')
                .whereRef('p.id', '>', 's.id'),
            ),
          );
        if (this.capabilities.multiInstance) superseded = superseded.forUpdate().skipLocked();
        ids.push(...(await superseded.execute()).map((r) => Number(r.id)));
      }
      let attempts = 0;
      if (ids.length > 0) {
        const removed = await trx
          .deleteFrom('webhook_attempts')
          .where('delivery_id', 'in', ids)
          .executeTakeFirst();
        attempts = Number(removed.numDeletedRows);
        await trx.deleteFrom('webhook_deliveries').where('id', 'in', ids).execute();
      }
      // An event goes once it was dispatched (undispatched ones wait for the worker) and nothing
      // refers to it: deleting it then cannot cascade into a delivery still owed.
      let events = trx
        .selectFrom('events as e')
        .select('e.id')
        .where('e.dispatched_at', 'is not', null)
        .where('e.dispatched_at', '<', cutoffs.finishedBefore)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id')),
          ),
        )
        .limit(limit);
      if (this.capabilities.multiInstance) events = events.forUpdate().skipLocked();
      const eventIds = (await events.execute()).map((r) => Number(r.id));
      if (eventIds.length > 0) await trx.deleteFrom('events').where('id', 'in', eventIds).execute();
      return { deliveries: ids.length, attempts, events: eventIds.length, skipped: false };
    });
  }
}

/** A delivery not yet attempted: what fan-out and redelivery both insert. */
function pendingDeliveryRow(webhookId: number, eventId: number, orderingKey: string, now: string) {
  return {
    webhook_id: webhookId,
    event_id: eventId,
    ordering_key: orderingKey,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    locked_until: null,
    last_status: null,
    last_error: null,
    delivered_at: null,
    created_at: now,
  };
}
