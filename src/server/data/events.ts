/**
 * The outbox and webhook records of the data layer. Every change a service makes is written as an
 * event in the same transaction as the change (`Database.transaction` + `appendEvents`); a worker
 * fans events out into one delivery per matching webhook and delivers them. Deliveries carry the
 * document as their ordering key, so one webhook hears about one document in order.
 */

export const EVENT_KINDS = [
  'document.created',
  'document.revised',
  'document.status_changed',
  'review.requested',
  'review.approved',
  'review.changes_requested',
  'concern.raised',
  'concern.lifted',
  'comment.added',
  'approval.stale',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface NewEvent {
  kind: EventKind;
  /** The document the event is about (its numeric id), or null for events about no document. */
  documentId: number | null;
  documentSlug: string | null;
  /** Username of who caused it, or null for the system. */
  actor: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface EventRecord extends NewEvent {
  id: number;
}

export type WebhookFormat = 'json' | 'slack';

export interface WebhookRecord {
  id: number;
  url: string;
  /** HMAC key; shown once when the webhook is created. */
  secret: string;
  /** Event kinds delivered; `['*']` for every kind. */
  events: string[];
  format: WebhookFormat;
  active: boolean;
  description: string;
  createdAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DeliveryRecord {
  id: number;
  webhookId: number;
  eventId: number;
  /** Deliveries with the same key go out one at a time, in event order (the document). */
  orderingKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lockedUntil: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface AttemptRecord {
  id: number;
  deliveryId: number;
  at: string;
  /** HTTP status, or null when no response came (refused, timed out). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** A delivery a worker has claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  delivery: DeliveryRecord;
  event: EventRecord;
  webhook: WebhookRecord;
}

export interface AttemptOutcome {
  at: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** When to try again after a failure; null dead-letters the delivery. */
  retryAt: string | null;
}

/** What one pruning batch may delete (ISO timestamps; see `EventStore.pruneOutbox`). */
export interface PruneCutoffs {
  /**
   * Delivered deliveries, dead ones that were redelivered, and dispatched events no delivery
   * refers to any more, whose last attempt (or dispatch) is older than this.
   */
  finishedBefore: string;
  /** Dead-lettered deliveries never redelivered, last attempted before this; null keeps them. */
  deadBefore: string | null;
}

export interface PruneResult {
  deliveries: number;
  attempts: number;
  events: number;
  /** Another instance holds the pruning lock and does the work; this call deleted nothing. */
  skipped: boolean;
}

/** The worker's and the webhooks API's view of the outbox. */
export interface EventStore {
  listEvents(afterId: number, limit: number): Promise<EventRecord[]>;
  createWebhook(webhook: Omit<WebhookRecord, 'id'>): Promise<WebhookRecord>;
  getWebhook(id: number): Promise<WebhookRecord | null>;
  listWebhooks(): Promise<WebhookRecord[]>;
  updateWebhook(
    id: number,
    patch: Partial<Pick<WebhookRecord, 'url' | 'events' | 'format' | 'active' | 'description'>>,
  ): Promise<void>;
  deleteWebhook(id: number): Promise<void>;
  /**
   * Turns undispatched events (oldest first) into pending deliveries for every active webhook
   * that wants them; returns how many events were dispatched. One worker fans out at a time.
   */
  fanOut(now: string, limit: number): Promise<number>;
  /**
   * Claims up to `limit` due deliveries until `leaseUntil`: the oldest pending one per webhook and
   * document, never one another worker holds (`FOR UPDATE SKIP LOCKED` where the engine has it).
   */
  claimDeliveries(now: string, leaseUntil: string, limit: number): Promise<ClaimedDelivery[]>;
  /** Records one attempt and moves the delivery to delivered, pending (retry) or dead. */
  completeAttempt(deliveryId: number, outcome: AttemptOutcome): Promise<void>;
  listDeliveries(webhookId: number, limit: number): Promise<DeliveryRecord[]>;
  getDelivery(id: number): Promise<DeliveryRecord | null>;
  listAttempts(deliveryId: number): Promise<AttemptRecord[]>;
  /** A new pending delivery of the same event to the same webhook (the old one keeps its log). */
  redeliver(deliveryId: number, now: string): Promise<DeliveryRecord>;
  /**
   * One retention batch in one transaction: deletes up to `limit` finished deliveries (with their
   * attempts) and up to `limit` events past the cutoffs. Never touches a pending delivery, nor an
   * event not yet dispatched or still referred to by any delivery. On PostgreSQL one instance
   * prunes at a time (the others get `skipped`), and rows another transaction holds are skipped.
   */
  pruneOutbox(cutoffs: PruneCutoffs, limit: number): Promise<PruneResult>;
}
