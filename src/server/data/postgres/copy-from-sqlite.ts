/**
 * Moves an embedded SQLite database into PostgreSQL, keeping every id, and proves the copy: each
 * table's row count and a SHA-256 over its rows (in key order, as canonical JSON) must match on
 * both sides. The copy runs in one PostgreSQL transaction, so a failure leaves the target as it
 * was; a target that already holds data is refused rather than merged.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { DesignDocError } from '../../../core/errors.js';
import { createSqliteDriver } from '../sqlite/sqlite-driver.js';
import { createPostgresDriver } from './postgres-driver.js';

/** Tables in foreign-key order, with the columns that order their rows for the checksum. */
const TABLES: ReadonlyArray<{ name: string; key: string[]; serial: boolean }> = [
  { name: 'users', key: ['id'], serial: true },
  { name: 'groups', key: ['id'], serial: true },
  { name: 'group_members', key: ['group_id', 'user_id'], serial: false },
  { name: 'sessions', key: ['id_hash'], serial: false },
  { name: 'tokens', key: ['id'], serial: true },
  { name: 'documents', key: ['id'], serial: true },
  { name: 'revisions', key: ['document_id', 'number'], serial: false },
  { name: 'extracts', key: ['id'], serial: true },
  { name: 'review_requests', key: ['id'], serial: true },
  { name: 'verdicts', key: ['id'], serial: true },
  { name: 'comments', key: ['id'], serial: true },
  { name: 'audit', key: ['id'], serial: true },
  { name: 'links', key: ['from_id', 'to_id', 'kind'], serial: false },
  { name: 'settings', key: ['key'], serial: false },
  { name: 'events', key: ['id'], serial: true },
  { name: 'webhooks', key: ['id'], serial: true },
  { name: 'webhook_deliveries', key: ['id'], serial: true },
  { name: 'webhook_attempts', key: ['id'], serial: true },
];

export interface TableVerification {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceSha256: string;
  targetSha256: string;
  matches: boolean;
}

export interface CopyReport {
  tables: TableVerification[];
  /** True when every table's count and checksum match. */
  verified: boolean;
}

export interface CopyOptions {
  sqliteFile: string;
  postgresUrl: string;
  /** Called after each table is copied. */
  onTable?: (table: string, rows: number) => void;
}

/** Tables by name, rows as plain records: the copy walks tables it knows only by name. */
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

async function tableExists(db: AnyDb, dialect: 'sqlite' | 'postgres', table: string): Promise<boolean> {
  const result =
    dialect === 'sqlite'
      ? await sql<{
          n: number;
        }>`select count(*) as n from sqlite_master where type = 'table' and name = ${table}`.execute(db)
      : await sql<{
          n: string;
        }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = ${table}`.execute(
          db,
        );
  return Number(result.rows[0]?.n ?? 0) > 0;
}

/** Canonical row text: columns by name, integers as numbers, everything else as stored text. */
function canonical(row: Record<string, unknown>): string {
  const keys = Object.keys(row).sort();
  return JSON.stringify(keys.map((k) => [k, typeof row[k] === 'bigint' ? Number(row[k]) : row[k]]));
}

/** PostgreSQL parameters per statement are capped at 65535; rows per insert stay well below. */
function batchRowsFor(columns: number): number {
  return Math.max(1, Math.min(5000, Math.floor(30_000 / Math.max(1, columns))));
}

/**
 * Every row of `table` in key order, a page at a time by keyset (`(k1, k2) > (last1, last2)`, row
 * values on both engines) so a large table costs one index walk, not a quadratic OFFSET scan.
 * Text keys compare as bytes on both sides: SQLite's default BINARY collation, PostgreSQL's "C".
 */
async function* keysetRows(
  db: AnyDb,
  dialect: 'sqlite' | 'postgres',
  table: string,
  key: string[],
  pageSize: number,
): AsyncGenerator<Array<Record<string, unknown>>> {
  const column = (name: string) =>
    sql.raw(`"${name}"${dialect === 'postgres' && isText(table, name) ? ' collate "C"' : ''}`);
  const keyList = sql.join(key.map(column));
  let last: unknown[] | null = null;
  for (;;) {
    const after: unknown[] | null = last;
    const where =
      after === null ? sql`` : sql`where (${keyList}) > (${sql.join(after.map((v) => sql`${v}`))})`;
    const page = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table)} ${where} order by ${keyList} limit ${pageSize}`.execute(db);
    if (page.rows.length === 0) return;
    yield page.rows;
    const tail = page.rows[page.rows.length - 1] as Record<string, unknown>;
    last = key.map((k) => tail[k]);
    if (page.rows.length < pageSize) return;
  }
}

