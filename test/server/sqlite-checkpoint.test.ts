// The embedded database checkpoints its WAL from a worker thread: the server's connection never
// checkpoints inside a commit, yet the WAL is copied back into the database file while the server
// runs, and nothing is left in the WAL when it closes.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/data/index.js';
import { draftDocument, revisionPayload } from './fixtures.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

it('copies the WAL into the database file from a worker thread, and leaves no WAL at close', async () => {
  dir = mkdtempSync(join(tmpdir(), 'designdoc-checkpoint-'));
  const file = join(dir, 'designdoc.sqlite');
  const db = await openDatabase({ dialect: 'sqlite', file });
  const sizeBefore = statSync(file).size;
  // About 8 MB of revisions: past the 4 MB WAL threshold of the background checkpoint.
  const body = `# Design\n\n${'A paragraph of the design that weighs something. '.repeat(2000)}\n`;
  for (let i = 0; i < 80; i++) {
    await db.createDocument(draftDocument(`design-${i}`, `Design ${i}`), revisionPayload(`${body}${i}\n`));
  }
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);
  // The server's own connection never checkpoints: the worker does, within a few of its ticks.
  let grown = false;
  for (let i = 0; i < 40 && !grown; i++) {
    await sleep(100);
    grown = statSync(file).size > sizeBefore + 4 * 1024 * 1024;
  }
  expect(grown).toBe(true);
  const listed = await db.listDocuments({ visibility: { all: true, userId: null } }, null, 100);
  expect(listed.items).toHaveLength(80);
  await db.close();
  expect(existsSync(`${file}-wal`)).toBe(false);
  const check = new BetterSqlite3(file, { readonly: true });
  try {
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((check.prepare('select count(*) as n from revisions').get() as { n: number }).n).toBe(80);
  } finally {
    check.close();
  }
}, 60_000);

it('is what copies the WAL: without it a connection that does not checkpoint leaves the file as it was', async () => {
  const { createRequire } = await import('node:module');
  const { startBackgroundCheckpoint } = await import('../../src/server/data/sqlite/background-checkpoint.js');
  dir = mkdtempSync(join(tmpdir(), 'designdoc-checkpoint-'));
  const file = join(dir, 'plain.sqlite');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (x text)');
  const sizeBefore = statSync(file).size;
  const insert = db.prepare('insert into t values (?)');
  db.transaction(() => {
    for (let i = 0; i < 100; i++) insert.run('x'.repeat(64 * 1024));
  })();
  await sleep(600);
  // The control: nothing has checkpointed, so the rows are still only in the WAL.
  expect(statSync(file).size).toBe(sizeBefore);
  const checkpoint = startBackgroundCheckpoint({
    file,
    module: createRequire(import.meta.url).resolve('better-sqlite3'),
    onFailure: () => {
      throw new Error('the checkpoint worker failed');
    },
  });
  try {
    let grown = false;
    for (let i = 0; i < 40 && !grown; i++) {
      await sleep(100);
      grown = statSync(file).size > sizeBefore + 4 * 1024 * 1024;
    }
    expect(grown).toBe(true);
  } finally {
    await checkpoint.stop();
    db.close();
  }
}, 60_000);
