/**
 * A progress line on stderr for long runs: shown only when stderr is a terminal, only once the run
 * has taken a second, redrawn at most ten times a second, and erased when the run ends, so short
 * runs and piped output never see it.
 */
import type { CliIO } from './command.js';

export interface ProgressLine {
  /** Records that one more of `total` items is done. */
  tick(): void;
  /** Erases the line if it is showing, so other output can be written; the next tick redraws it. */
  clear(): void;
  /** Erases the line (if it was ever drawn). */
  done(): void;
}

const DELAY_MS = 1000;
const INTERVAL_MS = 100;

/** A progress line for `total` items labelled `label`; a no-op when stderr is not a terminal. */
export function createProgressLine(io: CliIO, label: string, total: number): ProgressLine {
  const stream = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  if (stream.isTTY !== true || total < 2 || io.env.CI === 'true') return { tick() {}, clear() {}, done() {} };
  const started = Date.now();
  let count = 0;
  let drawnAt = 0;
  let drawn = false;
  return {
    tick() {
      count++;
      const now = Date.now();
      if (now - started < DELAY_MS || now - drawnAt < INTERVAL_MS) return;
      drawnAt = now;
      drawn = true;
      stream.write(`\r\x1b[K${label} ${count}/${total}`);
    },
    clear() {
      if (!drawn) return;
      stream.write('\r\x1b[K');
      drawn = false;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
