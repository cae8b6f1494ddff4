/**
 * The PostgreSQL dialect: node-postgres pool under Kysely's PostgresDialect, full-text search on a
 * weighted `tsvector` with a GIN index, `ts_rank` ordering and `ts_headline` snippets, and the
 * engine's own row locking (`FOR UPDATE`, `SKIP LOCKED`) for writes that meet. Several server
 * processes share one database, so `multiInstance` is true; backups run the operator's
 * `pg_dump` (see pg-dump.ts).
 */
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql, type LogEvent } from 'kysely';
import { DesignDocError } from '../../../core/errors.js';
import type { BackupOptions, DialectCapabilities, SearchHit } from '../database.js';
import type { DialectDriver, RestrictDocuments, SearchDocumentText } from '../dialect.js';
import type { Tables } from '../schema.js';
import { postgresMigrations } from './migrations.js';
import { pgDump } from './pg-dump.js';
import { firstSearchWord, toTsQuery } from './search-query.js';

export const POSTGRES_CAPABILITIES: DialectCapabilities = {
  name: 'postgres',
  supportsReturning: true,
  backupFormat: 'pg_dump',
  fullText: 'tsvector',
  multiInstance: true,
};

export interface PostgresDriverOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Largest number of pooled connections (default 10). */
  poolSize?: number;
  /** Receives each query's duration in milliseconds (metrics). */
  onQuery?: (millis: number) => void;
}

/** Snippet markers no document contains; replaced by <mark> after HTML-escaping the excerpt. */
const MARK_OPEN = '\u0001';
const MARK_CLOSE = '\u0002';
const HEADLINE_OPTIONS = `StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}, MaxWords=24, MinWords=10, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "`;
/** Body matches ranked beside every title match (see search). */
const RANK_CANDIDATES = 200;
/** Characters of text before the first match, and in all, that a snippet is cut from. */
const SNIPPET_LEAD = 120;
const SNIPPET_WINDOW = 600;
/** to_tsvector refuses inputs whose vector passes 1 MB; the index keeps the head of huge bodies. */
const MAX_INDEXED_CHARS = 400_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface SearchIndexTable {
  document_id: number;
  title: string;
  metadata: string;
  body: string;
}

/** Parses the URL early so a typo is a configuration error naming the setting, not a socket error. */
export function checkPostgresUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `databaseUrl is not a URL: ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//…@'))}.`,
      { location: { field: 'databaseUrl' } },
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `databaseUrl must start with postgres:// (got ${parsed.protocol}//).`,
      { location: { field: 'databaseUrl' } },
    );
  }
}

