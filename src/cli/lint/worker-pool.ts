/**
 * Lints files on worker threads: a design-document run is CPU-bound (parse, detect, lint, format),
 * so one thread per core is the difference between using one core and all of them. The main thread
 * is one of those threads: it lints small batches between handling the workers' messages, so a run
 * on N cores starts N - 1 workers rather than N threads that contend for N cores. Files go out in
 * small batches, two per worker in flight so that no worker waits on the main thread, and outcomes
 * come back as formatted text, encoded as UTF-8 in one transferred buffer per message
 * (`encodePieces`); the caller puts them in input order.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileOutcome, FileTask, LintRunOptions } from './file-linter.js';
import type { FormatName } from './report-formats.js';

/** What a worker needs to rebuild the main thread's session and format. */
export interface WorkerSetup {
  cwd: string;
  configFile: string | undefined;
  template: string | undefined;
  format: FormatName;
  color: boolean;
  options: LintRunOptions;
}

export type ToWorker = { first: number; tasks: FileTask[] };
/**
 * Outcomes of consecutive files from `first`, sent every few files (so a worker that dies loses few
 * finished files, and messages — about 45 µs each — stay few); null for a file too large for a
 * worker (the main thread lints it).
 */
export type FromWorker =
  | { first: number; outcomes: Array<FileOutcome | null> }
  | { crash: { message: string; stack: string | undefined; file: string | null } };

const WORKER_SCRIPT = new URL('./lint-worker.js', import.meta.url);

/**
 * Whether this build can start lint workers: only the compiled package has the worker script (the
 * TypeScript sources under a test runner do not), and one run without workers is always correct.
 */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_SCRIPT));
}

/**
 * A worker's heap is capped so that a run's memory stays flat however many cores there are; files
 * larger than `WORKER_MAX_FILE_SIZE` (whose models need more) are linted on the main thread, and a
 * worker that still runs out of memory hands its files back to the main thread rather than failing
 * the run.
 */
const WORKER_HEAP_MB = 128;
export const WORKER_MAX_FILE_SIZE = 1024 * 1024;

/**
 * Files the main thread lints between looks at its messages: a few milliseconds of work, so workers
 * never wait long for their next batch.
 */
const MAIN_THREAD_BATCH = 4;

/** Batch size: small enough to balance the workers' loads at the end, large enough to cut messages. */
function batchSize(files: number, jobs: number): number {
  return Math.max(1, Math.min(64, Math.ceil(files / (jobs * 16))));
}

interface Batch {
  first: number;
  tasks: FileTask[];
  /** Files of the batch already reported back (workers go through a batch in order). */
  done: number;
}

/**
 * When to start the workers, asked after each batch this thread lints until it says yes: `linted`
 * of `total` files are done after `elapsedMs` of linting.
 */
export type WorkerStartRule = (linted: number, total: number, elapsedMs: number) => boolean;

/**
 * Lints `tasks` on `jobs` threads — this one and `jobs - 1` workers — calling `onOutcome(index,
 * outcome)` as each file is done (in completion order). This thread lints with `lintHere`, which
 * also takes the files a worker cannot (too large, or a worker out of memory). The workers start at
 * once, or, given `startWhen`, once it says so (never, when the run ends first). Rejects when a
 * worker crashes otherwise (a bug, not a bad file: those are outcomes).
 */
