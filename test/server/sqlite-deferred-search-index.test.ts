// The embedded database indexes saves for search after their commit, many per transaction
// (src/server/data/sqlite/deferred-search-index.ts). What must hold: a search sees every committed
// save at once, the queue empties by itself without any search, and documents a crashed process
// committed but never indexed are indexed at the next start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Database, type Visibility } from '../../src/server/data/index.js';
import { draftDerived, draftDocument, revisionPayload } from './fixtures.js';

const ALL: Visibility = { all: true, userId: null };
let dir: string | null = null;
let db: Database | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function open(): Promise<{ db: Database; file: string }> {
  dir ??= mkdtempSync(join(tmpdir(), 'designdoc-search-queue-'));
  const file = join(dir, 'designdoc.sqlite');
  db = await openDatabase({ dialect: 'sqlite', file });
  return { db, file };
}

/** What another connection sees: the pending queue and the FTS rows. */
function peek(file: string): { pending: number; indexed: number } {
  const other = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      pending: other.prepare('select count(*) from search_pending').pluck().get() as number,
      indexed: other.prepare('select count(*) from documents_fts').pluck().get() as number,
    };
  } finally {
    other.close();
  }
}

const titles = async (database: Database, query: string) =>
  (await database.search(query, { visibility: ALL, limit: 10 })).map((hit) => hit.title);

/** Two documents: "Kafka retention" (word: brokers) indexed, "NATS streams" (word: jetstream) still pending. */
async function oneIndexedOnePending(): Promise<{ db: Database; file: string }> {
  const opened = await open();
  await opened.db.createDocument(
    draftDocument('kafka', 'Kafka retention'),
    revisionPayload('# Kafka\n\nBrokers.\n'),
  );
  expect(await titles(opened.db, 'brokers')).toEqual(['Kafka retention']);
  await opened.db.createDocument(
    draftDocument('nats', 'NATS streams'),
    revisionPayload('# NATS\n\nJetStream.\n'),
  );
  return opened;
}

it('finds a document in the search that follows its save, edits included', async () => {
  const { db, file } = await open();
  const doc = await db.createDocument(
    draftDocument('cache', 'Cache layer'),
    revisionPayload('# Cache layer\n\nRedis.\n'),
  );
  // Committed, queued, not yet indexed: the next search indexes it first.
  expect(peek(file)).toEqual({ pending: 1, indexed: 0 });
  expect(await titles(db, 'redis')).toEqual(['Cache layer']);
  expect(peek(file)).toEqual({ pending: 0, indexed: 1 });

  await db.appendRevision(
    doc.id,
    1,
    draftDerived('Cache layer v2'),
    revisionPayload('# Cache layer v2\n\nMemcached.\n'),
  );
  expect(await titles(db, 'redis')).toEqual([]);
  expect(await titles(db, 'memcached')).toEqual(['Cache layer v2']);
  expect(peek(file)).toEqual({ pending: 0, indexed: 1 });
});

it('indexes queued saves by itself shortly after, without a search', async () => {
  const { db, file } = await open();
  for (let i = 0; i < 50; i++)
    await db.createDocument(
      draftDocument(`doc-${i}`, `Design ${i}`),
      revisionPayload(`# Design ${i}\n\nKafka ${i}.\n`),
    );
  expect(peek(file).pending).toBeGreaterThan(0);
  for (let waited = 0; peek(file).pending > 0 && waited < 5000; waited += 50) await sleep(50);
  expect(peek(file)).toEqual({ pending: 0, indexed: 50 });
});

it('indexes at the next start what a crashed process committed but never indexed', async () => {
  const first = await open();
  await first.db.createDocument(
    draftDocument('queue', 'Queue design'),
    revisionPayload('# Queue design\n\nRabbitMQ.\n'),
  );
  await first.db.close();
  db = null;
  // The crash, replayed: the index entry is gone and the document is still marked pending, as
  // when a process dies between the save's commit and the batch that indexes it.
  const raw = new BetterSqlite3(first.file);
  raw.prepare('delete from documents_fts').run();
  raw
    .prepare('insert into search_pending (document_id, title, metadata) select id, title, ? from documents')
    .run('Status: Draft');
  raw.close();
  expect(peek(first.file)).toEqual({ pending: 1, indexed: 0 });

  const second = await open();
  // Opening (migrations, then the queue) indexed it: no search needed.
  expect(peek(second.file)).toEqual({ pending: 0, indexed: 1 });
  expect(await titles(second.db, 'rabbitmq')).toEqual(['Queue design']);
});

