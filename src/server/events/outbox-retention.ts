/**
 * Retention for the outbox and the webhook delivery log. Delivered deliveries (with their attempts)
 * and dispatched events nothing refers to any more are deleted once older than the retention
 * period; dead-lettered deliveries stay for a longer one, or until redelivered (then the normal
 * period applies). Pending deliveries and undispatched events are never touched. Each batch is one
 * short transaction; every instance runs the task, and on PostgreSQL one prunes while the others
 * skip the round.
 */
import type { Database } from '../data/database.js';

const DAY_MS = 86_400_000;

export interface OutboxRetention {
  /** Days delivered deliveries and their events are kept; 0 keeps everything. */
  retentionDays: number;
  /** Days dead-lettered deliveries never redelivered are kept; 0 keeps them until redelivered. */
  deadRetentionDays: number;
}

export interface PruneOptions extends OutboxRetention {
  now?: () => Date;
  /** Rows per batch (per table); each batch is its own transaction (default 500). */
  batchSize?: number;
  /** Batches per run at most, so one run stays short however far behind it is (default 100). */
  maxBatches?: number;
}

export interface PruneTotals {
  deliveries: number;
  attempts: number;
  events: number;
  batches: number;
  /** Another instance was pruning; this run left it to that one. */
  skipped: boolean;
}

/** One retention run: batches until nothing past the cutoffs is left (or `maxBatches`). */
export async function pruneOutbox(db: Database, options: PruneOptions): Promise<PruneTotals> {
  const totals: PruneTotals = { deliveries: 0, attempts: 0, events: 0, batches: 0, skipped: false };
  if (options.retentionDays <= 0) return totals;
  const now = (options.now ?? (() => new Date()))().getTime();
  const cutoffs = {
    finishedBefore: new Date(now - options.retentionDays * DAY_MS).toISOString(),
    deadBefore:
      options.deadRetentionDays > 0 ? new Date(now - options.deadRetentionDays * DAY_MS).toISOString() : null,
  };
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 100;
  while (totals.batches < maxBatches) {
    const batch = await db.events.pruneOutbox(cutoffs, batchSize);
    if (batch.skipped) {
      totals.skipped = true;
      break;
    }
    totals.batches++;
    totals.deliveries += batch.deliveries;
    totals.attempts += batch.attempts;
    totals.events += batch.events;
    if (batch.deliveries < batchSize && batch.events < batchSize) break;
  }
  return totals;
}

export interface OutboxPrunerOptions extends PruneOptions {
  db: Database;
  /** Time between runs, in ms (default 10 minutes); the first run comes one interval after start. */
  intervalMs?: number;
  /** Receives a run's error (the next run goes on). */
  onError?: (error: unknown) => void;
  /** Receives each run's totals. */
  onRun?: (totals: PruneTotals) => void;
}

export interface OutboxPruner {
  runOnce(): Promise<PruneTotals>;
  /** Ends the timer and waits for the run in flight. */
  stop(): Promise<void>;
}

/** Runs `pruneOutbox` on a timer (call `stop()` before closing the database). */
export function startOutboxPruner(options: OutboxPrunerOptions): OutboxPruner {
  const interval = options.intervalMs ?? 10 * 60_000;
  let running: Promise<void> | null = null;
  const runOnce = () => pruneOutbox(options.db, options);
  const timer =
    options.retentionDays > 0
      ? setInterval(() => {
          // A run still working through a large backlog is not joined by a second one.
          if (running) return;
          running = runOnce()
            .then(
              (totals) => options.onRun?.(totals),
              (error: unknown) => options.onError?.(error),
            )
            .finally(() => {
              running = null;
            });
        }, interval)
      : null;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
