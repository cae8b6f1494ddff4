/**
 * JIT tuning for commands that go once through many documents (`lint`, `list`). Such a run is
 * short, and most of its hot code is optimised while it runs: in one cold pass over the shared
 * corpus (2,600 documents) V8's background threads spent about 1.5 s of CPU, nearly all of it
 * optimising the parser and rules, on the cores the lint workers need, and every worker thread
 * optimises its own copy. A smaller inlining budget makes each optimisation several times cheaper
 * (about 1 s of CPU for that pass) for code about 5% slower once warm: about 15% less wall time on
 * the shared corpus, 2% on the 10,000 generated documents (`bench/lint`, BENCHMARKS.md). A
 * long-lived server wants the opposite, so `serve` never calls this.
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
