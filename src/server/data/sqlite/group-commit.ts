/**
 * Group commit for the one SQLite connection: transactions that queue up while one runs share its
 * COMMIT. Each still runs alone and in order (SQLite has one writer and the server one
 * connection), inside a savepoint of the shared transaction, so one that fails rolls back only its
 * own writes; each caller's promise settles after the COMMIT that made its writes durable, never
 * before. A save's commit — writing its pages to the WAL — was a sixth of a save's time on the
 * request thread; saves that arrive together now write the pages they share (the indexes, the
 * tables' last pages) once.
 */
import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Tables } from '../schema.js';

export interface GroupCommitOptions {
  /** Transactions per COMMIT at most. */
  maxGroup?: number;
  /**
   * No member joins a group that has run this long: the group holds the connection, and reads
   * (and the first member's answer) wait for its COMMIT.
   */
  maxGroupMs?: number;
}

export interface GroupCommit {
  /** Runs `work` in a transaction (shared with others queued meanwhile); resolves once committed. */
  run<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
}

interface Queued {
  work: (trx: Kysely<Tables>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const SAVEPOINT = 'designdoc_group_member';

export function createGroupCommit(
  raw: BetterSqlite3.Database,
  kysely: Kysely<Tables>,
  options: GroupCommitOptions = {},
): GroupCommit {
  const maxGroup = options.maxGroup ?? 32;
  const maxGroupMs = options.maxGroupMs ?? 10;
  const queue: Queued[] = [];
  let running = false;

  /** One transaction: members taken from the queue until it is empty or the group is full. */
  const runGroup = async (): Promise<void> => {
    const done: Array<{ member: Queued; value: unknown }> = [];
    let taken = 0;
    // What made SQLite roll the whole transaction back (Kysely's own ROLLBACK then fails too).
    let rolledBackBy: { error: unknown } | null = null;
    try {
      // Kysely's transaction holds the connection: nothing else runs on it until the COMMIT.
      await kysely.transaction().execute(async (trx) => {
        const until = performance.now() + maxGroupMs;
        while (queue.length > 0 && taken < maxGroup && (taken === 0 || performance.now() < until)) {
          const member = queue.shift()!;
          taken++;
          // Statements on the raw handle run on the connection this transaction holds.
          raw.exec(`savepoint ${SAVEPOINT}`);
          let value: unknown;
          try {
            value = await member.work(trx);
          } catch (error) {
            // Some errors (a full disk, an I/O error) make SQLite roll back the whole
            // transaction: the members before this one lost their writes too.
            if (!raw.inTransaction) {
              member.reject(error);
              rolledBackBy = { error };
              throw error;
            }
            raw.exec(`rollback to ${SAVEPOINT}`);
            raw.exec(`release ${SAVEPOINT}`);
            member.reject(error);
            continue;
          }
          raw.exec(`release ${SAVEPOINT}`);
          done.push({ member, value });
        }
      });
    } catch (error) {
      const cause = rolledBackBy === null ? error : (rolledBackBy as { error: unknown }).error;
      // Nothing of this group was committed: every member that had succeeded fails with it. When
      // the transaction could not even begin, the queue fails with it rather than retry forever.
      for (const { member } of done) member.reject(cause);
      if (taken === 0) for (const member of queue.splice(0)) member.reject(cause);
      return;
    }
    for (const { member, value } of done) member.resolve(value);
  };

  const drain = async (): Promise<void> => {
    try {
      while (queue.length > 0) await runGroup();
    } finally {
      running = false;
    }
  };

  return {
    run<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (running) return;
        running = true;
        // Every statement is synchronous underneath: a transaction started now would finish
        // before the next request is read. Started after this turn of the event loop, it is
        // joined by what the turn brings (other requests, analyses done on the worker).
        setImmediate(() => void drain());
      });
    },
  };
}
