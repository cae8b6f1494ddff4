/**
 * SQLite's group commit: transactions queued together share one COMMIT, yet each keeps its own
 * outcome — a failing one rolls back only its writes, and no caller hears "done" before its writes
 * are committed (visible to another connection on the same file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DialectDriver } from '../../src/server/data/dialect.js';
import type { Tables } from '../../src/server/data/schema.js';
import { createSqliteDriver } from '../../src/server/data/sqlite/sqlite-driver.js';

let dir = '';
let driver: DialectDriver;
let other: BetterSqlite3.Database;
let file = '';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'designdoc-test-'));
  file = join(dir, 'designdoc.sqlite');
  driver = createSqliteDriver({ file });
  await driver.migrate();
  await sql`create table notes (text text not null unique)`.execute(driver.kysely);
  other = new BetterSqlite3(file, { readonly: true });
});

afterEach(async () => {
  other.close();
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (trx: Kysely<Tables>, text: string) =>
  sql`insert into notes (text) values (${text})`.execute(trx);
/** What another connection sees: committed rows only. */
const committed = () =>
  (other.prepare('select text from notes order by text').pluck().all() as string[]).sort();

it('commits each transaction of a group, and answers each only once its writes are committed', async () => {
  const seenAtAnswer: string[][] = [];
  const run = (text: string) =>
    driver.transaction!(async (trx) => {
      await insert(trx, text);
      return text;
    }).then((value) => {
      seenAtAnswer.push(committed());
      return value;
    });
  // Queued in one turn of the event loop: one group.
  const results = await Promise.all([run('a'), run('b'), run('c')]);
  expect(results).toEqual(['a', 'b', 'c']);
  expect(committed()).toEqual(['a', 'b', 'c']);
  for (const seen of seenAtAnswer) expect(seen).toEqual(['a', 'b', 'c']);
});

it('rolls back only the failing member of a group; its caller gets its own error', async () => {
  const results = await Promise.allSettled([
    driver.transaction!(async (trx) => insert(trx, 'kept 1')),
    driver.transaction!(async (trx) => {
      await insert(trx, 'lost');
      throw new Error('the second changed its mind');
    }),
    // A statement error: the unique index refuses a duplicate.
    driver.transaction!(async (trx) => {
      await insert(trx, 'lost too');
      await insert(trx, 'kept 1');
    }),
    driver.transaction!(async (trx) => insert(trx, 'kept 2')),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason.message).toBe('the second changed its mind');
  expect(String((results[2] as PromiseRejectedResult).reason.message)).toMatch(/UNIQUE/);
  expect(committed()).toEqual(['kept 1', 'kept 2']);
});

it('fails every member whose writes were lost when SQLite rolls back the shared transaction', async () => {
  const results = await Promise.allSettled([
    driver.transaction!(async (trx) => insert(trx, 'before')),
    driver.transaction!(async (trx) => {
      await insert(trx, 'gone');
      // What SQLite does by itself on a full disk or an I/O error: the whole transaction ends.
      await sql`rollback`.execute(trx);
      throw new Error('disk full');
    }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect((results[0] as PromiseRejectedResult).reason.message).toBe('disk full');
  expect(committed()).toEqual([]);
  // The next transaction starts afresh.
  await driver.transaction!(async (trx) => insert(trx, 'after'));
  expect(committed()).toEqual(['after']);
});

it('fails a member that swallowed the error with which SQLite ended the transaction, and the rest of its group', async () => {
  const results = await Promise.allSettled([
    driver.transaction!(async (trx) => insert(trx, 'first')),
    driver.transaction!(async (trx) => {
      await insert(trx, 'second');
      // As if a statement had failed on a full disk and the caller had caught it and gone on.
      await sql`rollback`.execute(trx).catch(() => undefined);
      return 'carried on';
    }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/rolled the transaction back/);
  expect(committed()).toEqual([]);
  await driver.transaction!(async (trx) => insert(trx, 'after'));
  expect(committed()).toEqual(['after']);
});

it('fails every member of a group whose COMMIT fails, with the COMMIT error', async () => {
  // A deferred foreign key is checked at COMMIT: the group's COMMIT fails, with its own message.
  await sql`create table parents (id integer primary key)`.execute(driver.kysely);
  await sql`create table children (parent integer references parents(id) deferrable initially deferred)`.execute(
    driver.kysely,
  );
  const results = await Promise.allSettled([
    driver.transaction!(async (trx) => insert(trx, 'fine')),
    driver.transaction!(async (trx) => sql`insert into children (parent) values (42)`.execute(trx)),
  ]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  for (const result of results)
    expect(String((result as PromiseRejectedResult).reason.message)).toMatch(/FOREIGN KEY/);
  expect(committed()).toEqual([]);
  await driver.transaction!(async (trx) => insert(trx, 'after'));
  expect(committed()).toEqual(['after']);
});

it('starts a new group for what arrives after a group is full', async () => {
  const order: string[] = [];
  const runs = Array.from({ length: 40 }, (_, i) =>
    driver.transaction!(async (trx) => {
      await insert(trx, `n${String(i).padStart(2, '0')}`);
      order.push(`n${i}`);
    }),
  );
  await Promise.all(runs);
  expect(committed()).toHaveLength(40);
  expect(order).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`));
});

it('holds the write lock from BEGIN: another process cannot commit between a read and a write of a group', async () => {
  // Another connection to the same file, as the CLI importing while the server runs.
  const writer = new BetterSqlite3(file);
  writer.pragma('busy_timeout = 0');
  let otherProcess = '';
  try {
    await driver.transaction!(async (trx) => {
      await sql`select count(*) from notes`.execute(trx);
      try {
        writer.prepare("insert into notes (text) values ('other')").run();
        otherProcess = 'committed';
      } catch (error) {
        otherProcess = (error as { code: string }).code;
      }
      // With a deferred BEGIN the read's snapshot would be stale now: SQLITE_BUSY_SNAPSHOT.
      await insert(trx, 'mine');
    });
  } finally {
    writer.close();
  }
  expect(otherProcess).toBe('SQLITE_BUSY');
  expect(committed()).toEqual(['mine']);
});
