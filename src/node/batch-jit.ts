/**
 * JIT tuning for commands that go once through many documents (`lint`, `list`). Such a run is
 * short, and most of its hot code is optimised while it runs: on the shared corpus (2,600
 * documents) the optimising compiler spends about 2 s of CPU on the parser alone, on background
 * threads that compete for the same cores as the lint workers. A smaller inlining budget makes
 * each optimisation several times cheaper for code about 5% slower once warm; over such a run
 * that is 10–15% less wall time (`bench/lint`, BENCHMARKS.md). A long-lived server wants the
 * opposite, so `serve` never calls this.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default is 920 bytes of bytecode inlined per optimised function. */
const INLINE_BUDGET = 150;

let applied = false;

/**
 * Applies the tuning once per process, before the documents are read; worker threads started
 * afterwards share it (V8 flags are per process). Only heuristics of the optimising compiler
 * change: results are the same either way.
 */
export function tuneJitForOneBatch(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINE_BUDGET}`);
}
