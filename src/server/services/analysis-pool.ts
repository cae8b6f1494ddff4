/**
 * CPU work on a document's text on worker threads: save-time analysis (parse, template detection,
 * lint, extracted fields, section hashes) and rendering to HTML. Both are pure functions of the
 * text, and on the server's one JavaScript thread they are about half of a save's time, and
 * seconds for a rendered megabyte-sized table; here they run beside the request handling instead
 * of inside it. The pool is optional: without it (tests from the TypeScript sources, or every
 * worker failed) the work runs inline, with the same result.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DesignDocError } from '../../core/errors.js';
import type { TemplateSchema } from '../../core/template/schema.js';
import type { Analysis } from './document-analysis.js';

/** What a save stores: the analysis without the parsed model (which stays in the worker). */
export type StoredAnalysis = Omit<Analysis, 'doc' | 'schema'>;

export interface AnalyzeOptions {
  fileName: string | null;
  templateName: string | null;
  fallbackTitle: string;
}

export type AnalysisRequest =
  | { id: number; kind: 'analyze'; text: string; options: AnalyzeOptions }
  | { id: number; kind: 'render'; text: string; fileName: string | null };

export type AnalysisReply =
  { id: number; analysis: StoredAnalysis } | { id: number; html: string } | { id: number; error: string };

export interface AnalysisPool {
  analyze(text: string, options: AnalyzeOptions): Promise<StoredAnalysis>;
  /** The document's HTML fragment, as `render(parse(text, { fileName }))` makes it. */
  render(text: string, fileName: string | null): Promise<string>;
  close(): Promise<void>;
}

const WORKER_SCRIPT = new URL('./analysis-worker.js', import.meta.url);

/** What a worker starts with (structured-cloned: schemas are plain data). */
export interface WorkerSetup {
  templates: readonly TemplateSchema[];
}

/**
 * A worker that dies (a document too large for its heap) is replaced, but not more often than
 * this: a document that kills every worker it meets must not turn the pool into a restart loop.
 */
const RESTARTS_PER_MINUTE = 5;

/** How long one request may take on a worker before the worker is stopped (and replaced). */
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * A request that ran out of time. Not retried inline: what held a worker that long would hold the
 * request thread, and every other request with it.
 */
export function isAnalysisTimeout(error: unknown): error is DesignDocError {
  return error instanceof DesignDocError && error.code === 'DD_E_TOO_COMPLEX';
}

