/**
 * What one database dialect folder provides to the shared repository: a Kysely instance, its own
 * migrations, its full-text index and search, its backup, and capability flags. Every SQL
 * difference between engines lives behind this interface (the idea of Kysely's `DialectAdapter`),
 * so `kysely-database.ts` holds only portable queries.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { BackupOptions, DialectCapabilities, SearchHit } from './database.js';
import type { Tables } from './schema.js';

/** Narrows a `documents as d` query to what the caller may see. */
export type RestrictDocuments = <O>(
  query: SelectQueryBuilder<Tables & { d: Tables['documents'] }, 'd', O>,
) => SelectQueryBuilder<Tables & { d: Tables['documents'] }, 'd', O>;

export interface SearchDocumentText {
  title: string;
  metadata: string;
  body: string;
}

export interface DialectDriver {
  readonly capabilities: DialectCapabilities;
  readonly kysely: Kysely<Tables>;
  /** Brings the schema up to date; safe to run on every start. */
  migrate(): Promise<void>;
  /**
   * Replaces the search index entry of one document, from the caller's transaction: `body` is the
   * text of the document's current revision, written in that transaction. A dialect may index after
   * the commit (SQLite batches it), as long as `search` sees every committed call.
   */
  indexDocument(db: Kysely<Tables>, documentId: number, text: SearchDocumentText): Promise<void>;
  /** Ranked full-text search; a query the engine cannot parse throws DD_E_SEARCH_SYNTAX. */
  search(db: Kysely<Tables>, query: string, limit: number, restrict: RestrictDocuments): Promise<SearchHit[]>;
  /**
   * Inserts many rows of one shape quickly (prepared statement reuse on SQLite), inside the
   * caller's transaction. Optional: without it the repository uses multi-row Kysely inserts.
   */
  bulkInsert?(
    table: 'extracts',
    columns: readonly string[],
    rows: ReadonlyArray<readonly unknown[]>,
  ): Promise<void>;
  /**
   * Runs `work` in a transaction of the dialect's choosing (SQLite shares one COMMIT among the
   * transactions queued meanwhile); resolves only after `work`'s writes are committed. Optional:
   * without it each transaction is Kysely's own.
   */
  transaction?<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** True when a thrown error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  backupTo(file: string, options?: BackupOptions): Promise<void>;
  close(): Promise<void>;
}
