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

type Waiting = {
  request: AnalysisRequest;
  resolve: (reply: AnalysisReply) => void;
  reject: (e: Error) => void;
};

/** A worker and the requests sent to it, in the order it takes them. */
interface Slot {
  worker: Worker;
  queue: number[];
  /** Its modules are loaded and it listens: until then no request's clock runs. */
  ready: boolean;
  /** The clock of the request at the head of the queue. */
  timer: NodeJS.Timeout | null;
  /** Stopped by the pool (a request out of time, or close): replaced already, or never. */
  stopped: boolean;
}

/** What a worker posts once it listens, before any answer. */
export const WORKER_READY = 'ready';

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
  /**
   * How long one request may run before its worker is stopped (default 60 s), counted from when
   * the worker takes it up — time queued behind other requests does not count.
   */
  timeoutMs?: number;
  /** Told when a worker dies (out of memory, a crash, a request out of time), before it is replaced. */
  onWorkerError?: (error: Error) => void;
}): AnalysisPool | null {
  if (!existsSync(fileURLToPath(WORKER_SCRIPT))) return null;
  const size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pending = new Map<number, Waiting>();
  /** Live workers: a worker leaves this set when it dies or is stopped, and gets no more requests. */
  const slots = new Set<Slot>();
  const restarts: number[] = [];
  let nextId = 1;
  let closed = false;

  /** Starts the clock of the request at the head of `slot`'s queue, when it is not running yet. */
  const armHead = (slot: Slot): void => {
    const head = slot.queue[0];
    if (slot.timer !== null || !slot.ready || head === undefined) return;
    slot.timer = setTimeout(() => outOfTime(slot, head), timeoutMs);
    slot.timer.unref();
  };

  /** Takes `slot` out of service: no more requests, no clock; what it held is returned. */
  const retire = (slot: Slot): Waiting[] => {
    slots.delete(slot);
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    const held: Waiting[] = [];
    for (const id of slot.queue.splice(0)) {
      const waiting = pending.get(id);
      pending.delete(id);
      if (waiting) held.push(waiting);
    }
    return held;
  };

  /**
   * The request at the head of `slot`'s queue ran out of time. A worker cannot be interrupted,
   * only stopped: it is, that request fails with DD_E_TOO_COMPLEX (never retried inline, where it
   * would hold every other request), and the requests queued behind it go to the new worker.
   */
  const outOfTime = (slot: Slot, id: number): void => {
    const held = retire(slot);
    slot.stopped = true;
    const seconds = Math.round(timeoutMs / 100) / 10;
    options.onWorkerError?.(new Error(`an analysis worker was stopped after ${seconds} s on one request`));
    void slot.worker.terminate();
    replace();
    for (const waiting of held) {
      if (waiting.request.id !== id) {
        send(waiting.request).then(waiting.resolve, waiting.reject);
        continue;
      }
      const doing = waiting.request.kind === 'render' ? 'Rendering' : 'Analysing';
      waiting.reject(
        new DesignDocError(
          'DD_E_TOO_COMPLEX',
          `${doing} the document took longer than ${seconds} s; nothing was saved or rendered. Split it into smaller documents.`,
        ),
      );
    }
  };

  /** A worker died (out of memory, a crash): what it held fails over to the inline path. */
  const died = (slot: Slot, error: Error): void => {
    for (const waiting of retire(slot)) waiting.reject(error);
  };

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
    const slot: Slot = { worker, queue: [], ready: false, timer: null, stopped: false };
    slots.add(slot);
    worker.on('message', (reply: AnalysisReply | typeof WORKER_READY) => {
      // A worker already stopped may still answer before it exits: what it held went elsewhere.
      if (!slots.has(slot)) return;
      if (reply === WORKER_READY) {
        slot.ready = true;
        armHead(slot);
        return;
      }
      const at = slot.queue.indexOf(reply.id);
      if (at === -1) return;
      slot.queue.splice(at, 1);
      if (at === 0 && slot.timer !== null) {
        clearTimeout(slot.timer);
        slot.timer = null;
      }
      armHead(slot);
      // Idle again: nothing of ours waits on it, so it must not keep the process alive.
      if (slot.queue.length === 0) worker.unref();
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (!waiting) return;
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply);
    });
    worker.on('error', (error) => {
      if (!slots.has(slot)) return;
      died(slot, error);
      options.onWorkerError?.(error);
    });
    worker.on('exit', () => {
      // A worker stopped for taking too long was replaced already (and none is after close).
      if (slot.stopped) return;
      if (slots.has(slot)) died(slot, new Error('analysis worker exited'));
      replace();
    });
    // Unreferenced while idle (and only after the listeners: adding a 'message' listener
    // references the worker again), so a pool nobody closed (a start that failed) does not keep
    // the process from exiting; referenced while a request waits on it (see send).
    worker.unref();
  };
  for (let i = 0; i < size; i++) start();

  const send = (request: AnalysisRequest): Promise<AnalysisReply> => {
    // The least busy live worker; none left (all failed) is the caller's cue to work inline.
    let chosen: Slot | null = null;
    for (const slot of slots) if (chosen === null || slot.queue.length < chosen.queue.length) chosen = slot;
    if (closed || chosen === null) return Promise.reject(new Error('no analysis worker'));
    const slot = chosen;
    // A request in flight keeps the process alive until its answer, as inline work would.
    slot.worker.ref();
    return new Promise<AnalysisReply>((resolve, reject) => {
      pending.set(request.id, { request, resolve, reject });
      slot.queue.push(request.id);
      slot.worker.postMessage(request);
      armHead(slot);
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
      const stopping = [...slots];
      for (const slot of stopping) {
        slot.stopped = true;
        died(slot, new Error('the analysis pool was closed'));
      }
      await Promise.all(stopping.map((slot) => slot.worker.terminate()));
    },
  };
}
