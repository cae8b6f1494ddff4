/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit that
 * crosses the threshold, copying the WAL back into the database file and syncing it — half of a
 * save's commit time on the server's one thread. Here a worker thread with its own connection runs
 * PASSIVE checkpoints (they never block the writer) when the WAL has grown, and the server's
 * connection turns automatic checkpoints off. SQLite still checkpoints when the last connection
 * closes, so nothing is left in the WAL at shutdown.
 */
import { Worker } from 'node:worker_threads';

/** The checkpointer's code, run as an eval'd worker so that it needs no file of its own in dist/. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const { statSync } = require('node:fs');
const walFile = workerData.file + '-wal';
let stopped = false;
let timer = null;
const tick = () => {
  if (stopped) return;
  try {
    if (statSync(walFile, { throwIfNoEntry: false })?.size > workerData.walBytes) db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy or locked database: the next tick tries again.
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', () => {
  stopped = true;
  clearTimeout(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

export interface BackgroundCheckpoint {
  /** Stops the worker and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` (a WAL-mode database) from a worker thread whenever its WAL is larger
 * than `walBytes`, looking every `intervalMs`. `module` is the resolved path of better-sqlite3.
 */
export function startBackgroundCheckpoint(options: {
  file: string;
  module: string;
  walBytes?: number;
  intervalMs?: number;
  /** Called once if the worker fails or exits before `stop()`: the caller checkpoints for itself again. */
  onFailure: () => void;
}): BackgroundCheckpoint {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file: options.file,
      module: options.module,
      walBytes: options.walBytes ?? 4 * 1024 * 1024,
      intervalMs: options.intervalMs ?? 250,
    },
  });
  let stopping = false;
  let failed = false;
  const fail = (): void => {
    if (stopping || failed) return;
    failed = true;
    options.onFailure();
  };
  // A checkpointer that fails (no native module in this thread, say) hands checkpoints back.
  worker.on('error', fail);
  worker.unref();
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      fail();
      resolve();
    }),
  );
  return {
    async stop() {
      stopping = true;
      // Held until it has closed its connection: the caller's process may have nothing else to wait on.
      worker.ref();
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 2000);
      });
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
