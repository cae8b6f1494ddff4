/**
 * How many threads a lint run uses when `--jobs` does not say: one per core for runs large
 * enough to repay the workers, else the main thread alone.
 */
import { statSync } from 'node:fs';
import type { FileTask } from './file-linter.js';
import { WORKER_MAX_FILE_SIZE } from './worker-pool.js';

/**
 * Below this much text, worker threads cost more than they save. A worker's start and its JIT
 * warm-up take 1 to 1.5 s of CPU however few files it lints (BENCHMARKS.md, lint), so it pays only
 * on a run that keeps one thread busy for longer: measured on two cores, one thread won up to
 * some 30 MB (300 files, 5 MB in all: 0.83 s on one thread, 1.04 s on two).
 */
export const MIN_BYTES_FOR_WORKERS = 32 * 1024 * 1024;
/** Files sized to estimate a run's total: a stat each, a millisecond or two for the lot. */
const SIZE_SAMPLE = 64;

/**
 * The size of the run's work that workers could share, estimated from up to `SIZE_SAMPLE` files
 * spread through the list (all of them when there are no more). Files larger than a worker takes
 * (`WORKER_MAX_FILE_SIZE`) are linted on the main thread whatever the thread count, so they do not
 * count; nor does a file that cannot be stated (its read will fail and report why).
 */
export function estimatedBytes(files: readonly FileTask[]): number {
  const step = Math.max(1, files.length / SIZE_SAMPLE);
  let sampled = 0;
  let bytes = 0;
  for (let at = 0; at < files.length; at += step) {
    sampled++;
    try {
      const size = statSync((files[Math.floor(at)] as FileTask).path).size;
      if (size <= WORKER_MAX_FILE_SIZE) bytes += size;
    } catch {
      // Counted as empty.
    }
  }
  return sampled === 0 ? 0 : (bytes / sampled) * files.length;
}

/** Threads for `files` on `cores` cores (at most 8 used): all of them past the size threshold, else 1. */
export function autoThreads(files: readonly FileTask[], cores: number): number {
  const threads = Math.min(cores, 8);
  if (threads <= 1 || files.length < 2) return 1;
  return estimatedBytes(files) < MIN_BYTES_FOR_WORKERS ? 1 : threads;
}
