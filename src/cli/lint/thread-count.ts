/**
 * How many threads a lint run may use when `--jobs` does not say, and when it starts them: the main
 * thread lints alone first, and the workers start only once the run has shown that it is long
 * enough to repay them.
 *
 * A worker's start and its JIT warm-up take about 1 s of CPU however few files it lints, and on two
 * cores it slows the main thread while it warms up. Measured on two cores (BENCHMARKS.md, lint):
 * one thread won every run it finished in under about 2 s (the shared corpus, 49 MB: 1.35 s
 * against 1.6 s; 2,000 generated documents, 19 MB: 1.4 s against 1.6 s), the two broke even near
 * 2 s (4,000 generated documents, 37 MB), and two threads won beyond (10,000 generated documents:
 * 4.1 s against 3.1 s). Bytes do not tell these apart: the corpus is larger than the 4,000
 * documents and takes a third less time. The run's own pace does.
 */

/** Threads for a run on `cores` cores: every core, up to 8. */
export function threadLimit(cores: number): number {
  return Math.max(1, Math.min(cores, 8));
}

/** How long the main thread lints alone before it judges the run: its pace is known by then. */
export const JUDGE_AFTER_MS = 300;

/**
 * The one-thread time still to go, projected from the pace so far, above which workers start. The
 * pace so far includes the JIT's warm-up, so the projection runs high: at 300 ms it was 2.6 s for
 * the shared corpus (1.1 s to go in fact), 3.2 s for 2,000 generated documents (0.9 s), 7.1 s for
 * 4,000 (1.7 s) and 14.7 s for 10,000. The threshold sits between the runs one thread won and
 * those two won.
 */
export const MIN_PROJECTED_MS = 5000;

/**
 * Whether the workers should start now: after `elapsedMs` of linting on the main thread, `linted`
 * of `total` files are done. False until the main thread has linted for `JUDGE_AFTER_MS`.
 */
export function workersPayOff(linted: number, total: number, elapsedMs: number): boolean {
  if (elapsedMs < JUDGE_AFTER_MS || linted <= 0) return false;
  return (elapsedMs * (total - linted)) / linted >= MIN_PROJECTED_MS;
}
