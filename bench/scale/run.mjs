#!/usr/bin/env node
/**
 * The scale-out benchmark (issue 5), on the PostgreSQL and Redis of this machine:
 *   1. search latency (p50/p95/p99) through the PostgreSQL dialect's `search()` at N documents
 *      (100,000 by default), documents from the shared generator;
 *   2. the same HTTP load (cached document reads and searches, autocannon) against one instance
 *      and against two instances over one database and one Redis;
 *   3. webhook delivery lag (commit of the event → receipt by a real HTTP receiver), p50/p95/p99.
 * Runs from the TypeScript sources (Vite's module runner). Writes JSON to bench/scale/results/ and
 * prints markdown tables for BENCHMARKS.md. Usage:
 *   node bench/scale/run.mjs [--docs 100000] [--duration 10] [--connections 50] [--events 500] [--keep]
 *                            [--reuse] [--skip search,http,webhooks]
 * --keep leaves the databases; --reuse times search on a kept designdoc_bench_search (the same
 * database bench/search/run.mjs --dialect postgres uses) instead of loading it again.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { Buffer } from 'node:buffer';
import { URL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { generateDesignDocument } from '../shared/design-document-generator.js';
import { importSource } from '../search/source-modules.js';
import { countPostgresDocuments, formatLoad, loadPostgres, measureSearch } from '../search/search-bench.js';
import { describeMachine } from '../shared/describe-machine.js';
import { formatMarkdownTable } from '../shared/format-table.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    'http-docs': { type: 'string', default: '500' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    events: { type: 'string', default: '500' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    skip: { type: 'string', default: '' },
  },
});
const DOCS = Number(values.docs);
const HTTP_DOCS = Number(values['http-docs']);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const EVENTS = Number(values.events);
const skip = new Set(values.skip.split(',').filter(Boolean));
const ADMIN_URL = process.env.DESIGNDOC_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.DESIGNDOC_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const here = import.meta.dirname;
const log = (text) => process.stderr.write(`bench:scale: ${text}\n`);

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function admin(text) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function createDatabase(name) {
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
}

// ---- 1. search at N documents -----------------------------------------------------------------

async function benchSearch(data) {
  const name = 'designdoc_bench_search';
  const exists = (await admin(`select 1 from pg_database where datname = '${name}'`)).rowCount === 1;
  let url;
  let loadSeconds = null;
  if (values.reuse && exists) {
    url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    url = url.toString();
  } else {
    url = await createDatabase(name);
    await (await data.openDatabase({ dialect: 'postgres', url })).close();
    loadSeconds = Math.round(await loadPostgres(url, DOCS, (text) => log(`search: ${text}`)));
    log(`search: loaded ${DOCS} documents in ${loadSeconds} s`);
  }
  const db = await data.openDatabase({ dialect: 'postgres', url, poolSize: 4 });
  const found = await countPostgresDocuments(url);
  if (found !== DOCS) throw new Error(`${name} holds ${found} documents, not ${DOCS}; run without --reuse`);
  const result = await measureSearch(db, { rounds: 10 });
  await db.close();
  if (!values.keep) await admin(`drop database if exists ${name} with (force)`);
  return { documents: DOCS, loadSeconds, ...result };
}

// ---- 2. one vs two instances ------------------------------------------------------------------

function startInstance(databaseUrl, index) {
  const dataDir = mkdtempSync(join(tmpdir(), `designdoc-bench-${index}-`));
  const child = spawn(process.execPath, [join(here, '../../test/scale/server-process.mjs')], {
    env: {
      PATH: process.env.PATH,
      DESIGNDOC_PORT: '0',
      DESIGNDOC_DATA: dataDir,
      DESIGNDOC_DATABASE_URL: databaseUrl,
      DESIGNDOC_REDIS_URL: REDIS_URL,
      DESIGNDOC_LOG_LEVEL: 'silent',
      DESIGNDOC_EXAMPLES: 'false',
      DESIGNDOC_RATE_LIMIT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /READY (\S+)/.exec(out);
      if (m)
        resolve({
          url: m[1],
          stop: () =>
            new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))).then(() =>
              rmSync(dataDir, { recursive: true, force: true }),
            ),
        });
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
  });
}

function cannon(url, token, connections, slugs) {
  return new Promise((resolve, reject) => {
    let i = 0;
    autocannon(
      {
        url,
        connections,
        duration: DURATION,
        headers: { authorization: `Bearer ${token}` },
        requests: [
          {
            setupRequest: (request) => {
              i++;
              // Four document reads to one search: the mix of a team reading and looking things up.
              request.path =
                i % 5 === 0 ? '/api/v1/search?q=idempotency' : `/api/v1/documents/${slugs[i % slugs.length]}`;
              return request;
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function benchInstances(server, services) {
  const url = await createDatabase('designdoc_bench_http');
  const first = await startInstance(url, 0);
  const ctx = await server.openServices({
    dataDir: '/nonexistent',
    templatesDir: null,
    finalCommentDays: 0,
    databaseUrl: url,
    redisUrl: REDIS_URL,
  });
  const user = await services.createUser(ctx, services.systemActor(), {
    username: 'bench',
    displayName: 'Bench',
    role: 'member',
  });
  const token = (
    await services.createApiToken(ctx, services.systemActor(user), { name: 'bench', scopes: ['read'] })
  ).token;
  const slugs = [];
  for (let i = 0; i < HTTP_DOCS; i++) {
    const record = await services.createDocument(ctx, services.systemActor(user), {
      markdown: generateDesignDocument(7, i),
      id: `bench-${i}`,
    });
    slugs.push(record.slug);
  }
  await ctx.cache.close();
  await ctx.db.close();
  log(`http: ${HTTP_DOCS} documents created; one instance`);
  const one = await cannon(first.url, token, CONNECTIONS, slugs);
  const second = await startInstance(url, 1);
  log('http: two instances');
  const pair = await Promise.all([
    cannon(first.url, token, CONNECTIONS / 2, slugs),
    cannon(second.url, token, CONNECTIONS / 2, slugs),
  ]);
  await first.stop();
  await second.stop();
  if (!values.keep) await admin('drop database if exists designdoc_bench_http with (force)');
  const summary = (results) => ({
    requestsPerSecond: Math.round(results.reduce((s, r) => s + r.requests.average, 0)),
    p50Ms: Math.max(...results.map((r) => r.latency.p50)),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((s, r) => s + r.non2xx + r.errors, 0),
  });
  return {
    documents: HTTP_DOCS,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    one: summary([one]),
    two: summary(pair),
  };
}

// ---- 3. webhook delivery lag ------------------------------------------------------------------

async function benchWebhooks(data, worker) {
  const url = await createDatabase('designdoc_bench_events');
  const db = await data.openDatabase({ dialect: 'postgres', url });
  const lags = [];
  const receiver = createServer((request, response) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      lags.push(Date.now() - Date.parse(body.data.committedAt));
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  await db.events.createWebhook({
    url: `http://127.0.0.1:${receiver.address().port}/`,
    secret: 'whsec_bench',
    events: ['*'],
    format: 'json',
    active: true,
    description: 'bench',
    createdAt: new Date().toISOString(),
  });
  const workers = [
    worker.startWebhookWorker({ db, intervalMs: 50 }),
    worker.startWebhookWorker({ db, intervalMs: 50 }),
  ];
  // A steady 100 events/s over 20 documents, each committed in its own transaction.
  for (let i = 0; i < EVENTS; i++) {
    const at = new Date().toISOString();
    await db.transaction((tx) =>
      tx.appendEvents([
        {
          kind: 'document.revised',
          documentId: (i % 20) + 1,
          documentSlug: `doc-${i % 20}`,
          actor: 'bench',
          data: { committedAt: at, n: i },
          createdAt: at,
        },
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const deadline = Date.now() + 60_000;
  while (lags.length < EVENTS && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  for (const w of workers) await w.stop();
  await new Promise((resolve) => receiver.close(resolve));
  await db.close();
  if (!values.keep) await admin('drop database if exists designdoc_bench_events with (force)');
  const p = percentiles(lags);
  return {
    events: EVENTS,
    delivered: lags.length,
    workers: 2,
    pollIntervalMs: 50,
    lagMs: { p50: p.p50, p95: p.p95, p99: p.p99, max: p.max },
  };
}

// ---- run --------------------------------------------------------------------------------------

const machine = describeMachine();
const data = await importSource('server/data/index.ts');
const results = { machine, search: null, instances: null, webhooks: null };
if (!skip.has('search')) results.search = await benchSearch(data);
if (!skip.has('http')) {
  const server = await importSource('server/index.ts');
  const services = await importSource('server/services/index.ts');
  results.instances = await benchInstances(server, services);
}
if (!skip.has('webhooks')) {
  const worker = await importSource('server/events/webhook-worker.ts');
  results.webhooks = await benchWebhooks(data, worker);
}
mkdirSync(join(here, 'results'), { recursive: true });
const file = join(here, 'results', `${machine.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

const out = [
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}; ${machine.date}`,
  '',
];
if (results.search) {
  const s = results.search;
  out.push(
    `Search on PostgreSQL at ${s.documents} documents, load average ${formatLoad(s.loadAverage)} (target p95 ≤ 25 ms):`,
    '',
  );
  out.push(
    formatMarkdownTable(
      ['queries', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'target'],
      [
        [
          String(s.latencyMs.n),
          String(s.latencyMs.p50),
          String(s.latencyMs.p95),
          String(s.latencyMs.p99),
          String(s.latencyMs.max),
          s.latencyMs.p95 <= 25 ? 'met' : 'NOT met',
        ],
      ],
    ),
    '',
  );
  out.push(
    formatMarkdownTable(
      ['query', 'hits', 'p50 ms', 'p95 ms', 'p99 ms'],
      Object.entries(s.perQuery).map(([q, v]) => [
        q,
        String(v.hits),
        String(v.p50),
        String(v.p95),
        String(v.p99),
      ]),
    ),
    '',
  );
}
if (results.instances) {
  const h = results.instances;
  out.push(
    `HTTP load (4 document reads : 1 search, ${h.connections} connections, ${h.durationSeconds} s, ${h.documents} documents):`,
    '',
  );
  out.push(
    formatMarkdownTable(
      ['instances', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
      [
        [
          '1',
          String(h.one.requestsPerSecond),
          String(h.one.p50Ms),
          String(h.one.p99Ms),
          String(h.one.non2xx),
        ],
        [
          '2',
          String(h.two.requestsPerSecond),
          String(h.two.p50Ms),
          String(h.two.p99Ms),
          String(h.two.non2xx),
        ],
      ],
    ),
    '',
  );
}
if (results.webhooks) {
  const w = results.webhooks;
  out.push(
    `Webhook delivery lag (${w.events} events at ~100/s, ${w.workers} workers, ${w.delivered} delivered):`,
    '',
  );
  out.push(
    formatMarkdownTable(
      ['p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [[String(w.lagMs.p50), String(w.lagMs.p95), String(w.lagMs.p99), String(w.lagMs.max)]],
    ),
    '',
  );
}
process.stdout.write(`${out.join('\n')}\nResults: ${file}\n`);
process.exit(0);
