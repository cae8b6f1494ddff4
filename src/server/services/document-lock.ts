/**
 * Read-check-write on one document as one transaction that holds the document's row lock. A
 * service that checks something (the status allows this transition, every slot is approved, the
 * verdict's revision is current, the reviewer is not asked yet) and then writes because of it runs
 * both inside `withDocumentLock`, so two requests — on one instance or on several — cannot both
 * pass a check that only one of them should pass.
 */
import { DesignDocError } from '../../core/errors.js';
import type { Cache } from '../data/cache.js';
import type { DocumentRecord } from '../data/database.js';
import type { ServiceContext } from './service-context.js';

/**
 * The cache a locked transaction sees. Reads always miss, so every check reads the database under
 * the lock rather than an entry another instance may since have outdated. Fills are dropped: a
 * value read inside the transaction may never commit. Deletes wait until the transaction has
 * ended, so no reader can put the old record back between the delete and the commit.
 */
function transactionCache(outer: Cache): { cache: Cache; deleted: Set<string> } {
  const deleted = new Set<string>();
  const cache: Cache = {
    get: async () => undefined,
    set: async () => undefined,
    delete: async (...keys) => {
      for (const key of keys) deleted.add(key);
    },
    clear: () => outer.clear(),
    stats: () => outer.stats(),
    close: async () => undefined,
  };
  return { cache, deleted };
}

/** The 404 for a document id (slug) that names no document. */
export function documentNotFound(slug: string): DesignDocError {
  return new DesignDocError('DD_E_NOT_FOUND', `No document has the id "${slug}".`, {
    location: { field: 'id' },
  });
}

/**
 * Runs `work` in one transaction that first locks the document's row (`SELECT … FOR NO KEY
 * UPDATE` on PostgreSQL; SQLite's single connection serialises the transaction whole) and hands
 * it the row as it stands under the lock and a context whose every query runs in the transaction.
 * Everything `work` reads and writes must go through that context: on SQLite a query on the outer
 * one would wait for the connection the transaction holds. Nested calls join the outer
 * transaction. Cache invalidations made inside take effect after the transaction ends.
 */
export async function withDocumentLock<T>(
  ctx: ServiceContext,
  document: Pick<DocumentRecord, 'id' | 'slug'>,
  work: (tx: ServiceContext, record: DocumentRecord) => Promise<T>,
): Promise<T> {
  const { cache, deleted } = transactionCache(ctx.cache);
  const result = await ctx.db.transaction(async (db) => {
    const record = await db.lockDocument(document.id);
    if (!record) throw documentNotFound(document.slug);
    return work({ ...ctx, db, cache }, record);
  });
  // After the commit, so the next read on any instance misses and finds the committed row. A
  // rollback changed nothing, and needs none.
  if (deleted.size > 0) await ctx.cache.delete(...deleted);
  return result;
}
