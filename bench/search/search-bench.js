/**
 * The search benchmark's shared parts, so SQLite (bench/search/run.mjs) and PostgreSQL
 * (bench/search/run.mjs --dialect postgres, and part 1 of bench/scale/run.mjs) load the same
 * documents and time the same queries the same way:
 *   - `benchDocument(i)`: row i of the corpus (generated design document, title, status, metadata);
 *   - `loadSqlite()` / `loadPostgres()`: rows straight into the tables `search()` reads (parsing and
 *     linting 100,000 documents would measure the linter, not the search);
 *   - `measureSearch()`: sequential `db.search()` calls from one client, p50/p95/p99 overall and per
 *     query. Search latency is a per-query measure; throughput under many connections is another.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { generateDesignDocument } from '../shared/design-document-generator.js';

/** Generator seed of the search corpus (the same documents on every run and machine). */
export const SEARCH_SEED = 20261127;

/**
 * The queries timed, in order: common words, a word in no document, several words, a phrase,
 * AND / OR / NOT, a prefix and a column filter. Keep this list stable: results are only comparable
 * across runs that time the same queries.
 */
export const SEARCH_QUERIES = [
  'idempotency',
  'redis',
  'search results lag',
  '"feature flags"',
  'payments AND latency',
  'rollback OR rollout',
  'cach*',
  'title:analytics',
  'encryption NOT kafka',
  'onboarding',
];

/**
 * Queries that trip a planner or an engine rather than stress it, timed with --extra and reported
 * apart from SEARCH_QUERIES: words in about 2-3% of documents, an OR of common words, column
 * filters whose word is common elsewhere, a title phrase, NOT with common words, more prefixes.
 */
export const EXTRA_QUERIES = [
  'superseded',
  'withdrawn',
  'kafka OR clickhouse',
  'title:payments latency',
  'title:"feature flags"',
  'metadata:withdrawn',
  'metadata:redis',
  'body:redis',
  'redis NOT kafka',
  'migr*',
];

/** A member who sees every non-draft and none of the drafts (they author none): the usual reader. */
export const SEARCH_VISIBILITY = { all: false, userId: 1 };

/**
 * Row i of the corpus. One document in five is a draft (hidden from SEARCH_VISIBILITY), one in
 * five in review, the rest approved; the metadata is the document's header lines, as the server's
 * analysis flattens them (`Key: value` per line).
 * @param {number} i
 */
export function benchDocument(i) {
  const body = generateDesignDocument(SEARCH_SEED, i);
  const title = /^# (.+)$/m.exec(body)?.[1] ?? `Document ${i}`;
  const status = i % 5 === 0 ? 'draft' : i % 5 === 1 ? 'in-review' : 'approved';
  const header = body.slice(0, body.indexOf('\n## ') >>> 0);
  const metadata = [...header.matchAll(/^([A-Z][A-Za-z ]*): (.+)$/gm)]
    .map((m) => (m[1] === 'Status' ? `Status: ${status}` : m[0]))
    .join('\n');
  return { id: i + 1, slug: `doc-${i + 1}`, title, status, metadata, body };
}

/**
 * Loads `docs` documents into a migrated SQLite file (documents + documents_fts) in one
 * transaction through prepared statements. Returns the seconds it took.
 * @param {string} file
 * @param {number} docs
 * @param {(text: string) => void} log
 */
export function loadSqlite(file, docs, log) {
  const started = performance.now();
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -262144');
  const now = new Date().toISOString();
  const insertDocument = raw.prepare(
    `insert into documents (id, slug, title, template, status, status_raw, labels, current_revision, score, error_count, created_at, updated_at)
     values (?, ?, ?, 'design-document', ?, ?, '[]', 1, 80, 0, ?, ?)`,
  );
  const insertText = raw.prepare(
    'insert into documents_fts (rowid, title, metadata, body) values (?, ?, ?, ?)',
  );
  raw.transaction(() => {
    for (let i = 0; i < docs; i++) {
      const d = benchDocument(i);
      insertDocument.run(d.id, d.slug, d.title, d.status, d.status, now, now);
      insertText.run(d.id, d.title, d.metadata, d.body);
      if ((i + 1) % 10_000 === 0) log(`sqlite: ${i + 1} / ${docs} documents loaded`);
    }
  })();
  // No 'optimize' or ANALYZE afterwards: the index is left as FTS5's automerge leaves it, as in a
  // server that indexed its documents one save at a time.
  raw.close();
  return (performance.now() - started) / 1000;
}

/**
 * Loads `docs` documents into a migrated PostgreSQL database (documents, search_index and
 * search_header_index), two loaders in parallel, the GIN indexes built once after the load.
 * Returns the seconds it took.
 * @param {string} url
 * @param {number} docs
 * @param {(text: string) => void} log
 */
