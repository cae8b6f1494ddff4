#!/usr/bin/env node
/**
 * Search latency at N documents (100,000 by default) through `Database.search()`, on SQLite
 * (FTS5; issue 3's target p95 ≤ 20 ms) and/or PostgreSQL (tsvector + GIN; issue 5's target
 * p95 ≤ 25 ms). Documents are loaded straight into the tables the search reads (see
 * search-bench.js), then the fixed query list is timed sequentially from one client.
 * Runs from the TypeScript sources (Vite's module runner). Writes JSON to bench/search/results/
 * and prints markdown tables for BENCHMARKS.md. Usage:
 *   node bench/search/run.mjs [--dialect sqlite|postgres|both] [--docs 100000] [--rounds 10]
 *                             [--keep] [--reuse] [--extra]
 * --keep leaves the loaded database (SQLite file under the OS temp folder, PostgreSQL database
 * designdoc_bench_search); --reuse times a kept one again instead of loading (it must hold --docs
 * documents), and still brings its schema up to date first. --extra also times EXTRA_QUERIES
 * (planner and engine traps, see search-bench.js), reported apart.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';
import { benchArgs, positiveInteger, usageError } from '../shared/bench-args.js';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { describeMachine } from '../shared/describe-machine.js';
import { formatMarkdownTable } from '../shared/format-table.js';
import { importSource } from './source-modules.js';
import {
  EXTRA_QUERIES,
  countPostgresDocuments,
  formatLoad,
  loadPostgres,
  loadSqlite,
  measureSearch,
} from './search-bench.js';

const USAGE = `usage: node bench/search/run.mjs [--dialect sqlite|postgres|both] [--docs 100000] [--rounds 10]
                                 [--keep] [--reuse] [--extra]
  --keep    leave the loaded database for a later --reuse
  --reuse   time a kept database again instead of loading one
  --extra   also time the planner and engine traps, reported apart
`;
const values = benchArgs('bench:search', USAGE, {
  dialect: { type: 'string', default: 'sqlite' },
  docs: { type: 'string', default: '100000' },
  rounds: { type: 'string', default: '10' },
  keep: { type: 'boolean', default: false },
  reuse: { type: 'boolean', default: false },
  extra: { type: 'boolean', default: false },
});
const DOCS = positiveInteger('bench:search', USAGE, 'docs', values.docs);
const ROUNDS = positiveInteger('bench:search', USAGE, 'rounds', values.rounds);
const dialects = values.dialect === 'both' ? ['sqlite', 'postgres'] : [values.dialect];
for (const d of dialects)
  if (d !== 'sqlite' && d !== 'postgres')
    usageError('bench:search', USAGE, `--dialect must be sqlite, postgres or both, not "${d}"`);
const ADMIN_URL = process.env.DESIGNDOC_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET_P95 = { sqlite: 20, postgres: 25 };
const here = import.meta.dirname;
const log = (text) => process.stderr.write(`bench:search: ${text}\n`);

async function admin(text) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function sqliteDocuments(file) {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return raw.prepare('select count(*) as n from documents').get().n;
  } finally {
    raw.close();
  }
}

async function benchSqlite(data) {
  const file = join(tmpdir(), `designdoc-bench-search-${DOCS}.sqlite`);
  let loadSeconds = null;
  if (!(values.reuse && existsSync(file))) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    await (await data.openDatabase({ dialect: 'sqlite', file })).close();
    loadSeconds = Math.round(loadSqlite(file, DOCS, log));
    log(`sqlite: loaded ${DOCS} documents in ${loadSeconds} s`);
  }
  const db = await data.openDatabase({ dialect: 'sqlite', file });
  const found = sqliteDocuments(file);
  if (found !== DOCS) throw new Error(`${file} holds ${found} documents, not ${DOCS}; run without --reuse`);
  const result = await measureSearch(db, { rounds: ROUNDS });
  if (values.extra) result.extra = await measureSearch(db, { rounds: ROUNDS, queries: EXTRA_QUERIES });
  await db.close();
  if (!values.keep) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  return { dialect: 'sqlite', documents: DOCS, loadSeconds, ...result };
}

async function benchPostgres(data) {
  const name = 'designdoc_bench_search';
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const exists = (await admin(`select 1 from pg_database where datname = '${name}'`)).rowCount === 1;
  let loadSeconds = null;
  if (!(values.reuse && exists)) {
    await admin(`drop database if exists ${name} with (force)`);
    await admin(`create database ${name}`);
    await (await data.openDatabase({ dialect: 'postgres', url: url.toString() })).close();
    loadSeconds = Math.round(await loadPostgres(url.toString(), DOCS, log));
    log(`postgres: loaded ${DOCS} documents in ${loadSeconds} s`);
  }
  const db = await data.openDatabase({ dialect: 'postgres', url: url.toString(), poolSize: 4 });
  const found = await countPostgresDocuments(url.toString());
  if (found !== DOCS) throw new Error(`${name} holds ${found} documents, not ${DOCS}; run without --reuse`);
  const result = await measureSearch(db, { rounds: ROUNDS });
  if (values.extra) result.extra = await measureSearch(db, { rounds: ROUNDS, queries: EXTRA_QUERIES });
  await db.close();
  if (!values.keep) await admin(`drop database if exists ${name} with (force)`);
  return { dialect: 'postgres', documents: DOCS, loadSeconds, ...result };
}

function perQueryTable(perQuery) {
  return formatMarkdownTable(
    ['query', 'hits', 'p50 ms', 'p95 ms', 'p99 ms'],
    Object.entries(perQuery).map(([q, v]) => [
      q,
      String(v.hits),
      String(v.p50),
      String(v.p95),
      String(v.p99),
    ]),
  );
}

const machine = describeMachine();
const data = await importSource('server/data/index.ts');
const results = {
  machine,
  command: `node bench/search/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  runs: [],
};
for (const dialect of dialects)
  results.runs.push(dialect === 'sqlite' ? await benchSqlite(data) : await benchPostgres(data));
mkdirSync(join(here, 'results'), { recursive: true });
const file = join(here, 'results', `${machine.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

const out = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}; ${machine.date}`,
  '',
];
for (const run of results.runs) {
  const target = TARGET_P95[run.dialect];
  const s = run.latencyMs;
  out.push(
    `Search on ${run.dialect} at ${run.documents} documents, ${run.rounds} rounds, load average ${formatLoad(run.loadAverage)} (target p95 ≤ ${target} ms):`,
    '',
    formatMarkdownTable(
      ['queries', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'target'],
      [
        [
          String(s.n),
          String(s.p50),
          String(s.p95),
          String(s.p99),
          String(s.max),
          s.p95 <= target ? 'met' : 'NOT met',
        ],
      ],
    ),
    '',
    perQueryTable(run.perQuery),
    '',
  );
}
for (const run of results.runs) {
  if (!run.extra) continue;
  const e = run.extra.latencyMs;
  out.push(
    `Extra queries on ${run.dialect} (not in the target's query list), load average ${formatLoad(run.extra.loadAverage)}: p50 ${e.p50} ms, p95 ${e.p95} ms, p99 ${e.p99} ms`,
    '',
    perQueryTable(run.extra.perQuery),
    '',
  );
}
process.stdout.write(`${out.join('\n')}\nResults: ${file}\n`);
process.exit(0);
