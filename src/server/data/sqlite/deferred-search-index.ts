/**
 * The FTS5 index, written after the commit and in batches. Replacing a document's index entry
 * inside each save's transaction was a fifth of a save's CPU: FTS5 writes a new index segment per
 * transaction, and its delete reads the old text back and tokenizes it again. A save now records
 * the document in `search_pending` (in its own transaction, so the record is as durable as the
 * save), and this queue indexes pending documents many per transaction shortly after.
 *
 * Searches drain the queue first, so a search sees every committed save. What cannot be indexed
 * (a document whose indexing fails, or the database locked by another process when a search
 * drains) stays pending and does not hold up the rest: a search then answers from the index as it
 * is, and the document is retried by the timer (backing off while it keeps failing), the next
 * save, search or start. A crash leaves the pending rows in the database; the next start indexes
 * them.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { SearchDocumentText } from '../dialect.js';
import type { Tables } from '../schema.js';

export interface DeferredSearchIndexOptions {
  /**
   * How long after the first pending save a batch is indexed (1 s by default). Longer gathers more
   * per batch and indexes a document saved again meanwhile once, not per save: the index costs
   * about a sixth of a save's request thread, and documents under edit are saved again and
   * again. Searches do not wait for it: they drain the queue first.
   */
  delayMs?: number;
  /** Documents per transaction at most: enough to share a segment, few enough not to stall requests. */
  batchSize?: number;
  /** Characters of text per transaction at most (a larger document still goes, alone). */
  batchChars?: number;
  /** The connection's busy timeout, restored after a search's drain that must not wait for a lock. */
  busyTimeoutMs: number;
  /** Told when a document cannot be indexed (it stays pending). */
  onError?: (error: unknown, documentId: number) => void;
}

export interface DrainOptions {
  /**
   * For readers: give up at once when another connection holds the write lock, instead of waiting
   * out the busy timeout with the event loop blocked.
   */
  noWait?: boolean;
}

export interface DeferredSearchIndex {
  /** Marks a document for (re)indexing, inside the caller's transaction. */
  enqueue(documentId: number, text: Pick<SearchDocumentText, 'title' | 'metadata'>): void;
  /**
   * Indexes everything pending now, one walk over the queue. Never throws: resolves false when
   * something stayed pending (reported through `onError`, or the database was locked or closed).
   */
  drain(options?: DrainOptions): Promise<boolean>;
  /** A last drain, then stops the timer. */
  close(): Promise<void>;
}

interface PendingRow {
  id: number;
  title: string;
  metadata: string;
  body: string | null;
}

