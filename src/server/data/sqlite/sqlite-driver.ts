/**
 * The SQLite dialect: better-sqlite3 in WAL mode, Kysely's SqliteDialect, FTS5 search with bm25
 * ranking and snippet() highlights, and online backup through SQLite's backup API.
 */
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type LogEvent,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';
import { DesignDocError } from '../../../core/errors.js';
import type { BackupOptions, DialectCapabilities, SearchHit } from '../database.js';
import type { DialectDriver, RestrictDocuments, SearchDocumentText } from '../dialect.js';
import type { Tables } from '../schema.js';
import { startBackgroundCheckpoint } from './background-checkpoint.js';
import { searchPrefixes } from '../search-prefixes.js';
import { createDeferredSearchIndex } from './deferred-search-index.js';
import { fts5Query } from './fts5-query.js';
import { createGroupCommit } from './group-commit.js';
import { sqliteMigrations } from './migrations.js';

const require = createRequire(import.meta.url);

export const SQLITE_CAPABILITIES: DialectCapabilities = {
  name: 'sqlite',
  supportsReturning: true,
  backupFormat: 'sqlite',
  fullText: 'fts5',
  multiInstance: false,
};

export interface SqliteDriverOptions {
  /** Database file; `:memory:` for a throwaway database. */
  file: string;
  /** Receives each query's duration in milliseconds (metrics). */
  onQuery?: (millis: number) => void;
}

/** Matches ranked per search at most: the newest ones (see search()). */
const SEARCH_CANDIDATES = 2000;
/** Best-ranked candidates checked for visibility first, per result wanted (see search()). */
const VISIBLE_OVERFETCH = 4;
/** Prefix lengths documents_fts has index entries for (`prefix = '2 3 4'`, migration 0009). */
const INDEXED_PREFIX_LENGTHS = new Set([2, 3, 4]);

/** Snippet markers no document contains; replaced by <mark> after HTML-escaping the excerpt. */
const MARK_OPEN = '\u0001';
const MARK_CLOSE = '\u0002';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** How long a statement waits for another connection's write lock. */
const BUSY_TIMEOUT_MS = 5000;

/** Distinct statements kept compiled; queries with IN lists make more shapes than a server reuses. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely sees it, with compiled statements reused: Kysely prepares every query it
 * runs, and compiling the same SQL again was a tenth of a save's time. A statement still being
 * iterated (a streamed query) is busy, and a fresh one is compiled for the overlapping call.
 */
function withStatementCache(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement && !statement.busy) {
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(text);
        cache.set(text, statement);
        return statement;
      }
      statement = raw.prepare(text);
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    close() {
      cache.clear();
      raw.close();
    },
  };
}

/**
 * Kysely's SQLite dialect with every transaction begun IMMEDIATE: the write lock is taken at BEGIN
 * (waiting out another process's, as any write does), not at the first write. A deferred
 * transaction that read first and then meets a commit by another process (the CLI importing into
 * the same file) fails at once with SQLITE_BUSY_SNAPSHOT, and a group of transactions sharing a
 * COMMIT (group-commit.ts) keeps that window open for the whole group.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      }
    })(this.#config);
  }
}

/** The most pages better-sqlite3 lets one backup step copy: all of them, for any file it opens. */
const ALL_PAGES = 0x7fffffff;