type Waiting = { resolve: (reply: AnalysisReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/**
 * Starts `size` workers (default: one fewer than the cores, at least one, at most four), each with
 * a copy of `templates` — the request thread's own, so a worker started later (a replacement)
 * detects and lints exactly as the request thread does, whatever happened to the templates folder
 * meanwhile. Null when this build has no worker script (the TypeScript sources under a test
 * runner): callers work inline.
 */
export function createAnalysisPool(options: {
  templates: readonly TemplateSchema[];
  size?: number;
  /** Each worker's old-generation heap in MiB (default 384: a 2 MiB table's render needs ~250). */
  heapMb?: number;
  /** How long one request may run before its worker is stopped (default 60 s). */
  timeoutMs?: number;
  /** Told when a worker dies (out of memory, a crash, a request out of time), before it is replaced. */
  onWorkerError?: (error: Error) => void;
}): AnalysisPool | null {
  if (!existsSync(fileURLToPath(WORKER_SCRIPT))) return null;
  const size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const pending = new Map<number, Waiting>();
  const load = new Map<Worker, number>();
  const owner = new Map<number, Worker>();
  const restarts: number[] = [];
  let nextId = 1;
  let closed = false;

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const settleAll = (worker: Worker, error: Error): void => {
    for (const [id, by] of owner)
      if (by === worker) {
        const waiting = pending.get(id);
        if (waiting) clearTimeout(waiting.timer);
        waiting?.reject(error);
        pending.delete(id);
        owner.delete(id);
      }
    load.delete(worker);
  };
  /** Workers stopped on purpose (a request out of time), replaced when stopped. */
  const retired = new WeakSet<Worker>();
  const replace = (): void => {
    if (closed) return;
    const now = Date.now();
    while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
    if (restarts.length < RESTARTS_PER_MINUTE) {
      restarts.push(now);
      start();
      return;
    }
    // Out of restarts for now: the work runs inline until the minute has passed, then a new
    // worker starts (the pool never stays empty for good).
    const retry = setTimeout(
      () => {
        if (closed) return;
        restarts.push(Date.now());
        start();
      },
      (restarts[0] as number) + 60_000 - now,
    );
    retry.unref();
  };
  const start = (): void => {
    // A capped heap bounds what one request can take; a document too large for it fails over to
    // the inline path (the worker's pending requests are rejected and done on the request thread).
    // The cap is a limit, not a reservation: the heap grows to it only for such a document.
    // A small young generation: an analysis's garbage dies young, and V8's default let a busy
    // worker add about 55 MiB to the server's RSS against 28 MiB with this cap, at the same
    // save rate (bench:api, session 7).
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { templates: options.templates } satisfies WorkerSetup,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 384, maxYoungGenerationSizeMb: 8 },
    });
    load.set(worker, 0);
    worker.on('message', (reply: AnalysisReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      owner.delete(reply.id);
      const left = Math.max(0, (load.get(worker) ?? 1) - 1);
      load.set(worker, left);
      // Idle again: nothing of ours waits on it, so it must not keep the process alive.
      if (left === 0) worker.unref();
      if (!waiting) return;
      clearTimeout(waiting.timer);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply);
    });
    worker.on('error', (error) => {
      settleAll(worker, error);
      options.onWorkerError?.(error);
    });
    worker.on('exit', () => {
      settleAll(worker, new Error('analysis worker exited'));
      // One stopped for taking too long was replaced already.
      if (!retired.has(worker)) replace();
    });
    // Unreferenced while idle (and only after the listeners: adding a 'message' listener
    // references the worker again), so a pool nobody closed (a start that failed) does not keep
    // the process from exiting; referenced while a request waits on it (see send).
    worker.unref();
  };
  for (let i = 0; i < size; i++) start();

  const send = (request: AnalysisRequest): Promise<AnalysisReply> => {
    // The least busy live worker; none left (all failed) is the caller's cue to work inline.
    let chosen: Worker | null = null;
    for (const [worker, count] of load)
      if (chosen === null || count < (load.get(chosen) ?? 0)) chosen = worker;
    if (closed || chosen === null) return Promise.reject(new Error('no analysis worker'));
    load.set(chosen, (load.get(chosen) ?? 0) + 1);
    // A request in flight keeps the process alive until its answer, as inline work would.
    chosen.ref();
    owner.set(request.id, chosen);
    const target = chosen;
    return new Promise<AnalysisReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The worker cannot be interrupted, only stopped: the requests queued behind this one
        // fail over to the inline path (as when a worker dies), and a new worker starts.
        const waiting = pending.get(request.id);
        pending.delete(request.id);
        owner.delete(request.id);
        settleAll(target, new Error('analysis worker stopped: a request before this one ran out of time'));
        const seconds = Math.round(timeoutMs / 100) / 10;
        waiting?.reject(
          new DesignDocError(
            'DD_E_TOO_COMPLEX',
            `${request.kind === 'render' ? 'Rendering' : 'Analysing'} the document took longer than ${seconds} s; nothing was saved or rendered. Split it into smaller documents.`,
          ),
        );
        options.onWorkerError?.(
          new Error(`an analysis worker was stopped after ${seconds} s on one request`),
        );
        retired.add(target);
        void target.terminate();
        replace();
      }, timeoutMs);
      timer.unref();
      pending.set(request.id, { resolve, reject, timer });
      target.postMessage(request);
    });
  };

  return {
    async analyze(text, analyzeOptions) {
      const reply = await send({ id: nextId++, kind: 'analyze', text, options: analyzeOptions });
      if (!('analysis' in reply)) throw new Error('analysis worker answered with no analysis');
      return reply.analysis;
    },
    async render(text, fileName) {
      const reply = await send({ id: nextId++, kind: 'render', text, fileName });
      if (!('html' in reply)) throw new Error('analysis worker answered with no HTML');
      return reply.html;
    },
    async close() {
      closed = true;
      const workers = [...load.keys()];
      load.clear();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
