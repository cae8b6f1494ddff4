/**
 * Prepared queries (src/server/data/prepared-queries.ts): built and compiled once per key, then run
 * with each call's own arguments — in the right places, next to the constants the builder wrote —
 * and a builder that leaves an argument out is refused on its first call rather than run wrong.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PreparedQueries } from '../../src/server/data/prepared-queries.js';

interface Notes {
  notes: { id: Generated<number>; author: string; kind: string; text: string };
}

let raw: BetterSqlite3.Database;
let db: Kysely<Notes>;
let compiles = 0;

beforeEach(() => {
  raw = new BetterSqlite3(':memory:');
  raw.exec(
    'create table notes (id integer primary key, author text not null, kind text not null, text text not null)',
  );
  db = new Kysely<Notes>({ dialect: new SqliteDialect({ database: raw }) });
  compiles = 0;
});

afterEach(async () => {
  await db.destroy();
});

it('compiles a query once and runs it with each call’s arguments, constants kept', async () => {
  const prepared = new PreparedQueries();
  const insert = (author: string, text: string) =>
    prepared.run(db, 'insert-note', [author, text], (p) => {
      compiles++;
      return db.insertInto('notes').values({ author: p<string>(0), kind: 'memo', text: p<string>(1) });
    });
  await insert('ana', 'first');
  await insert('bo', 'second');
  const byAuthor = (author: string) =>
    prepared.run(db, 'notes-by-author', [author], (p) => {
      compiles++;
      return db.selectFrom('notes').select(['author', 'kind', 'text']).where('author', '=', p<string>(0));
    });
  expect((await byAuthor('bo')).rows).toEqual([{ author: 'bo', kind: 'memo', text: 'second' }]);
  expect((await byAuthor('ana')).rows).toEqual([{ author: 'ana', kind: 'memo', text: 'first' }]);
  expect((await byAuthor('cy')).rows).toEqual([]);
  expect(compiles).toBe(2);
});

it('places an argument used twice, and arguments in any order', async () => {
  const prepared = new PreparedQueries();
  raw.exec("insert into notes (author, kind, text) values ('ana', 'memo', 'x'), ('bo', 'memo', 'ana')");
  const { rows } = await prepared.run(db, 'swapped', ['memo', 'ana'], (p) =>
    db
      .selectFrom('notes')
      .select('author')
      .where((eb) => eb.or([eb('author', '=', p<string>(1)), eb('text', '=', p<string>(1))]))
      .where('kind', '=', p<string>(0))
      .orderBy('author'),
  );
  expect(rows.map((row) => row.author)).toEqual(['ana', 'bo']);
});

it('refuses a builder that leaves an argument out, and a call with another number of arguments', async () => {
  const prepared = new PreparedQueries();
  await expect(
    prepared.run(db, 'forgets', ['ana', 'unused'], (p) =>
      db.selectFrom('notes').select('id').where('author', '=', p<string>(0)),
    ),
  ).rejects.toThrow('prepared query "forgets" does not place argument 1');
  await expect(
    prepared.run(db, 'skips', ['ana', 'bo'], (p) =>
      db.selectFrom('notes').select('id').where('author', '=', p<string>(0)).where('text', '=', p<string>(2)),
    ),
  ).rejects.toThrow('prepared query "skips" does not place argument 1');
  const byAuthor = (args: string[]) =>
    prepared.run(db, 'by-author', args, (p) =>
      db.selectFrom('notes').select('id').where('author', '=', p<string>(0)),
    );
  await byAuthor(['ana']);
  await expect(byAuthor(['ana', 'extra'])).rejects.toThrow(
    'prepared query "by-author" takes 1 arguments, not 2',
  );
});

it('runs inside the transaction it is handed', async () => {
  const prepared = new PreparedQueries();
  const add = (trx: Kysely<Notes>, text: string) =>
    prepared.run(trx, 'add', [text], (p) =>
      trx.insertInto('notes').values({ author: 'ana', kind: 'memo', text: p<string>(0) }),
    );
  await expect(
    db.transaction().execute(async (trx) => {
      await add(trx, 'kept only if committed');
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  await add(db, 'committed');
  expect(raw.prepare('select text from notes').pluck().all()).toEqual(['committed']);
});