export function lintInWorkers(
  tasks: readonly FileTask[],
  jobs: number,
  setup: WorkerSetup,
  lintHere: (task: FileTask) => FileOutcome,
  onOutcome: (index: number, outcome: FileOutcome) => void,
  startWhen: WorkerStartRule | null = null,
): Promise<void> {
  let size = batchSize(tasks.length, jobs);
  const workers = Math.max(1, jobs - 1);
  const live = new Map<Worker, Batch[]>();
  let next = 0;
  let remaining = tasks.length;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const worker of live.keys()) void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    const deliver = (index: number, outcome: FileOutcome): void => {
      onOutcome(index, outcome);
      remaining--;
    };
    /** The files of a batch not yet reported, linted here. */
    const lintOnThisThread = (batch: Batch): void => {
      for (let offset = batch.done; offset < batch.tasks.length; offset++)
        deliver(batch.first + offset, lintHere(batch.tasks[offset] as FileTask));
    };
    const nextBatch = (files = size): Batch | null => {
      if (next >= tasks.length) return null;
      const first = next;
      next = Math.min(tasks.length, next + files);
      return { first, tasks: tasks.slice(first, next), done: 0 };
    };
    const feed = (worker: Worker): void => {
      const batch = nextBatch();
      if (batch === null) return;
      live.get(worker)?.push(batch);
      const message: ToWorker = { first: batch.first, tasks: batch.tasks };
      worker.postMessage(message);
    };
    /** A worker out of memory: its files and, when it was the last, all the rest run here. */
    const retire = (worker: Worker): void => {
      const outstanding = live.get(worker) ?? [];
      live.delete(worker);
      void worker.terminate();
      for (const batch of outstanding) lintOnThisThread(batch);
      if (live.size === 0)
        for (let batch = nextBatch(); batch !== null; batch = nextBatch()) lintOnThisThread(batch);
      if (remaining === 0) finish();
    };
    const start = (): void => {
      const worker = new Worker(WORKER_SCRIPT, {
        workerData: setup,
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
      live.set(worker, []);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        // Linting here (a handed-back file) can throw like any lint; the run must then end.
        try {
          if ('crash' in message) {
            const error = new Error(
              message.crash.file === null
                ? message.crash.message
                : `${message.crash.file}: ${message.crash.message}`,
            );
            if (message.crash.stack !== undefined) error.stack = message.crash.stack;
            return finish(error);
          }
          const batch = live.get(worker)?.[0];
          if (batch === undefined || message.first !== batch.first + batch.done)
            return finish(new Error(`lint worker reported file ${message.first} out of order`));
          for (const outcome of message.outcomes) {
            batch.done++;
            deliver(
              batch.first + batch.done - 1,
              outcome ?? lintHere(batch.tasks[batch.done - 1] as FileTask),
            );
          }
          if (batch.done >= batch.tasks.length) {
            live.get(worker)?.shift();
            feed(worker);
          }
          if (remaining === 0) finish();
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      });
      worker.on('error', (error: Error & { code?: string }) => {
        if (settled) return;
        try {
          if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') retire(worker);
          else finish(error);
        } catch (thrown) {
          finish(thrown instanceof Error ? thrown : new Error(String(thrown)));
        }
      });
      worker.on('exit', (code) => {
        if (!settled && live.has(worker))
          finish(new Error(`lint worker exited with code ${code} before the run ended`));
      });
      feed(worker);
      feed(worker);
    };
    let started = false;
    const startWorkers = (): void => {
      started = true;
      // Sized for what is left: workers started late must not take the whole tail while cold.
      size = batchSize(tasks.length - next, jobs);
      for (let i = 0; i < Math.min(workers, Math.ceil((tasks.length - next) / size)); i++) start();
    };
    const began = performance.now();
    /** This thread's share: a small batch, then back to the event loop for the workers' messages. */
    const lintSomeHere = (): void => {
      if (settled) return;
      try {
        const batch = nextBatch(MAIN_THREAD_BATCH);
        if (batch === null) return;
        lintOnThisThread(batch);
        if (remaining === 0) return finish();
        if (!started && startWhen?.(next, tasks.length, performance.now() - began) === true) startWorkers();
      } catch (error) {
        return finish(error instanceof Error ? error : new Error(String(error)));
      }
      setImmediate(lintSomeHere);
    };
    if (remaining === 0) return finish();
    // With one job this thread only hands out work, so the workers cannot wait for its pace.
    if (startWhen === null || jobs <= 1) startWorkers();
    if (jobs > 1) setImmediate(lintSomeHere);
  });
}
