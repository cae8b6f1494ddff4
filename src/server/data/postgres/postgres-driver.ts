/**
 * The PostgreSQL dialect: node-postgres pool under Kysely's PostgresDialect, full-text search on a
 * weighted `tsvector` with a GIN index, `ts_rank` ordering and `ts_headline` snippets, and the
 * engine's own row locking (`FOR UPDATE`, `SKIP LOCKED`) for writes that meet. Several server
 * processes share one database, so `multiInstance` is true; backups run the operator's
 * `pg_dump` (see pg-dump.ts).
 */
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql, type LogEvent, type RawBuilder } from 'kysely';
import { DesignDocError } from '../../../core/errors.js';
import type { BackupOptions, DialectCapabilities, SearchHit } from '../database.js';
import type { DialectDriver, RestrictDocuments, SearchDocumentText } from '../dialect.js';
import type { Tables } from '../schema.js';
import { unreachableError } from '../connection-errors.js';
import { postgresMigrations } from './migrations.js';
import { pgDump } from './pg-dump.js';
import { firstSearchWord, planSearchQuery, type SearchPlan } from './search-query.js';

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

/** How long the first connection may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Snippet markers no document contains; replaced by <mark> after HTML-escaping the excerpt. */
const MARK_OPEN = '\u0001';
const MARK_CLOSE = '\u0002';
const HEADLINE_OPTIONS = `StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}, MaxWords=24, MinWords=10, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "`;
/**
 * Ranking candidates (see search()): ts_rank reads a candidate's whole weighted vector (about
 * 7 KB at 9 KB documents), so it ranks a bounded set. Each source looks among the newest rows
 * first (RECENT_HEADERS narrow title vectors, RECENT_BODIES wide rows: a common word's candidates
 * end there) and goes to its GIN index only when those fall short (a rarer word).
 */
const TITLE_CANDIDATES = 200;
const BODY_CANDIDATES = 200;
const COLUMN_CANDIDATES = 400;
const RECENT_HEADERS = 2000;
const RECENT_BODIES = 1000;
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

/**
 * The ids of the documents search() ranks. Some may not match the whole query (the ranking keeps
 * only those whose weighted vector does). A query that needs a hit in one column in every branch
 * (`title:…`, `metadata:…`) takes the newest COLUMN_CANDIDATES documents with that hit, from the
 * column's narrow vector. Any other query takes the newest documents whose title alone matches
 * (title weighs most, so these lead the ranking however old they are) and matches anywhere: the
 * newest of a common word, every match of a word found in fewer than BODY_CANDIDATES documents,
 * and for the words between, the recent matches and as many more as the GIN index yields first.
 */
function candidates(plan: SearchPlan, q: RawBuilder<unknown>): RawBuilder<unknown> {
  const vector = sql.ref(plan.header.column === 'title' ? 'title_tsv' : 'metadata_tsv');
  const header = recentFirst({
    table: 'search_header_index',
    matches: sql`${vector} @@ to_tsquery('english', ${plan.header.tsquery})`,
    recent: RECENT_HEADERS,
    limit: plan.header.required ? COLUMN_CANDIDATES : TITLE_CANDIDATES,
    // Narrow rows: every indexed match sorted newest first is cheap.
    newestFirst: true,
  });
  if (plan.header.required) return header;
  const body = recentFirst({
    table: 'search_index',
    matches: sql`tsv @@ ${q}`,
    recent: RECENT_BODIES,
    limit: BODY_CANDIDATES,
    // Wide rows (a page each): sorting a word's 3,000 matches reads 3,000 pages, and walking the
    // primary key to find its newest 200 reads 7,000 (what the planner picks for a word in 3% of
    // the documents: 10-25 ms). The GIN index's first matches read 200.
    newestFirst: false,
  });
  return sql`(${header}) union all (${body})`;
}

/**
 * Up to `limit` ids of `table` rows that satisfy `matches`: those among the newest `recent` rows
 * first, then, only when those fall short, from the GIN index. Trying the newest rows first is
 * not only for recency: the planner estimates a word absent from every row like a rare one (about
 * 1% of the rows) and, for 1%, walks the primary key newest first, which reads the whole table when
 * the word is in none (40 ms over the narrow title vectors at 100,000 documents). A word common
 * enough for that walk to pay off ends within the newest rows, and the fallback cannot walk the
 * key (`document_id + 0`), so it reads the index.
 */
