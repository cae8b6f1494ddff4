/**
 * The FTS5 index, written after the commit and in batches. Replacing a document's index entry
 * inside each save's transaction was a fifth of a save's CPU: FTS5 writes a new index segment per
 * transaction, and its delete reads the old text back and tokenizes it again. A save now records
 * the document in `search_pending` (in its own transaction, so the record is as durable as the
 * save), and this queue indexes pending documents many per transaction shortly after.
 *
 * Searches drain the queue first, so a search still sees every committed save (unless indexing
 * fails: then it answers from the index as it is, and indexing is retried); a crash leaves the
 * pending rows in the database, and the next start indexes them.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Tables } from '../schema.js';
import type { SearchDocumentText } from '../dialect.js';

export interface DeferredSearchIndexOptions {
  /** How long after the first pending save a batch is indexed: longer gathers more per batch. */
  delayMs?: number;
  /** Documents per transaction: big enough to share a segment, small enough not to stall requests. */
  batchSize?: number;
}

export interface DeferredSearchIndex {
  /** Marks a document for (re)indexing, inside the caller's transaction. */
  enqueue(documentId: number, text: Pick<SearchDocumentText, 'title' | 'metadata'>): void;
  /** Indexes everything pending now; resolves when nothing is left. */
  drain(): Promise<void>;
  /**
   * `drain`, for readers: when a batch fails (the database busy with another process's long
   * write, say), the index is left as it is and retried later, so a search answers from the
   * index it has instead of failing. Resolves false then.
   */
  tryDrain(): Promise<boolean>;
  /** A last `tryDrain`, then stops the timer. */
  close(): Promise<void>;
}

export function createDeferredSearchIndex(
  raw: BetterSqlite3.Database,
  kysely: Kysely<Tables>,
  options: DeferredSearchIndexOptions = {},
): DeferredSearchIndex {
  const delayMs = options.delayMs ?? 100;
  const batchSize = options.batchSize ?? 16;
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
    batch: raw.prepare(
      `select p.document_id as id, p.title, p.metadata, r.text as body
       from search_pending p
       left join documents d on d.id = p.document_id
       left join revisions r on r.document_id = d.id and r.number = d.current_revision
       order by p.document_id limit ?`,
    ),
    unindex: raw.prepare('delete from documents_fts where rowid = ?'),
    index: raw.prepare('insert into documents_fts (rowid, title, metadata, body) values (?, ?, ?, ?)'),
    done: raw.prepare('delete from search_pending where document_id = ?'),
  });
  const sql = () => (statements ??= prepare());

  let timer: NodeJS.Timeout | null = null;

  /**
   * One batch in a Kysely transaction, so that it queues behind (and never runs inside) another
   * transaction on the connection. Batches are atomic, so drains that overlap share the work.
   */
  const indexBatch = (): Promise<number> =>
    kysely.transaction().execute(async () => {
      const s = sql();
      const rows = s.batch.all(batchSize) as Array<{
        id: number;
        title: string;
        metadata: string;
        body: string | null;
      }>;
      for (const row of rows) {
        s.unindex.run(row.id);
        if (row.body !== null) s.index.run(row.id, row.title, row.metadata, row.body);
        s.done.run(row.id);
      }
      return rows.length;
    });

  /** Indexes up to `limit` pending documents, yielding between batches to waiting requests. */
  const indexUpTo = async (limit: number): Promise<void> => {
    let left = limit;
    while (left > 0 && raw.open) {
      const done = await indexBatch();
      if (done === 0) return;
      left -= done;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  const schedule = () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      // What was pending when the timer fired: saves arriving meanwhile wait for the next timer
      // and its fuller batch, rather than trickling in one per transaction.
      const pending = raw.open ? (sql().count.get() as number) : 0;
      indexUpTo(pending).then(
        () => {
          if (raw.open && sql().any.get() !== undefined) schedule();
        },
        // The database closed under it, or a batch failed and rolled back: the rows stay
        // pending for the next save, search or start.
        () => {},
      );
    }, delayMs);
    timer.unref();
  };

  const drain = async (): Promise<void> => {
    while (raw.open && sql().any.get() !== undefined) await indexUpTo(Infinity);
  };

  const tryDrain = async (): Promise<boolean> => {
    try {
      await drain();
      return true;
    } catch {
      if (raw.open) schedule();
      return false;
    }
  };

  return {
    enqueue(documentId, text) {
      sql().enqueue.run(documentId, text.title, text.metadata);
      schedule();
    },
    drain,
    tryDrain,
    async close() {
      // What cannot be indexed now stays pending for the next start: closing never fails on it.
      await tryDrain();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
