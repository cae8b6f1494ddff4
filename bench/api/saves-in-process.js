#!/usr/bin/env node
/**
 * Saves through the documents service in one process, without HTTP or a load generator: the CPU
 * a save costs the server, steadier on a shared machine than `bench:api`'s save scenario, and the
 * way to compare two builds (DESIGNDOC_DIST=/path/to/other/dist). Works on a copy of the data
 * folder `npm run bench:api` prepared (10,000 documents), so the original stays as it was.
 *
 * Each save edits one of 100 documents (the same edit as bench:api: a line appended), and the
 * event loop turns between saves as it does between a server's requests, so timers (the search
 * index's batches) run as they would there. Usage:
 *   node bench/api/saves-in-process.js [--saves 1500] [--concurrency 1] [--sql] [--data DIR]
 * --sql adds the time spent in each SQL statement (wrapping better-sqlite3's statements).
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { benchArgs, positiveInteger } from '../shared/bench-args.js';

const USAGE =
  'usage: node bench/api/saves-in-process.js [--saves 1500] [--concurrency 1] [--sql] [--data DIR]\n';
const values = benchArgs('saves-in-process', USAGE, {
  saves: { type: 'string', default: '1500' },
  concurrency: { type: 'string', default: '1' },
  sql: { type: 'boolean', default: false },
  data: { type: 'string', default: join(tmpdir(), 'designdoc-bench-api-data-10000') },
});
const SAVES = positiveInteger('saves-in-process', USAGE, 'saves', values.saves);
const CONCURRENCY = positiveInteger('saves-in-process', USAGE, 'concurrency', values.concurrency);
if (!existsSync(join(values.data, 'designdoc.sqlite'))) {
  process.stderr.write(
    `saves-in-process: no database in ${values.data}; run \`npm run bench:api\` once to prepare it (or pass --data).\n`,
  );
  process.exit(2);
}
const dist = process.env.DESIGNDOC_DIST ?? join(import.meta.dirname, '../../dist');

const statementTime = new Map();
if (values.sql) {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  for (const method of ['run', 'all', 'get']) {
    const original = proto[method];
    proto[method] = function timed(...args) {
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const key = this.source.replace(/\s+/g, ' ').slice(0, 100);
        const entry = statementTime.get(key) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        statementTime.set(key, entry);
      }
    };
  }
}

const dataDir = join(tmpdir(), `designdoc-bench-saves-${process.pid}`);
cpSync(values.data, dataDir, { recursive: true });
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));

const server = await import(pathToFileURL(join(dist, 'server/index.js')).href);
const services = await import(pathToFileURL(join(dist, 'server/services/index.js')).href);
const ctx = await server.openServices({ dataDir, templatesDir: null, finalCommentDays: 0 });
const page = await ctx.db.listDocuments({ visibility: { all: true, userId: null } }, null, 101);
const slugs = page.items.slice(1).map((d) => d.slug);
const user = (await ctx.db.getUserByName('bench')) ?? null;
const actor = services.systemActor(user);
const texts = new Map();
for (const slug of slugs) {
  const record = await services.requireDocument(ctx, slug);
  texts.set(slug, { text: await services.readRevisionText(ctx, record), revision: record.currentRevision });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const free = [...slugs];
let edits = 0;
async function saves(count) {
  let started = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < count) {
        started++;
        const slug = free.shift();
        const doc = texts.get(slug);
        const result = await services.saveRevision(ctx, actor, slug, {
          baseRevision: doc.revision,
          markdown: `${doc.text}\nEdit ${++edits}.\n`,
        });
        doc.revision = result.record.currentRevision;
        free.push(slug);
        await turn();
      }
    }),
  );
  // What a save left for later (the search index) is part of its cost: a search drains it.
  await ctx.db.search('designdoc', { visibility: { all: true, userId: null }, limit: 1 });
}

await saves(200); // warm-up: JIT, caches
statementTime.clear();
const cpuBefore = process.cpuUsage();
const started = performance.now();
await saves(SAVES);
const wall = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await ctx.db.close();

const per = (ms) => (ms / SAVES).toFixed(3);
process.stdout.write(
  `${SAVES} saves, concurrency ${CONCURRENCY}: ${per(wall)} ms wall and ${per((cpu.user + cpu.system) / 1000)} ms CPU per save ` +
    `(user ${per(cpu.user / 1000)}, system ${per(cpu.system / 1000)}; every thread of the process), ${Math.round((SAVES / wall) * 1000)} saves/s\n`,
);
if (values.sql) {
  let total = 0;
  for (const entry of statementTime.values()) total += entry.ms;
  process.stdout.write(`SQL statements: ${per(total)} ms per save\n`);
  for (const [text, entry] of [...statementTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
    process.stdout.write(
      `${per(entry.ms).padStart(8)} ms ${(entry.calls / SAVES).toFixed(1).padStart(6)}×  ${text}\n`,
    );
  }
}
