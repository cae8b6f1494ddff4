#!/usr/bin/env node
/**
 * The API benchmark (issue 3): autocannon on 127.0.0.1 against the real server holding N
 * generated documents (10,000 by default) — an authenticated cached document read, a list page, a
 * search and a save — each beside, in the same run, a bare Fastify route returning the same bytes
 * from a Map. Prints req/s, latency percentiles, the ratio to the bare route and the server's RSS,
 * marks the targets met or not, and writes JSON to bench/api/results/.
 *
 * Needs the build (`npm run build`); DESIGNDOC_DIST points elsewhere. Usage:
 *   node bench/api/run.js [--docs 10000] [--duration 10] [--connections 50] [--rounds 3]
 *                         [--warmup 5] [--only read,list,search,save]
 * Each read scenario runs as --rounds pairs (designdoc, then the bare route), and the median ratio
 * is reported; CPU ms per request comes from /proc (Linux). Saves run --warmup seconds first,
 * not counted (0 measures a cold server).
 * `--only` runs a subset (for profiling one scenario: DESIGNDOC_BENCH_SERVER_ARGS="--cpu-prof" adds
 * node options to the server child only).
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { benchArgs, positiveInteger } from '../shared/bench-args.js';
import { writeDesignDocuments } from '../shared/design-document-generator.js';
import { describeMachine } from '../shared/describe-machine.js';
import { formatTextTable } from '../shared/format-table.js';
import { SEARCH_QUERIES } from '../search/search-bench.js';

const USAGE =
  'usage: node bench/api/run.js [--docs 10000] [--duration 10] [--connections 50] [--rounds 3] [--warmup 5] [--only read,list,search,save]\n';
const values = benchArgs('bench:api', USAGE, {
  docs: { type: 'string', default: '10000' },
  duration: { type: 'string', default: '10' },
  connections: { type: 'string', default: '50' },
  rounds: { type: 'string', default: '3' },
  warmup: { type: 'string', default: '5' },
  only: { type: 'string', default: 'read,list,search,save' },
});
const DOCS = positiveInteger('bench:api', USAGE, 'docs', values.docs);
const DURATION = positiveInteger('bench:api', USAGE, 'duration', values.duration);
const CONNECTIONS = positiveInteger('bench:api', USAGE, 'connections', values.connections);
const ROUNDS = positiveInteger('bench:api', USAGE, 'rounds', values.rounds);
const WARMUP = values.warmup === '0' ? 0 : positiveInteger('bench:api', USAGE, 'warmup', values.warmup);
const ONLY = new Set(values.only.split(',').map((name) => name.trim()));
const here = import.meta.dirname;
const dist = process.env.DESIGNDOC_DIST ?? join(here, '../../dist');
if (!existsSync(join(dist, 'server/index.js'))) {
  process.stderr.write(
    `bench:api: ${join(dist, 'server/index.js')} not found; run \`npm run build\` first (or set DESIGNDOC_DIST).\n`,
  );
  process.exit(2);
}

const children = new Set();
// A crashed run must not leave a server behind.
process.on('exit', () => {
  for (const proc of children) proc.kill('SIGTERM');
});
// Ctrl-C or a kill must still run the exit handlers: they stop the servers and delete the run's
// copy of the data (about 7 GB at 100,000 documents).
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
process.on('uncaughtException', (error) => {
  process.stderr.write(`bench:api: ${error.stack ?? error}\n`);
  process.exit(1);
});

/** Starts a server child and resolves with its port and a stop function. */
function child(mode, arg) {
  return new Promise((resolve, reject) => {
    const nodeArgs = (process.env.DESIGNDOC_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, join(here, 'server-child.js'), mode, arg], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    children.add(proc);
    proc.once('exit', () => children.delete(proc));
    let buffer = '';
    proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n')) {
        const { port } = JSON.parse(line);
        resolve({
          port,
          pid: proc.pid,
          stop: () =>
            new Promise((done) => {
              proc.once('exit', done);
              proc.kill('SIGTERM');
            }),
        });
      }
    });
    proc.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

/** Resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in MiB; null off Linux. */
function rssMiB(pid, field = 'VmRSS') {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, ms) a process has used, from /proc (Linux; null elsewhere). CPU per
 * request is what a loaded or shared machine changes least: throughput there also counts the
 * time other processes took the CPU.
 */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Runs one autocannon scenario against the process `pid` and adds its CPU ms per request. */
async function measured(pid, options) {
  const before = cpuMs(pid);
  const raw = await cannon(options);
  const after = cpuMs(pid);
  const result = summary(raw);
  const requests = raw.requests.total;
  result.cpuMsPerRequest =
    before === null || after === null || requests === 0
      ? null
      : Math.round(((after - before) / requests) * 100) / 100;
  return result;
}

function cannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(
      { duration: DURATION, connections: CONNECTIONS, pipelining: 1, ...options },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function summary(result) {
  return {
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p95: result.latency.p97_5 ?? result.latency.p95,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

// ---- prepare the data folder (cached between runs: same count, same generator) ----------------
// Up to 10,000 documents are imported through the service layer; beyond that, the 10,000 are
// replicated in SQL (bench/api/replicate-data.js) — a real import of 100,000 takes an hour here.
const IMPORTED = DOCS > 10_000 && DOCS % 10_000 === 0 ? 10_000 : DOCS;
const services = await import(pathToFileURL(join(dist, 'server/services/index.js')).href);
const server = await import(pathToFileURL(join(dist, 'server/index.js')).href);
const documentCount = async (ctx) =>
  (await ctx.db.countDocumentsByStatus()).reduce((sum, row) => sum + row.count, 0);
const importedDir = join(tmpdir(), `designdoc-bench-api-data-${IMPORTED}`);
{
  const ctx = await server.openServices({ dataDir: importedDir, templatesDir: null, finalCommentDays: 0 });
  if ((await documentCount(ctx)) < IMPORTED) {
    const { dir: docsDir } = writeDesignDocuments({ count: IMPORTED });
    process.stdout.write(
      `bench:api: importing ${IMPORTED} generated documents into ${importedDir} (once; reused next time)…\n`,
    );
    const started = Date.now();
    await services.importFolder(ctx, services.systemActor(), docsDir);
    process.stdout.write(`bench:api: imported in ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
  await ctx.db.close();
}
const dataDir = join(tmpdir(), `designdoc-bench-api-data-${DOCS}`);
if (DOCS !== IMPORTED) {
  mkdirSync(dataDir, { recursive: true });
  const probe = await server.openServices({ dataDir, templatesDir: null, finalCommentDays: 0 });
  const have = await documentCount(probe);
  await probe.db.close();
  if (have < DOCS) {
    process.stdout.write(`bench:api: replicating the ${IMPORTED} imported documents to ${DOCS} (once)…\n`);
    const started = Date.now();
    const { replicateDatabase } = await import('./replicate-data.js');
    const count = replicateDatabase(
      join(importedDir, 'designdoc.sqlite'),
      join(dataDir, 'designdoc.sqlite'),
      DOCS / IMPORTED,
    );
    process.stdout.write(`bench:api: ${count} documents in ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
}
// Every run works on its own copy: a run saves into 100 documents (each save appends a line and
// writes a revision), so runs on the cached folder itself would each start from larger documents
// and a larger file than the one before, and no two runs would measure the same thing.
const runDir = mkdtempSync(join(tmpdir(), `designdoc-bench-api-run-${DOCS}-`));
process.on('exit', () => rmSync(runDir, { recursive: true, force: true }));
for (const suffix of ['', '-wal'])
  if (existsSync(join(dataDir, `designdoc.sqlite${suffix}`)))
    copyFileSync(join(dataDir, `designdoc.sqlite${suffix}`), join(runDir, `designdoc.sqlite${suffix}`));
const prep = await server.openServices({ dataDir: runDir, templatesDir: null, finalCommentDays: 0 });
let bench = await prep.db.getUserByName('bench');
if (!bench)
  bench = await services.createUser(prep, services.systemActor(), { username: 'bench', role: 'admin' });
const { token } = await services.createApiToken(prep, services.systemActor(bench), {
  name: `bench ${new Date().toISOString()}`,
  scopes: ['read', 'write'],
});
const page = await prep.db.listDocuments(
  { visibility: { all: true, userId: null } },
  null,
  // The hot read, the save scenario's documents, and one for the bare route's sample save.
  2 * CONNECTIONS + 2,
);
if (page.items.length < 2 * CONNECTIONS + 2)
  throw new Error(
    `bench:api needs at least ${2 * CONNECTIONS + 2} documents for ${CONNECTIONS} connections (a hot read, two per connection to save, one sample save); it has ${page.items.length}: raise --docs or lower --connections`,
  );
const hot = page.items[0];
const saveTargets = page.items.slice(1, 2 * CONNECTIONS + 1).map((d) => d.slug);
await prep.db.close();

// ---- the real server --------------------------------------------------------------------------
const designdoc = await child('designdoc', runDir);
const base = `http://127.0.0.1:${designdoc.port}`;
const auth = { authorization: `Bearer ${token}` };
const readPath = `/api/v1/documents/${hot.slug}`;
const listPath = '/api/v1/documents?limit=50';
const searchPath = '/api/v1/search?q=cache&limit=20';
const fetchBody = async (path) => {
  const response = await globalThis.fetch(`${base}${path}`, { headers: auth });
  return {
    path,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
    status: response.status,
  };
};
/**
 * The bytes of a real save's answer, for the bare route to send back for every PUT: one save of a
 * document the save scenario does not edit (the scenario's own documents must start at the
 * revisions it reads).
 */
async function sampleSave() {
  const slug = page.items[2 * CONNECTIONS + 1].slug;
  const current = await (
    await globalThis.fetch(`${base}/api/v1/documents/${slug}`, { headers: auth })
  ).json();
  const response = await globalThis.fetch(`${base}/api/v1/documents/${slug}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json', 'if-match': `"${current.document.revision}"` },
    body: JSON.stringify({ markdown: `${current.markdown}\nSample edit.\n` }),
  });
  return {
    path: 'PUT',
    contentType: response.headers.get('content-type'),
    body: await response.text(),
    status: response.status,
  };
}
// The sample save first: it changes the list page, whose bytes the bare route must match.
const saved = ONLY.has('save') ? [await sampleSave()] : [];
const payloads = [
  await fetchBody(readPath),
  await fetchBody(listPath),
  await fetchBody(searchPath),
  ...saved,
];
for (const p of payloads)
  if (p.status !== 200) throw new Error(`${p.path}: ${p.status} ${p.body.slice(0, 200)}`);
// Warm the cache the way a real read pattern would.
await fetchBody(readPath);

// ---- the bare ceiling, same payloads, up beside it --------------------------------------------
const payloadFile = join(tmpdir(), `designdoc-bench-api-payloads-${process.pid}.json`);
writeFileSync(payloadFile, JSON.stringify(payloads));
process.on('exit', () => rmSync(payloadFile, { force: true }));
const bare = await child('bare', payloadFile);
const bareBase = `http://127.0.0.1:${bare.port}`;

const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor((numbers.length - 1) / 2)];

/**
 * One read scenario as `ROUNDS` pairs of runs, designdoc then the bare route, back to back: on a
 * shared machine the load changes by the minute, and a ratio of two runs minutes apart measures
 * that change more than the server. Reports the median pair (by ratio) and every ratio.
 */
async function alternating(path) {
  const pairs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const real = await measured(designdoc.pid, { url: `${base}${path}`, headers: auth });
    const ceiling = await measured(bare.pid, { url: `${bareBase}${path}` });
    pairs.push({ real, ceiling, ratio: real.reqPerSec / ceiling.reqPerSec });
  }
  const mid = median(pairs.map((p) => p.ratio));
  const chosen = pairs.find((p) => p.ratio === mid);
  return { ...chosen, ratios: pairs.map((p) => Math.round(p.ratio * 100) / 100) };
}

const results = {};
const ceilings = {};
const ratios = {};
for (const [name, path] of [
  ['read', readPath],
  ['list', listPath],
  ['search', searchPath],
]) {
  if (!ONLY.has(name)) continue;
  const { real, ceiling, ratios: all } = await alternating(path);
  results[name] = real;
  ceilings[name] = ceiling;
  ratios[name] = all;
}
/**
 * Search latency, the target's measure: the search benchmark's queries one at a time from one
 * client over HTTP (gateway included), one warm-up pass and then ten. The 50-connection run above
 * measures throughput: there a search waits behind the 49 others, so its latency is the queue's.
 */
async function searchLatency(rounds = 10) {
  const once = async (q) => {
    const started = performance.now();
    const response = await globalThis.fetch(`${base}/api/v1/search?q=${encodeURIComponent(q)}&limit=20`, {
      headers: auth,
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`search ${q}: ${response.status} ${body.slice(0, 200)}`);
    return performance.now() - started;
  };
  for (const q of SEARCH_QUERIES) await once(q);
  const samples = [];
  for (let round = 0; round < rounds; round++) for (const q of SEARCH_QUERIES) samples.push(await once(q));
  samples.sort((a, b) => a - b);
  const at = (p) =>
    Math.round(samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)] * 100) / 100;
  return {
    queries: SEARCH_QUERIES.length,
    requests: samples.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: at(1),
  };
}
if (ONLY.has('search')) results.searchLatency = await searchLatency();

if (ONLY.has('save')) {
  // Saves: each connection edits its own document, tracking the revision from each ETag.
  const texts = new Map();
  for (const slug of saveTargets) {
    const r = await globalThis.fetch(`${base}/api/v1/documents/${slug}`, { headers: auth });
    const json = await r.json();
    texts.set(slug, { markdown: json.markdown, revision: json.document.revision });
  }
  const saveStatuses = {};
  // autocannon resets a connection's context after every response, so the documents being edited
  // are tracked here: each request takes a document no other request is editing, and gives it
  // back with its new revision.
  const free = [...saveTargets];
  const editCount = new Map();
  const saveBody = (slug) => {
    const n = (editCount.get(slug) ?? 0) + 1;
    editCount.set(slug, n);
    return JSON.stringify({ markdown: `${texts.get(slug).markdown}\nEdit ${n}.\n` });
  };
  const saveRound = (options) => ({
    url: base,
    ...options,
    requests: [
      {
        method: 'PUT',
        setupRequest: (request, context) => {
          // A request that timed out never gave its document back; reuse one then (a 412 may follow).
          const slug = free.shift() ?? saveTargets[Math.floor(Math.random() * saveTargets.length)];
          context.slug = slug;
          return {
            ...request,
            path: `/api/v1/documents/${slug}`,
            headers: {
              ...auth,
              'content-type': 'application/json',
              'if-match': `"${texts.get(slug).revision}"`,
            },
            body: saveBody(slug),
          };
        },
        onResponse: (status, body, context) => {
          saveStatuses[status] = (saveStatuses[status] ?? 0) + 1;
          if (status === 200) texts.get(context.slug).revision = JSON.parse(body).document.revision;
          free.push(context.slug);
        },
      },
    ],
  });
  // A server that has just started runs the save path cold: the JIT compiles parse, lint and the
  // data layer for several seconds (about 9 CPU seconds of TurboFan on the background threads in
  // a cold 10-second run). A long-running server has done that long before; the warm-up saves
  // are not counted.
  if (WARMUP > 0) await cannon(saveRound({ duration: WARMUP }));
  for (const key of Object.keys(saveStatuses)) delete saveStatuses[key];
  results.save = await measured(designdoc.pid, saveRound({}));
  process.stdout.write(`save responses by status: ${JSON.stringify(saveStatuses)}\n`);
  // The ceiling: the same requests (bodies parsed as JSON) answered with a real save's bytes.
  ceilings.save = await measured(bare.pid, saveRound({ url: bareBase }));
  ratios.save = [Math.round((results.save.reqPerSec / ceilings.save.reqPerSec) * 100) / 100];
}
await bare.stop();
const rss = rssMiB(designdoc.pid);
const peakRss = rssMiB(designdoc.pid, 'VmHWM');
// Where the server's memory is, from its own Prometheus metrics (V8 heap, buffers outside it).
const memory = await (async () => {
  const text = await (await globalThis.fetch(`${base}/metrics`)).text();
  const metric = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const mib = (bytes) => Math.round(bytes / 1048576);
  return {
    heapTotalMiB: mib(metric('designdoc_nodejs_heap_size_total_bytes')),
    heapUsedMiB: mib(metric('designdoc_nodejs_heap_size_used_bytes')),
    externalMiB: mib(metric('designdoc_nodejs_external_memory_bytes')),
  };
})();
await designdoc.stop();

// ---- report -----------------------------------------------------------------------------------
const rows = [];
for (const name of ['read', 'list', 'search', 'save']) {
  const r = results[name];
  if (!r) continue;
  const c = ceilings[name];
  rows.push(
    [
      name,
      r.reqPerSec,
      r.p50,
      r.p95,
      r.p99,
      r.non2xx + r.errors,
      c ? c.reqPerSec : '—',
      c
        ? `${(r.reqPerSec / c.reqPerSec).toFixed(2)}${ratios[name].length > 1 ? ` (${ratios[name].join(', ')})` : ''}`
        : '—',
      r.cpuMsPerRequest ?? '?',
      c ? (c.cpuMsPerRequest ?? '?') : '—',
    ].map(String),
  );
}
const targets = [
  results.read && ['cached read ≥ 0.8× bare req/s', results.read.reqPerSec >= 0.8 * ceilings.read.reqPerSec],
  results.read && ['cached read p99 ≤ 10 ms', results.read.p99 <= 10],
  results.searchLatency && [
    `search p95 ≤ 20 ms, one client (${results.searchLatency.p95} ms at ${DOCS} documents; the target is set at 100,000)`,
    results.searchLatency.p95 <= 20,
  ],
  results.save && ['≥ 500 saves/s', results.save.reqPerSec >= 500],
  [`server peak RSS ≤ 250 MB (at ${DOCS} documents)`, peakRss !== null && peakRss * 1048576 <= 250e6],
].filter(Boolean);
const machine = describeMachine();
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
process.stdout.write(
  `\nbench:api — ${DOCS} documents, ${CONNECTIONS} connections, ${DURATION} s each, ${machine.cpu} × ${machine.cores}, node ${machine.node}, load average ${load}\n\n`,
);
process.stdout.write(
  `${formatTextTable(['scenario', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'bare req/s', 'ratio', 'CPU ms/req', 'bare CPU ms/req'], rows)}\n`,
);
if (results.searchLatency) {
  const l = results.searchLatency;
  process.stdout.write(
    `search, one client: ${l.requests} requests over ${l.queries} queries, p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms\n`,
  );
}
process.stdout.write(
  `server RSS after load: ${rss ?? '?'} MiB (${rss === null ? '?' : Math.round((rss * 1048576) / 1e6)} MB), peak ${peakRss ?? '?'} MiB (${peakRss === null ? '?' : Math.round((peakRss * 1048576) / 1e6)} MB; V8 heap ${memory.heapUsedMiB} of ${memory.heapTotalMiB} MiB, external ${memory.externalMiB} MiB)\n\n`,
);
for (const [label, met] of targets) process.stdout.write(`${met ? 'met    ' : 'NOT MET'}  ${label}\n`);
const outDir = join(here, 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `api-${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ machine, loadAverage: load, docs: DOCS, connections: CONNECTIONS, duration: DURATION, rounds: ROUNDS, warmup: WARMUP, results, ceilings, ratios, rssMiB: rss, peakRssMiB: peakRss, memory, targets: Object.fromEntries(targets) }, null, 2)}\n`,
);
process.stdout.write(`\nwrote ${file}\n`);