/**
 * Waits between retries of a document whose indexing failed: short at first (searches pass over
 * it meanwhile), doubling to the longest.
 */
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 60_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export function createDeferredSearchIndex(
  raw: BetterSqlite3.Database,
  kysely: Kysely<Tables>,
  options: DeferredSearchIndexOptions,
): DeferredSearchIndex {
  const delayMs = options.delayMs ?? 1000;
  const batchSize = options.batchSize ?? 16;
  const batchChars = options.batchChars ?? 256 * 1024;
  const onError = options.onError ?? (() => {});
  // Prepared on first use: the table exists only once migrations have run.
  let statements: ReturnType<typeof prepare> | null = null;
  const prepare = () => ({
    enqueue: raw.prepare(
      `insert into search_pending (document_id, title, metadata) values (?, ?, ?)
       on conflict (document_id) do update set title = excluded.title, metadata = excluded.metadata`,
    ),
    any: raw.prepare('select 1 from search_pending limit 1').pluck(),
    count: raw.prepare('select count(*) from search_pending').pluck(),
    // The body is the document's current revision: a save writes both in one transaction. A
    // document that no longer exists leaves a null body and only its index entry is removed.
    next: raw.prepare(
      `select p.document_id as id, p.title, p.metadata, r.text as body
       from search_pending p
       left join documents d on d.id = p.document_id
       left join revisions r on r.document_id = d.id and r.number = d.current_revision
       where p.document_id > ? order by p.document_id limit 1`,
    ),
    unindex: raw.prepare('delete from documents_fts where rowid = ?'),
    index: raw.prepare('insert into documents_fts (rowid, title, metadata, body) values (?, ?, ?, ?)'),
    done: raw.prepare('delete from search_pending where document_id = ?'),
  });
  const sql = () => (statements ??= prepare());

  /** Documents whose indexing failed: when to try each again, and the wait after that. */
  const failing = new Map<number, { retryAt: number; delayMs: number }>();
  /** The document the last batch was indexing when it stopped: the one to blame when it failed. */
  let attempted: number | null = null;
  const backOff = (id: number) => {
    const wait = failing.get(id)?.delayMs ?? FIRST_RETRY_DELAY_MS;
    failing.set(id, { retryAt: Date.now() + wait, delayMs: Math.min(wait * 2, MAX_RETRY_DELAY_MS) });
  };

  /**
   * The pending documents after id `after`, in id order, up to `limit` documents and the batch's
   * characters, in one transaction on the connection held through Kysely (so it queues behind,
   * and never runs inside, another transaction on it). The transaction is begun here, not by
   * Kysely, so that a reader's batch (`noWait`) gives up at BEGIN when another process holds the
   * write lock, instead of waiting with the event loop blocked. Resolves with the last id taken and
   * how many, or null when nothing is pending after `after`.
   */
  const indexBatch = (after: number, limit: number, noWait: boolean) =>
    kysely.connection().execute(async () => {
      const s = sql();
      if (noWait) raw.pragma('busy_timeout = 0');
      try {
        raw.exec('begin immediate');
      } finally {
        if (noWait) raw.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
      }
      try {
        let last = after;
        let count = 0;
        let chars = 0;
        const now = Date.now();
        while (count < limit && chars < batchChars) {
          const row = s.next.get(last) as PendingRow | undefined;
          if (row === undefined) break;
          last = row.id;
          // A document that failed recently waits out its back-off; the others go on.
          if ((failing.get(row.id)?.retryAt ?? 0) > now) continue;
          attempted = row.id;
          s.unindex.run(row.id);
          if (row.body !== null) {
            s.index.run(row.id, row.title, row.metadata, row.body);
            chars += row.body.length;
          }
          s.done.run(row.id);
          failing.delete(row.id);
          count++;
        }
        raw.exec('commit');
        return last === after ? null : { last, count };
      } catch (error) {
        if (raw.inTransaction) raw.exec('rollback');
        throw error;
      }
    });

  /**
   * One walk over the queue in id order, up to `limit` documents, yielding to waiting requests
   * between batches. A failed batch is retried one document at a time, so a document that cannot
   * be indexed is reported and passed over instead of holding up the others. True when every
   * document it met was indexed.
   */
  const walk = async (limit: number, noWait: boolean): Promise<boolean> => {
    let after = 0;
    let left = limit;
    let clean = true;
    while (left > 0 && raw.open) {
      let taken: { last: number; count: number } | null;
      try {
        taken = await indexBatch(after, Math.min(batchSize, left), noWait);
      } catch (error) {
        if (!raw.open || (noWait && isBusy(error))) return false;
        try {
          attempted = null;
          taken = await indexBatch(after, 1, noWait);
        } catch (single) {
          const id = attempted;
          if (!raw.open || (noWait && isBusy(single)) || id === null) return false;
          onError(single, id);
          backOff(id);
          clean = false;
          taken = { last: id, count: 1 };
        }
      }
      if (taken === null) break;
      after = taken.last;
      left -= Math.max(taken.count, 1);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return clean;
  };

  let timer: NodeJS.Timeout | null = null;

  /** When the timer should look again: soon while documents wait, at the earliest retry when only failing ones do. */
  const nextDelay = (): number | null => {
    const pending = sql().count.get() as number;
    if (pending === 0) {
      failing.clear();
      return null;
    }
    if (pending > failing.size) return delayMs;
    let earliest = Infinity;
    for (const entry of failing.values()) earliest = Math.min(earliest, entry.retryAt);
    return Math.max(delayMs, earliest - Date.now());
  };
  const scheduleNext = () => {
    const delay = raw.open ? nextDelay() : null;
    if (delay !== null) schedule(delay);
  };

  const schedule = (delay: number) => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      void (async () => {
        try {
          if (!raw.open) return;
          // What was pending when the timer fired: saves arriving meanwhile wait for the next
          // timer and its fuller batch, rather than trickling in one per transaction.
          await walk(sql().count.get() as number, false);
          scheduleNext();
        } catch {
          // The database closed or failed under it: the rows stay pending for the next save,
          // search or start.
        }
      })();
    }, delay);
    timer.unref();
  };

  const drain = async (drainOptions: DrainOptions = {}): Promise<boolean> => {
    try {
      if (!raw.open || sql().any.get() === undefined) return true;
      const clean = await walk(Infinity, drainOptions.noWait ?? false);
      scheduleNext();
      return clean && (!raw.open || sql().any.get() === undefined);
    } catch {
      return false;
    }
  };

  return {
    enqueue(documentId, text) {
      sql().enqueue.run(documentId, text.title, text.metadata);
      // A new save may be what makes a failing document indexable: it is tried again at once.
      failing.delete(documentId);
      schedule(delayMs);
    },
    drain,
    async close() {
      // What cannot be indexed now stays pending for the next start: closing never fails on it.
      await drain();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
