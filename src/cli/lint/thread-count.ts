/**
 * How many threads a lint run may use when `--jobs` does not say, and when it starts them: the main
 * thread lints alone first, and the workers start only once the run has shown that it is long
 * enough to repay them.
 *
 * A worker's start and its JIT warm-up take about 1 s of CPU however few files it lints, and on two
 * cores it slows the main thread while it warms up. Measured on two cores (BENCHMARKS.md, lint):
 * one thread won every run it finished in under about 2 s on a fast host in session 13 (the corpus,
 * 49 MB: 1.35 s against 1.6 s; 2,000 generated documents: 1.4 s against 1.6 s), the two broke even
 * near 2 s (4,000 generated documents), and two threads won beyond (10,000: 4.1 s against 3.1 s).
 * Bytes do not tell these apart (the corpus is larger than the 4,000 documents and takes a third
 * less time); the run's own pace does, once it is measured in a way a slower host does not change.
 */
import type { WorkerStartRule } from './worker-pool.js';

/** Threads for a run on `cores` cores: every core, up to 8. */
export function threadLimit(cores: number): number {
  return Math.max(1, Math.min(cores, 8));
}

/**
 * Files the main thread lints alone before it judges the run. Judging after a number of files
 * rather than a time keeps the verdict the same on a host twice as slow: the JIT's warm-up, which
 * dominates the first few hundred files, is as far along after 200 files on either, while after a
 * fixed 300 ms a slow host had seen half as many files, at a colder pace, and started workers for
 * the shared corpus that one thread lints faster (2.9 s against 2.5 s on such a host).
 */
export const JUDGE_AFTER_FILES = 200;

/**
 * A run still short of `JUDGE_AFTER_FILES` files after this long is judged anyway: its files are
 * large (a few hundred kilobytes each), or the host is loaded far beyond anything measured (200
 * files took 0.3–0.7 s on the hosts in BENCHMARKS.md). Only there does the host's speed come back
 * into the verdict.
 */
export const JUDGE_BY_MS = 5000;

/**
 * Workers start when the one-thread time still to go is at least this many times the time the
 * main thread took to reach its first verdict, which is mostly the JIT's warm-up that each worker
 * repeats. The time to go is projected from the pace of the second half of the time so far, the
 * first half being the coldest. Measured at 200 files on two cores, on a slow host (BENCHMARKS.md,
 * session 14): 9.6 for the shared corpus and 6.3 for 2,000 generated documents (one thread won
 * both), 12.8 for 4,000 (break-even) and 33.8 for 10,000 (two threads won).
 */
export const MIN_PROJECTED_RATIO = 15;

/**
 * A rule for one run, with its own samples: asked after each batch the main thread lints, with
 * `linted` of `total` files done after `elapsedMs`, it says whether the workers should start now.
 * After a first "no" it keeps asking, against the same warm-up time, so a run whose files grow
 * larger further on can still get its workers.
 */
export function createWorkerStartRule(): WorkerStartRule {
  const times: number[] = [];
  const counts: number[] = [];
  let warmUpMs = -1;
  return (linted, total, elapsedMs) => {
    times.push(elapsedMs);
    counts.push(linted);
    if (linted <= 0 || (linted < JUDGE_AFTER_FILES && elapsedMs < JUDGE_BY_MS)) return false;
    if (warmUpMs < 0) warmUpMs = elapsedMs;
    const atHalf = sampleAtOrBefore(times, counts, elapsedMs / 2);
    const recentFiles = linted - atHalf.linted;
    if (recentFiles <= 0) return false;
    const projectedMs = (Math.max(0, total - linted) * (elapsedMs - atHalf.elapsedMs)) / recentFiles;
    return projectedMs >= MIN_PROJECTED_RATIO * warmUpMs;
  };
}

/** The last sample taken at or before `ms` (the start of the run when there is none). */
function sampleAtOrBefore(
  times: readonly number[],
  counts: readonly number[],
  ms: number,
): { elapsedMs: number; linted: number } {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0
    ? { elapsedMs: 0, linted: 0 }
    : { elapsedMs: times[lo - 1] as number, linted: counts[lo - 1] as number };
}