function recentFirst(options: {
  table: 'search_index' | 'search_header_index';
  matches: RawBuilder<unknown>;
  recent: number;
  limit: number;
  newestFirst: boolean;
}): RawBuilder<unknown> {
  const { matches, recent, limit } = options;
  const table = sql.table(options.table);
  // Newest first, the fallback's rows include the recent ones: it takes `limit` in all. Otherwise
  // it tops the recent ones up to `limit`.
  const rest = options.newestFirst
    ? sql`order by document_id + 0 desc limit ${limit}`
    : sql`limit (${limit} - (select count(*) from recent))`;
  return sql`
    with recent as materialized (
      select document_id from (select * from ${table} order by document_id desc limit ${recent}) newest
      where ${matches} limit ${limit}
    )
    select document_id from recent
    union all
    (select document_id from ${table} where ${matches} and (select count(*) from recent) < ${limit} ${rest})`;
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
      // The first connection, made with a deadline (the pool has none: a host that drops packets
      // would hang a start for minutes), tells an unreachable server from any other failure.
      const probe = new pg.Client({
        connectionString: options.url,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      });
      try {
        await probe.connect();
      } catch (error) {
        throw (
          unreachableError(
            'PostgreSQL',
            options.url,
            error,
            'check the database URL and that PostgreSQL runs there and accepts this client',
          ) ?? error
        );
      } finally {
        await probe.end().catch(() => undefined);
      }
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
      const body = text.body.slice(0, MAX_INDEXED_CHARS);
      // One statement for both tables: the text (its weighted vector is generated from it) and the
      // narrow title and metadata vectors search takes title candidates from.
      await sql`
        with indexed as (
          insert into search_index (document_id, title, metadata, body)
          values (${documentId}, ${text.title}, ${text.metadata}, ${body})
          on conflict (document_id) do update
            set title = excluded.title, metadata = excluded.metadata, body = excluded.body
          returning document_id
        )
        insert into search_header_index (document_id, title_tsv, metadata_tsv)
        select document_id, to_tsvector('english', ${text.title}), to_tsvector('english', ${text.metadata}) from indexed
        on conflict (document_id) do update
          set title_tsv = excluded.title_tsv, metadata_tsv = excluded.metadata_tsv`.execute(db);
    },

    async search(
      db: Kysely<Tables>,
      query: string,
      limit: number,
      restrict: RestrictDocuments,
    ): Promise<SearchHit[]> {
      const plan = planSearchQuery(query);
      if (plan === null) return [];
      const q = sql`to_tsquery('english', ${plan.tsquery})`;
      const withIndex = db.withTables<{ search_index: SearchIndexTable }>();
      try {
        let ranked = withIndex
          .selectFrom('documents as d')
          .innerJoin('search_index as s', 's.document_id', 'd.id')
          .select([
            'd.id as documentId',
            'd.slug',
            'd.title',
            'd.status',
            sql<number>`ts_rank(s.tsv, ${q})`.as('rank'),
          ])
          .where(sql<boolean>`s.document_id in (${candidates(plan, q)})`)
          .where(sql<boolean>`s.tsv @@ ${q}`)
          .where('d.archived_at', 'is', null);
        ranked = restrict(ranked as never) as unknown as typeof ranked;
        const page = ranked.orderBy('rank', 'desc').orderBy('d.id', 'desc').limit(limit);
        // The snippet in the same statement, computed for the page only. ts_headline parses all
        // the text it is given: it gets a window opening just before the first word that starts
        // with the first search word's stem (`\m`: start of a word, so "redi" finds "Redis", not
        // "credit"), not the whole document.
        const word = firstSearchWord(query) ?? '';
        const stem = sql`coalesce((ts_lexize('english_stem', ${word}))[1], ${word})`;
        const lead = sql`regexp_instr(h.body, '\\m' || ${stem}, 1, 1, 0, 'i')`;
        const window = sql`substr(h.body, greatest(1, ${lead} - ${SNIPPET_LEAD}), ${SNIPPET_WINDOW})`;
        const rows = await withIndex
          .selectFrom(page.as('r'))
          .innerJoin('search_index as h', 'h.document_id', 'r.documentId')
          .select([
            'r.documentId',
            'r.slug',
            'r.title',
            'r.status',
            'r.rank',
            sql<string>`ts_headline('english', ${window}, ${q}, ${HEADLINE_OPTIONS})`.as('snippet'),
          ])
          .orderBy('r.rank', 'desc')
          .orderBy('r.documentId', 'desc')
          .execute();
        return rows.map((row) => ({
          documentId: row.documentId,
          slug: row.slug,
          title: row.title,
          status: row.status,
          // Lower is better on every dialect (bm25's convention); ts_rank is higher-is-better.
          rank: -Number(row.rank),
          snippet: escapeHtml(row.snippet).split(MARK_OPEN).join('<mark>').split(MARK_CLOSE).join('</mark>'),
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
