/**
 * What a file handed to `designdoc restore` is, told from its first bytes before anything is
 * replaced: a SQLite database (what `designdoc backup` writes for the embedded database), a
 * pg_dump custom-format archive (what it writes on PostgreSQL), a pg_dump plain-SQL script, or
 * something else. A backup of one dialect given to the other is refused with these words.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

export type BackupFileKind = 'sqlite' | 'pg_dump' | 'pg_dump-sql' | 'other';

export interface BackupFileInfo {
  kind: BackupFileKind;
  /** The kind in words, for messages: "a SQLite database file". */
  description: string;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const PG_DUMP_CUSTOM_MAGIC = 'PGDMP';

/** Reads the first bytes of `file` and says what kind of backup it is (never opens it as a database). */
export function inspectBackupFile(file: string): BackupFileInfo {
  if (statSync(file).isDirectory()) return { kind: 'other', description: 'a folder, not a backup file' };
  const head = readHead(file, 512);
  if (head.length === 0) return { kind: 'other', description: 'an empty file' };
  const latin1 = head.toString('latin1');
  if (latin1.startsWith(SQLITE_MAGIC)) return { kind: 'sqlite', description: 'a SQLite database file' };
  if (latin1.startsWith(PG_DUMP_CUSTOM_MAGIC))
    return { kind: 'pg_dump', description: 'a pg_dump custom-format archive (a PostgreSQL backup)' };
  if (/^(?:--\r?\n)?-- PostgreSQL database dump/.test(latin1))
    return { kind: 'pg_dump-sql', description: 'a pg_dump plain-SQL script (a PostgreSQL dump)' };
  const text = head.includes(0) ? null : head.toString('utf8');
  return {
    kind: 'other',
    description:
      text === null
        ? 'binary data that is neither a SQLite database nor a pg_dump archive'
        : 'text, neither a SQLite database nor a pg_dump archive',
  };
}

/**
 * The tables of a SQLite database file, and whether they are designdoc's (its documents and its
 * migration log). Opens the file read-write: call it on a copy, not on the operator's backup.
 */
export function sqliteTables(file: string): { tables: string[]; designdoc: boolean } {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    const tables = (
      db.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as Array<{
        name: string;
      }>
    ).map((row) => row.name);
    return { tables, designdoc: tables.includes('documents') && tables.includes('kysely_migration') };
  } finally {
    db.close();
  }
}

function readHead(file: string, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(length);
    const read = readSync(fd, head, 0, length, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