async function checksum(
  db: AnyDb,
  dialect: 'sqlite' | 'postgres',
  table: string,
  key: string[],
): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  for await (const page of keysetRows(db, dialect, table, key, 2000)) {
    for (const row of page) hash.update(`${canonical(row)}\n`);
    rows += page.length;
  }
  return { rows, sha256: hash.digest('hex') };
}

function isText(table: string, column: string): boolean {
  return (
    (table === 'sessions' && column === 'id_hash') ||
    (table === 'links' && column === 'kind') ||
    (table === 'settings' && column === 'key')
  );
}

/**
 * Copies every designdoc table from the SQLite file into the (migrated, empty) PostgreSQL
 * database, rebuilds the full-text index there, and verifies counts and checksums per table.
 */
export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyReport> {
  const source = createSqliteDriver({ file: options.sqliteFile });
  const target = createPostgresDriver({ url: options.postgresUrl, poolSize: 2 });
  try {
    await source.migrate();
    await target.migrate();
    const from = source.kysely as unknown as AnyDb;
    const to = target.kysely as unknown as AnyDb;
    const present: Array<(typeof TABLES)[number]> = [];
    for (const table of TABLES) {
      if ((await tableExists(from, 'sqlite', table.name)) && (await tableExists(to, 'postgres', table.name)))
        present.push(table);
    }
    const existing = await sql<{ n: string }>`select count(*) as n from documents`.execute(to);
    const users = await sql<{ n: string }>`select count(*) as n from users`.execute(to);
    if (Number(existing.rows[0]?.n ?? 0) > 0 || Number(users.rows[0]?.n ?? 0) > 0) {
      throw new DesignDocError(
        'DD_E_CONFLICT',
        'The target PostgreSQL database already holds designdoc data; migrate into an empty database.',
        {
          location: { field: 'to' },
        },
      );
    }

    await to.transaction().execute(async (trx) => {
      for (const table of present) {
        let copied = 0;
        for await (const rows of keysetRows(from, 'sqlite', table.name, table.key, 2000)) {
          const size = batchRowsFor(Object.keys(rows[0] ?? {}).length);
          for (let i = 0; i < rows.length; i += size)
            await trx
              .insertInto(table.name)
              .values(rows.slice(i, i + size))
              .execute();
          copied += rows.length;
        }
        if (table.serial) {
          // Later inserts must not reuse copied ids.
          await sql`select setval(pg_get_serial_sequence(${table.name}, 'id'), greatest((select max(id) from ${sql.table(table.name)}), 1), (select count(*) > 0 from ${sql.table(table.name)}))`.execute(
            trx,
          );
        }
        options.onTable?.(table.name, copied);
      }
      // The search index: SQLite's FTS5 table keeps the indexed text; PostgreSQL re-derives its
      // tsvector. Building the GIN index once after the load is far cheaper than row by row.
      await sql`drop index if exists search_index_tsv`.execute(trx);
      let indexed = 0;
      let lastId = 0;
      for (;;) {
        // Documents still pending in SQLite's deferred index (opening drains it; a failed drain
        // leaves some) are taken from their current revision, as the index would have them.
        const rows = await sql<{ document_id: number; title: string; metadata: string; body: string }>`
          select rowid as document_id, title, metadata, body from documents_fts
            where rowid > ${lastId} and rowid not in (select document_id from search_pending)
          union all
          select p.document_id, p.title, p.metadata, r.text as body from search_pending p
            join documents d on d.id = p.document_id
            join revisions r on r.document_id = d.id and r.number = d.current_revision
            where p.document_id > ${lastId}
          order by document_id limit 200`.execute(from);
        for (const row of rows.rows) {
          await target.indexDocument(trx as never, Number(row.document_id), {
            title: row.title,
            metadata: row.metadata,
            body: row.body,
          });
        }
        indexed += rows.rows.length;
        if (rows.rows.length < 200) break;
        lastId = Number(rows.rows[rows.rows.length - 1]?.document_id);
      }
      await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
      await sql`create index search_index_tsv on search_index using gin (tsv)`.execute(trx);
      options.onTable?.('search index', indexed);
    });

    const tables: TableVerification[] = [];
    for (const table of present) {
      const [a, b] = [
        await checksum(from, 'sqlite', table.name, table.key),
        await checksum(to, 'postgres', table.name, table.key),
      ];
      tables.push({
        table: table.name,
        sourceRows: a.rows,
        targetRows: b.rows,
        sourceSha256: a.sha256,
        targetSha256: b.sha256,
        matches: a.rows === b.rows && a.sha256 === b.sha256,
      });
    }
    return { tables, verified: tables.every((t) => t.matches) };
  } finally {
    await source.close();
    await target.close();
  }
}
