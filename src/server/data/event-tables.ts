/**
 * The outbox tables, created by migration `0002_events` of each dialect. The column types are the
 * same lowest common denominator as `schema.ts` (integers, text, ISO timestamps as text); the one
 * engine difference, how an id is generated, is the caller's.
 */
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

export interface EventsTable {
  id: number;
  kind: string;
  document_id: number | null;
  document_slug: string | null;
  actor: string | null;
  data: string;
  created_at: string;
  dispatched_at: string | null;
}

export interface WebhooksTable {
  id: number;
  url: string;
  secret: string;
  events: string;
  format: string;
  active: number;
  description: string;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: number;
  webhook_id: number;
  event_id: number;
  ordering_key: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookAttemptsTable {
  id: number;
  delivery_id: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface EventTables {
  events: EventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

/** Creates the outbox tables; `idColumn` is the engine's auto-generated integer key. */
export async function createEventTables(
  db: Kysely<unknown>,
  id: { type: 'integer' | 'serial'; build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder },
): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', id.type, id.build)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('document_id', 'integer')
    .addColumn('document_slug', 'text')
    .addColumn('actor', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('dispatched_at', 'text')
    .execute();
  await db.schema.createIndex('events_undispatched').on('events').columns(['dispatched_at', 'id']).execute();
  await db.schema
    .createTable('webhooks')
    .addColumn('id', id.type, id.build)
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', id.type, id.build)
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('ordering_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_order')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'ordering_key', 'status', 'event_id'])
    .execute();
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', id.type, id.build)
    .addColumn('delivery_id', 'integer', (c) =>
      c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
    )
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .column('delivery_id')
    .execute();
}
