/**
 * Save-time analysis (parse, template detection, lint, extracted fields, section hashes) on worker
 * threads. It is pure CPU work on the text and about half of a save's time on the server's one
 * JavaScript thread; here it runs beside the request handling instead of inside it. The pool is
 * optional: without it (tests from the TypeScript sources, or a worker that failed) analysis runs
 * inline, with the same result.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Analysis } from './document-analysis.js';

/** What a save stores: the analysis without the parsed model (which stays in the worker). */
export type StoredAnalysis = Omit<Analysis, 'doc' | 'schema'>;

export interface AnalyzeOptions {
  fileName: string | null;
  templateName: string | null;
  fallbackTitle: string;
}

export interface AnalysisRequest {
  id: number;
  text: string;
  options: AnalyzeOptions;
}

export type AnalysisReply = { id: number; analysis: StoredAnalysis } | { id: number; error: string };

export interface AnalysisPool {
  analyze(text: string, options: AnalyzeOptions): Promise<StoredAnalysis>;
  close(): Promise<void>;
}

const WORKER_SCRIPT = new URL('./analysis-worker.js', import.meta.url);

/**
 * Starts `size` analysis workers (default: one fewer than the cores, at least one, at most four),
 * each with the templates of `templatesDir`. Null when this build has no worker script (the
 * TypeScript sources under a test runner): callers analyse inline.
 */
export function createAnalysisPool(options: {
  templatesDir: string | null;
  size?: number;
}): AnalysisPool | null {
  if (!existsSync(fileURLToPath(WORKER_SCRIPT))) return null;
  const size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const pending = new Map<number, { resolve: (a: StoredAnalysis) => void; reject: (e: Error) => void }>();
  const load = new Map<Worker, number>();
  const owner = new Map<number, Worker>();
  let nextId = 1;
  let closed = false;

  const settleAll = (worker: Worker, error: Error): void => {
    for (const [id, by] of owner)
      if (by === worker) {
        pending.get(id)?.reject(error);
        pending.delete(id);
        owner.delete(id);
      }
    load.delete(worker);
  };
  for (let i = 0; i < size; i++) {
    // A capped heap keeps the server's memory flat; a document too large for it fails over to the
    // inline path (the worker's pending requests are rejected and analysed on the request thread).
    // A small young generation: an analysis's garbage dies young, and V8's default let a busy
    // worker add about 55 MiB to the server's RSS against 28 MiB with this cap, at the same
    // save rate (bench:api, session 7).
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { templatesDir: options.templatesDir },
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
    });
    worker.unref();
    load.set(worker, 0);
    worker.on('message', (reply: AnalysisReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      owner.delete(reply.id);
      load.set(worker, Math.max(0, (load.get(worker) ?? 1) - 1));
      if (!waiting) return;
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply.analysis);
    });
    worker.on('error', (error) => settleAll(worker, error));
    worker.on('exit', () => settleAll(worker, new Error('analysis worker exited')));
  }

  return {
    analyze(text, analyzeOptions) {
      // The least busy live worker; none left (all failed) is the caller's cue to analyse inline.
      let chosen: Worker | null = null;
      for (const [worker, count] of load)
        if (chosen === null || count < (load.get(chosen) ?? 0)) chosen = worker;
      if (closed || chosen === null) return Promise.reject(new Error('no analysis worker'));
      const id = nextId++;
      load.set(chosen, (load.get(chosen) ?? 0) + 1);
      owner.set(id, chosen);
      const request: AnalysisRequest = { id, text, options: analyzeOptions };
      const target = chosen;
      return new Promise<StoredAnalysis>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        target.postMessage(request);
      });
    },
    async close() {
      closed = true;
      const workers = [...load.keys()];
      load.clear();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