/** Connects a pool to the database at `url` and wraps it as a dialect driver. */
export function createPostgresDriver(options: PostgresDriverOptions): DialectDriver {
  checkPostgresUrl(options.url);
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const onQuery = options.onQuery;
  const kysely = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool }),
    ...(onQuery ? { log: (event: LogEvent) => onQuery(event.queryDurationMillis) } : {}),
  });

  return {
    capabilities: POSTGRES_CAPABILITIES,
    kysely,

    async migrate() {
      // Several instances may start at once: an advisory lock lets one migrate while the others wait.
      await sql`select pg_advisory_lock(727274)`.execute(kysely);
      try {
        const migrator = new Migrator({
          db: kysely,
          provider: { getMigrations: async () => postgresMigrations },
        });
        const { error } = await migrator.migrateToLatest();
        if (error)
          throw new DesignDocError('DD_E_INTERNAL', `Database migration failed: ${String(error)}`, {
            cause: error,
          });
      } finally {
        await sql`select pg_advisory_unlock(727274)`.execute(kysely);
      }
    },

    async indexDocument(db: Kysely<Tables>, documentId: number, text: SearchDocumentText) {
      const row = {
        document_id: documentId,
        title: text.title,
        metadata: text.metadata,
        body: text.body.slice(0, MAX_INDEXED_CHARS),
      };
      await db
        .withTables<{ search_index: SearchIndexTable }>()
        .insertInto('search_index')
        .values(row)
        .onConflict((oc) =>
          oc.column('document_id').doUpdateSet({ title: row.title, metadata: row.metadata, body: row.body }),
        )
        .execute();
    },

    async search(
      db: Kysely<Tables>,
      query: string,
      limit: number,
      restrict: RestrictDocuments,
    ): Promise<SearchHit[]> {
      const tsquery = toTsQuery(query);
      if (tsquery === null) return [];
      const q = sql`to_tsquery('english', ${tsquery})`;
      const withIndex = db.withTables<{ search_index: SearchIndexTable }>();
      try {
        // ts_rank reads each candidate's whole weighted vector, so ranking every match of a common
        // word at 100,000 documents costs seconds. The candidates are every title match (its own
        // small index) plus the first RANK_CANDIDATES body matches; exact for rarer words, an
        // approximation for words in more documents than that.
        // A title match implies a full match unless the query filters by column (weights) or
        // negates (`NOT` may hit the body): those take their candidates from the full vector alone.
        const titleImpliesMatch = !/:[*]?[ABC]|!/.test(tsquery);
        const bodyMatches = sql`(select document_id from search_index where tsv @@ ${q} limit ${RANK_CANDIDATES})`;
        const candidates = !titleImpliesMatch
          ? bodyMatches
          : sql`(select document_id from search_index where to_tsvector('english', title) @@ ${q} limit ${RANK_CANDIDATES}) union ${bodyMatches}`;
        let builder = withIndex
          .selectFrom('documents as d')
          .innerJoin('search_index as s', 's.document_id', 'd.id')
          .select([
            'd.id as documentId',
            'd.slug',
            'd.title',
            'd.status',
            sql<number>`ts_rank(s.tsv, ${q})`.as('rank'),
          ])
          .where(sql<boolean>`s.document_id in (${candidates})`)
          .where('d.archived_at', 'is', null);
        builder = restrict(builder as never) as unknown as typeof builder;
        const rows = await builder.orderBy('rank', 'desc').orderBy('d.id').limit(limit).execute();
        if (rows.length === 0) return [];
        const ids = rows.map((r) => r.documentId);
        // ts_headline parses all the text it is given: hand it a window that opens just before the
        // first occurrence of the first search word's stem, not the whole document.
        const word = firstSearchWord(query) ?? '';
        const stem = sql`coalesce((ts_lexize('english_stem', ${word}))[1], ${word})`;
        // Characters before the first word that starts with the stem (`\m`: start of a word, so
        // "redi" finds "Redis", not "credit"); the shortest-match pattern makes that the first one.
        const lead = sql`coalesce(length(substring(lower(body) from '^(.*?)\\m' || ${stem})), 0)`;
        const window = sql`substr(body, greatest(1, ${lead} - ${SNIPPET_LEAD}), ${SNIPPET_WINDOW})`;
        const heads = await withIndex
          .selectFrom('search_index')
          .select([
            'document_id',
            sql<string>`ts_headline('english', ${window}, ${q}, ${HEADLINE_OPTIONS})`.as('snippet'),
          ])
          .where('document_id', 'in', ids)
          .execute();
        const snippets = new Map(heads.map((h) => [h.document_id, h.snippet]));
        return rows.map((row) => ({
          documentId: row.documentId,
          slug: row.slug,
          title: row.title,
          status: row.status,
          // Lower is better on every dialect (bm25's convention); ts_rank is higher-is-better.
          rank: -Number(row.rank),
          snippet: escapeHtml(snippets.get(row.documentId) ?? '')
            .split(MARK_OPEN)
            .join('<mark>')
            .split(MARK_CLOSE)
            .join('</mark>'),
        }));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === '42601' || code === '22023') {
          throw new DesignDocError(
            'DD_E_SEARCH_SYNTAX',
            `The search query is not valid: ${(error as Error).message}.`,
            { location: { field: 'q' }, cause: error },
          );
        }
        throw error;
      }
    },

    isUniqueViolation(error: unknown): boolean {
      return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
    },

    async backupTo(file: string, backup?: BackupOptions): Promise<void> {
      const version = await sql<{ v: string }>`select current_setting('server_version') as v`
        .execute(kysely)
        .then((r) => r.rows[0]?.v ?? null)
        .catch(() => null);
      await pgDump({
        url: options.url,
        file,
        serverVersion: version,
        ...(backup?.env ? { env: backup.env } : {}),
      });
    },

    async close() {
      await kysely.destroy();
    },
  };
}
