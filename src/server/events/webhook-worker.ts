/**
 * The webhook worker: fans outbox events out to deliveries, claims due deliveries (never one
 * another worker holds), POSTs them signed, and records every attempt. A failure is retried with
 * exponential backoff (with jitter, capped) until `maxAttempts`, then dead-lettered; a delivery
 * whose worker died is claimed again when its lease runs out — at least once, in order per
 * document and webhook. Any number of workers may run, in one process or many.
 */
import type { Database } from '../data/database.js';
import type { ClaimedDelivery } from '../data/events.js';
import { webhookBody } from './payload.js';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './signature.js';

export interface WebhookWorkerOptions {
  db: Database;
  /** Base URL of the web UI for links in payloads (e.g. `https://designdoc.example.com`). */
  publicUrl?: string | null;
  now?: () => Date;
  /** Poll interval between rounds when idle, in ms (default 500). */
  intervalMs?: number;
  /** Deliveries claimed per round (default 20). */
  batchSize?: number;
  /** How long a claim is held before another worker may take it, in ms (default 60 s). */
  leaseMs?: number;
  /** Per-request timeout, in ms (default 10 s; must stay below the lease). */
  timeoutMs?: number;
  /** Attempts before a delivery is dead-lettered (default 8). */
  maxAttempts?: number;
  /** First retry delay, doubled per attempt, in ms (default 2 s); capped by `backoffMaxMs` (default 1 h). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Random in [0, 1) for jitter; tests pass a constant. */
  random?: () => number;
  /** Receives errors of a round (the loop goes on). */
  onError?: (error: unknown) => void;
  /** Start the polling loop (default true); false leaves rounds to `runOnce()`. */
  loop?: boolean;
}

export interface RoundResult {
  dispatched: number;
  delivered: number;
  failed: number;
}

export interface WebhookWorker {
  /** One round: fan out, claim, deliver, record. */
  runOnce(): Promise<RoundResult>;
  /** Ends the loop after the round in flight. */
  stop(): Promise<void>;
}

/** The delay before retry number `attempt` (1-based): base·2^(attempt−1), capped, with ±20% jitter. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** Starts a worker loop over `options.db` (call `stop()` before closing the database). */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const now = options.now ?? (() => new Date());
  const interval = options.intervalMs ?? 500;
  const batch = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const timeoutMs = Math.min(options.timeoutMs ?? 10_000, leaseMs - 1000);
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.backoffBaseMs ?? 2000;
  const max = options.backoffMaxMs ?? 60 * 60 * 1000;
  const random = options.random ?? Math.random;
  const publicUrl = options.publicUrl ?? null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<unknown> = Promise.resolve();

  async function deliver(claim: ClaimedDelivery): Promise<boolean> {
    const body = webhookBody(claim.event, claim.webhook.format, publicUrl);
    const started = performance.now();
    const at = now();
    const timestamp = Math.floor(at.getTime() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(claim.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'designdoc-webhooks/1',
          'x-designdoc-event': claim.event.kind,
          'x-designdoc-delivery': String(claim.delivery.id),
          'x-designdoc-event-id': `evt_${claim.event.id}`,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signPayload(claim.webhook.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (caught) {
      error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    }
    const ok = error === null;
    const attempt = claim.delivery.attempts + 1;
    const retryAt =
      ok || attempt >= maxAttempts
        ? null
        : new Date(now().getTime() + backoffDelay(attempt, base, max, random)).toISOString();
    await options.db.events.completeAttempt(claim.delivery.id, {
      at: at.toISOString(),
      ok,
      statusCode,
      error: error?.slice(0, 500) ?? null,
      durationMs: performance.now() - started,
      retryAt,
    });
    return ok;
  }

  async function runOnce(): Promise<RoundResult> {
    const at = now();
    const dispatched = await options.db.events.fanOut(at.toISOString(), 500);
    const claims = await options.db.events.claimDeliveries(
      at.toISOString(),
      new Date(at.getTime() + leaseMs).toISOString(),
      batch,
    );
    // Claims are one per webhook × document, so sending them together keeps every order.
    const results = await Promise.all(claims.map(deliver));
    return {
      dispatched,
      delivered: results.filter(Boolean).length,
      failed: results.filter((r) => !r).length,
    };
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      const round = runOnce().then(
        (result) => schedule(result.delivered + result.failed + result.dispatched > 0 ? 0 : interval),
        (error: unknown) => {
          options.onError?.(error);
          schedule(interval);
        },
      );
      inFlight = round;
    }, delay);
    timer.unref();
  }
  if (options.loop ?? true) schedule(0);
  else stopped = true;

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight.catch(() => undefined);
    },
  };
}
