/**
 * Group commit for the one SQLite connection: transactions that queue up while one runs share its
 * COMMIT. Each still runs alone and in order (SQLite has one writer and the server one
 * connection), inside a savepoint of the shared transaction, so one that fails rolls back only its
 * own writes and is answered at once; one that succeeds is answered only after the COMMIT that
 * made its writes durable. A save's commit — writing its pages to the WAL — was a sixth of a
 * save's time on the request thread; saves that arrive together now write the pages they share
 * (the indexes, the tables' last pages) once.
 *
 * What a member may not do, beyond what any transaction on this connection may not (query outside
 * the transaction it is given, which waits for the connection the group holds): wait for another
 * transaction's answer — that answer comes after the COMMIT, which waits for this member. A member
 * that runs long delays the answers of the members before it in its group, as it delayed every
 * other query before.
 */
import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { ControlledTransaction, Kysely } from 'kysely';
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

/** Rolls back and hands the connection back to Kysely; a rollback that fails changes nothing more. */
async function abandon(trx: ControlledTransaction<Tables>): Promise<void> {
  try {
    await trx.rollback().execute();
  } catch {
    // SQLite ended the transaction itself (a full disk, an I/O error); the connection is free.
  }
}

export function createGroupCommit(
  raw: BetterSqlite3.Database,
  kysely: Kysely<Tables>,
  options: GroupCommitOptions = {},
): GroupCommit {
  const maxGroup = options.maxGroup ?? 32;
  const maxGroupMs = options.maxGroupMs ?? 10;
  const queue: Queued[] = [];
  let running = false;

  /**
   * Runs one member in its savepoint. Null when it is done (answered, or waiting for the COMMIT in
   * `done`); else the error that ended the whole transaction, with the member already told.
   */
  const runMember = async (
    trx: ControlledTransaction<Tables>,
    member: Queued,
    done: Array<{ member: Queued; value: unknown }>,
  ): Promise<{ error: unknown } | null> => {
    try {
      raw.exec(`savepoint ${SAVEPOINT}`);
      const value = await member.work(trx);
      // A member may have caught the error with which SQLite ended the transaction.
      if (!raw.inTransaction) throw new Error('SQLite rolled the transaction back while the request ran');
      raw.exec(`release ${SAVEPOINT}`);
      done.push({ member, value });
      return null;
    } catch (error) {
      member.reject(error);
      if (!raw.inTransaction) return { error };
      try {
        raw.exec(`rollback to ${SAVEPOINT}`);
        raw.exec(`release ${SAVEPOINT}`);
        return null;
      } catch (cleanup) {
        return { error: cleanup };
      }
    }
  };

  /** One transaction: members taken from the queue until it is empty or the group is full. */
  const runGroup = async (): Promise<void> => {
    let trx: ControlledTransaction<Tables>;
    try {
      // Holds the connection: nothing else runs on it until the COMMIT.
      trx = await kysely.startTransaction().execute();
    } catch (error) {
      // The transaction could not begin: the queue fails with it rather than retry forever.
      for (const member of queue.splice(0)) member.reject(error);
      return;
    }
    const done: Array<{ member: Queued; value: unknown }> = [];
    const until = performance.now() + maxGroupMs;
    let failure: { error: unknown } | null = null;
    for (let taken = 0; queue.length > 0 && taken < maxGroup; taken++) {
      if (taken > 0 && performance.now() >= until) break;
      failure = await runMember(trx, queue.shift()!, done);
      if (failure) break;
    }
    if (failure === null) {
      try {
        await trx.commit().execute();
      } catch (error) {
        failure = { error };
        await abandon(trx);
      }
    } else await abandon(trx);
    // Nothing of a failed group was committed: its members that had succeeded fail with it.
    for (const { member, value } of done) {
      if (failure) member.reject(failure.error);
      else member.resolve(value);
    }
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