it('answers from the index it has while indexing fails, and catches up by itself once it works again', async () => {
  const { db, file } = await oneIndexedOnePending();
  // Indexing fails from now on: a trigger refuses to take anything off the queue.
  const other = new BetterSqlite3(file);
  other.exec(
    "create trigger keep_pending before delete on search_pending begin select raise(abort, 'kept'); end",
  );
  expect(await titles(db, 'brokers')).toEqual(['Kafka retention']);
  expect(await titles(db, 'jetstream')).toEqual([]);
  expect(peek(file).pending).toBe(1);
  other.exec('drop trigger keep_pending');
  other.close();
  // The failed document is retried after a back-off (searches meanwhile do not retry it each
  // time), by the timer, without any search.
  for (let waited = 0; peek(file).pending > 0 && waited < 5000; waited += 50) await sleep(50);
  expect(peek(file)).toEqual({ pending: 0, indexed: 2 });
  expect(await titles(db, 'jetstream')).toEqual(['NATS streams']);
});

it('indexes the other documents when one cannot be indexed, and reports that one', async () => {
  const { db, file } = await open();
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    const words = ['amber', 'basalt', 'cobalt', 'dolomite', 'emerald'];
    const docs = [];
    for (const word of words)
      docs.push(
        await db.createDocument(
          draftDocument(word, `Design ${word}`),
          revisionPayload(`# Design\n\n${word}\n`),
        ),
      );
    // The third document cannot leave the queue: indexing it always fails.
    const stuck = docs[2]!.id;
    const other = new BetterSqlite3(file);
    other.exec(
      `create trigger keep_one before delete on search_pending when old.document_id = ${stuck} begin select raise(abort, 'kept'); end`,
    );
    other.close();
    for (const word of ['amber', 'basalt', 'dolomite', 'emerald'])
      expect(await titles(db, word)).toEqual([`Design ${word}`]);
    expect(await titles(db, 'cobalt')).toEqual([]);
    expect(peek(file)).toEqual({ pending: 1, indexed: 4 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.some((w) => w.includes(`document ${stuck} could not be added to the search index`))).toBe(
      true,
    );
    // While it waits out its back-off, a new save is indexed by the timer as usual, without a search.
    const warned = warnings.length;
    await db.createDocument(
      draftDocument('feldspar', 'Design feldspar'),
      revisionPayload('# Design\n\nfeldspar\n'),
    );
    for (let waited = 0; peek(file).pending > 1 && waited < 5000; waited += 50) await sleep(50);
    expect(peek(file)).toEqual({ pending: 1, indexed: 5 });
    // …and the failing one was not retried (and reported) on every look.
    expect(warnings.length - warned).toBeLessThanOrEqual(1);
  } finally {
    process.off('warning', onWarning);
  }
});

it('does not wait for another process holding the write lock: the search answers from the index it has', async () => {
  const { db, file } = await oneIndexedOnePending();
  const other = new BetterSqlite3(file);
  other.exec('begin immediate');
  try {
    const started = Date.now();
    expect(await titles(db, 'jetstream')).toEqual([]);
    expect(await titles(db, 'brokers')).toEqual(['Kafka retention']);
    // Less than the 5 s busy timeout a write would wait for the lock.
    expect(Date.now() - started).toBeLessThan(4000);
  } finally {
    other.exec('commit');
    other.close();
  }
  expect(await titles(db, 'jetstream')).toEqual(['NATS streams']);
});

it('leaves nothing pending when the database closes', async () => {
  const { db: database, file } = await open();
  await database.createDocument(
    draftDocument('events', 'Event bus'),
    revisionPayload('# Event bus\n\nNATS.\n'),
  );
  await database.close();
  db = null;
  expect(peek(file)).toEqual({ pending: 0, indexed: 1 });
});