/** Opens (creating when absent) a SQLite database file and wraps it as a dialect driver. */
export function createSqliteDriver(options: SqliteDriverOptions): DialectDriver {
  const raw = new BetterSqlite3(options.file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // A file database checkpoints from a worker thread; the commit path only appends to the WAL.
  const checkpoint =
    options.file === ':memory:' || options.file === ''
      ? null
      : startBackgroundCheckpoint({
          file: options.file,
          module: require.resolve('better-sqlite3'),
          onFailure: () => {
            if (raw.open) raw.pragma('wal_autocheckpoint = 1000');
          },
        });
  if (checkpoint) raw.pragma('wal_autocheckpoint = 0');
  const onQuery = options.onQuery;
  const statements = new Map<string, BetterSqlite3.Statement>();
  const kysely = new Kysely<Tables>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }),
    ...(onQuery ? { log: (event: LogEvent) => onQuery(event.queryDurationMillis) } : {}),
  });
  const searchIndex = createDeferredSearchIndex(raw, kysely, {
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    // The data layer has no logger; a warning reaches the server's stderr (and the retries back off).
    onError: (error, documentId) =>
      process.emitWarning(
        `document ${documentId} could not be added to the search index and stays pending (retried later): ${error instanceof Error ? error.message : String(error)}`,
        { code: 'DD_SEARCH_INDEX' },
      ),
  });

  const groupCommit = createGroupCommit(raw, kysely);

  return {
    capabilities: SQLITE_CAPABILITIES,
    kysely,

    transaction: (work) => groupCommit.run(work),

    async migrate() {
      const migrator = new Migrator({
        db: kysely,
        provider: { getMigrations: async () => sqliteMigrations },
      });
      const { error } = await migrator.migrateToLatest();
      if (error)
        throw new DesignDocError('DD_E_INTERNAL', `Database migration failed: ${String(error)}`, {
          cause: error,
        });
      // Saves a previous process committed but did not index (it crashed, or was killed).
      await searchIndex.drain();
    },

    async indexDocument(_db: Kysely<Tables>, documentId: number, text: SearchDocumentText) {
      // The body is the current revision's text, which the indexer reads back itself.
      searchIndex.enqueue(documentId, text);
    },

    async search(
      db: Kysely<Tables>,
      typed: string,
      limit: number,
      restrict: RestrictDocuments,
    ): Promise<SearchHit[]> {
      const query = fts5Query(typed);
      // Nothing but punctuation: no word to look for, as on PostgreSQL.
      if (query === null) return [];
      // Every committed save is searchable: what the deferred index still holds goes in first —
      // without waiting for another process's write lock (the search then answers from the index
      // as it is), and not from inside a transaction, which holds the connection a drain needs.
      if (!db.isTransaction) await searchIndex.drain({ noWait: true });
      // Ranking is bounded: bm25 is computed for at most SEARCH_CANDIDATES matches (the newest),
      // not for every document a common word is in. (bm25 still counts every match of each
      // phrase once per query, for its IDF: a cost that grows with the corpus, about 6 ms for a
      // common phrase at 100,000 documents, and most of what the slower queries cost.)
      // The best `top` of them are joined to documents for the visibility rule first; only when
      // too few of those may be seen are all candidates joined, so the answer is the same.
      const ranked = (top: number) => {
        const builder = db
          .selectFrom(
            sql<{
              rowid: number;
              rank: number;
            }>`(select rowid, rank from (select rowid, bm25(documents_fts, 10.0, 4.0, 1.0) as rank from documents_fts where documents_fts match ${query} order by rowid desc limit ${SEARCH_CANDIDATES}) order by rank limit ${top})`.as(
              'f',
            ),
          )
          .innerJoin('documents as d', (join) => join.on(sql<boolean>`d.id = f.rowid`))
          // Title matches weigh most, then metadata, then body.
          .select(['d.id as documentId', 'd.slug', 'd.title', 'd.status', sql<number>`f.rank`.as('rank')])
          .where('d.archived_at', 'is', null);
        return (restrict(builder as never) as unknown as typeof builder)
          .orderBy('rank')
          .limit(limit)
          .execute();
      };
      // Whether the query has more than `n` candidates (no ranking: cheap for the rare words
      // whose few matches leave a page short).
      const moreThan = async (n: number) =>
        (
          await sql<{
            n: number;
          }>`select count(*) as n from (select rowid from documents_fts where documents_fts match ${query} limit ${n + 1})`.execute(
            db,
          )
        ).rows[0]!.n > n;
      try {
        const top = limit * VISIBLE_OVERFETCH;
        let rows = await ranked(top);
        if (rows.length < limit && (await moreThan(top))) rows = await ranked(SEARCH_CANDIDATES);
        if (rows.length === 0) return [];
        // Highlight only the page. snippet() re-evaluates the match for each row it is asked
        // about, and a prefix without index entries (`regio*`) re-expands into every matching
        // term each time (50 ms for 20 rows): then the match is evaluated once over the page's
        // rowid range (within the newest candidates) and filtered to the page instead. Indexed
        // prefixes are read like words, and the range would cost them more (15 ms against 5).
        const ids = sql.join(rows.map((r) => r.documentId));
        const page = searchPrefixes(query).some((prefix) => !INDEXED_PREFIX_LENGTHS.has([...prefix].length))
          ? sql`rowid >= ${Math.min(...rows.map((r) => r.documentId))} and +rowid in (${ids})`
          : sql`rowid in (${ids})`;
        const snippets = await sql<{
          rowid: number;
          snippet: string;
        }>`select rowid, snippet(documents_fts, -1, ${MARK_OPEN}, ${MARK_CLOSE}, '…', 16) as snippet from documents_fts where documents_fts match ${query} and ${page}`.execute(
          db,
        );
        const byId = new Map(snippets.rows.map((r) => [Number(r.rowid), r.snippet]));
        return rows.map((row) => ({
          documentId: row.documentId,
          slug: row.slug,
          title: row.title,
          status: row.status,
          rank: Number(row.rank),
          snippet: escapeHtml(byId.get(row.documentId) ?? '')
            .split(MARK_OPEN)
            .join('<mark>')
            .split(MARK_CLOSE)
            .join('</mark>'),
        }));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (
          /fts5|syntax error|no such column|unterminated|malformed MATCH|unknown special query/i.test(message)
        ) {
          throw new DesignDocError(
            'DD_E_SEARCH_SYNTAX',
            `The search query is not valid: ${message.replace(/^fts5: /, '')}.`,
            {
              location: { field: 'q' },
              cause: error,
            },
          );
        }
        throw error;
      }
    },

    async bulkInsert(table: 'extracts', columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>) {
      // Kysely runs every query on this one connection, so a statement here joins its open
      // transaction; one prepared statement beats compiling a many-row INSERT per save.
      const key = `${table}(${columns.join(',')})`;
      let statement = statements.get(key);
      if (!statement) {
        statement = raw.prepare(
          `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        statements.set(key, statement);
      }
      for (const row of rows) statement.run(...row);
    },

    isUniqueViolation(error: unknown): boolean {
      return error instanceof Error && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
    },

    async backupTo(file: string, options?: BackupOptions) {
      // Into a fresh file renamed over the target when complete: the backup API refuses a target
      // that is not a database, and a failed backup must not cost the previous one.
      const partial = `${file}.partial`;
      rmSync(partial, { force: true });
      try {
        // Both are one consistent snapshot while servers keep writing: the backup API copies
        // pages (free ones included); VACUUM INTO rebuilds the tables into the copy within one
        // read transaction, leaving out what earlier deletes and index rebuilds freed. The pages
        // go in one step: copied a hundred at a time, a write from another connection (a running
        // server) restarts the copy, and a server that saves more often than a step takes keeps
        // restarting it for ever. One step is one read transaction, which in WAL mode writers do
        // not wait for.
        if (options?.compact) raw.prepare('vacuum into ?').run(partial);
        else await raw.backup(partial, { progress: () => ALL_PAGES });
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
      renameSync(partial, file);
    },

    async close() {
      await searchIndex.close();
      await checkpoint?.stop();
      await kysely.destroy();
    },
  };
}