export async function loadPostgres(url, docs, log) {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Index definitions as the migrations left them, dropped for the load and re-created after it.
  const { rows: indexes } = await client.query(
    `select indexname, indexdef from pg_indexes where tablename in ('search_index', 'search_header_index') and indexdef ilike '%using gin%'`,
  );
  for (const index of indexes) await client.query(`drop index ${index.indexname}`);
  const now = new Date().toISOString();
  const BATCH = 500;
  let next = 0;
  async function loader() {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (;;) {
      const from = next;
      next += BATCH;
      if (from >= docs) break;
      const batch = [];
      for (let i = from; i < Math.min(docs, from + BATCH); i++) batch.push(benchDocument(i));
      await c.query(
        `insert into documents (id, slug, title, template, status, status_raw, labels, current_revision, score, error_count, created_at, updated_at)
         select x.id, x.slug, x.title, 'design-document', x.status, x.status, '[]', 1, 80, 0, $2, $2
         from json_to_recordset($1::json) as x(id int, slug text, title text, status text)`,
        [JSON.stringify(batch.map(({ id, slug, title, status }) => ({ id, slug, title, status }))), now],
      );
      await c.query(
        `insert into search_index (document_id, title, metadata, body)
         select x.id, x.title, x.metadata, x.body from json_to_recordset($1::json) as x(id int, title text, metadata text, body text)`,
        [JSON.stringify(batch.map(({ id, title, metadata, body }) => ({ id, title, metadata, body })))],
      );
      if ((from / BATCH) % 20 === 0)
        log(`postgres: ${Math.min(docs, from + BATCH)} / ${docs} documents loaded`);
    }
    await c.end();
  }
  await Promise.all([loader(), loader()]);
  // The narrow title and metadata vectors (migration 0005), as the driver's indexDocument writes them.
  const header = await client.query(`select 1 from pg_tables where tablename = 'search_header_index'`);
  if (header.rowCount === 1)
    await client.query(
      `insert into search_header_index (document_id, title_tsv, metadata_tsv)
       select document_id, to_tsvector('english', title), to_tsvector('english', metadata) from search_index`,
    );
  await client.query(`select setval(pg_get_serial_sequence('documents', 'id'), ${docs})`);
  await client.query(`set maintenance_work_mem = '512MB'`);
  for (const index of indexes) await client.query(index.indexdef);
  await client.query('vacuum analyze');
  await client.end();
  return (performance.now() - started) / 1000;
}

/** Documents already in a migrated database (a kept one, reused with --reuse). */
export async function countPostgresDocuments(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select (select count(*)::int from search_index) as n, to_regclass('search_header_index') is not null as header`,
    );
    // A kept database loaded before the header table existed got it from the migration.
    if (rows[0].header) {
      const header = await client.query('select count(*)::int as n from search_header_index');
      if (header.rows[0].n !== rows[0].n) throw new Error('search_header_index does not match search_index');
    }
    return rows[0].n;
  } finally {
    await client.end();
  }
}

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const round = (x) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/**
 * Times `db.search()` over `queries` (SEARCH_QUERIES by default), one query at a time: one
 * warm-up pass, then `rounds` passes. Load average is read before and after, since the machine is
 * shared.
 * @param {{ search: (q: string, o: { visibility: object, limit: number }) => Promise<unknown[]> }} db
 * @param {{ rounds?: number, limit?: number, queries?: string[] }} [options]
 */
export async function measureSearch(db, options = {}) {
  const rounds = options.rounds ?? 10;
  const limit = options.limit ?? 20;
  const queries = options.queries ?? SEARCH_QUERIES;
  const loadBefore = loadavg();
  for (const q of queries) await db.search(q, { visibility: SEARCH_VISIBILITY, limit });
  const samples = [];
  const perQuery = new Map(queries.map((q) => [q, { hits: 0, samples: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const t = performance.now();
      const hits = await db.search(q, { visibility: SEARCH_VISIBILITY, limit });
      const ms = performance.now() - t;
      samples.push(ms);
      const entry = perQuery.get(q);
      entry.hits = hits.length;
      entry.samples.push(ms);
    }
  }
  const loadAfter = loadavg();
  // 1, 5 and 15 minute averages, named (plain arrays would not survive Prettier unchanged).
  const named = ([m1, m5, m15]) => ({
    m1: Math.round(m1 * 100) / 100,
    m5: Math.round(m5 * 100) / 100,
    m15: Math.round(m15 * 100) / 100,
  });
  return {
    rounds,
    limit,
    loadAverage: { before: named(loadBefore), after: named(loadAfter) },
    latencyMs: percentiles(samples),
    perQuery: Object.fromEntries(
      [...perQuery].map(([q, v]) => {
        const { p50, p95, p99, max } = percentiles(v.samples);
        return [q, { hits: v.hits, p50, p95, p99, max }];
      }),
    ),
  };
}

/** "1.2 1.5 1.9 → 2.0 1.6 1.9": the 1/5/15-minute load averages before and after a measurement. */
export function formatLoad({ before, after }) {
  return `${before.m1} ${before.m5} ${before.m15} → ${after.m1} ${after.m5} ${after.m15}`;
}
