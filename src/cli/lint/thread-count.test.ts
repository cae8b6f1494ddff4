import { describe, expect, it } from 'vitest';
import {
  JUDGE_AFTER_FILES,
  JUDGE_BY_MS,
  MIN_PROJECTED_RATIO,
  threadLimit,
  workerStartRule,
} from './thread-count.js';

describe('threadLimit', () => {
  it('uses every core, up to 8, and at least one thread', () => {
    expect(threadLimit(4)).toBe(4);
    expect(threadLimit(32)).toBe(8);
    expect(threadLimit(1)).toBe(1);
    expect(threadLimit(0)).toBe(1);
  });
});

/** Asks a fresh rule after every `batch` files, file `i` done at `at(i)` ms; returns the file count at which it said yes, or null. */
function startsAt(total: number, at: (files: number) => number, batch = 4): number | null {
  const rule = workerStartRule();
  for (let linted = batch; linted <= total; linted += batch)
    if (rule(linted, total, at(linted))) return linted;
  return null;
}

describe('workerStartRule', () => {
  it('waits for JUDGE_AFTER_FILES files however long the rest would take', () => {
    const rule = workerStartRule();
    // 10 ms a file with a million files to go: it would pay, but the pace is not known yet.
    for (let linted = 4; linted < JUDGE_AFTER_FILES; linted += 4)
      expect(rule(linted, 1_000_000, linted * 10)).toBe(false);
    expect(rule(JUDGE_AFTER_FILES, 1_000_000, JUDGE_AFTER_FILES * 10)).toBe(true);
  });

  it('judges by time when files are too large to reach JUDGE_AFTER_FILES soon', () => {
    // 100 ms a file: 20 files by JUDGE_BY_MS, 10,000 to go.
    expect(startsAt(10_000, (files) => files * 100, 1)).toBe(JUDGE_BY_MS / 100);
  });

  it('never starts workers before a file is done', () => {
    expect(workerStartRule()(0, 100_000, 10 * JUDGE_BY_MS)).toBe(false);
  });

  it('projects from the second half of the time so far, not the colder first half', () => {
    // Cold: 50 files in the first 500 ms; then 3⅓ ms a file, so 200 files are done at 1000 ms.
    const at = (files: number): number => (files <= 50 ? files * 10 : 500 + ((files - 50) * 10) / 3);
    // At that pace the rest must take 15 × 1000 ms: 4,500 files (the average pace would say 3,000).
    expect(startsAt(JUDGE_AFTER_FILES + 4_500, at, 1)).toBe(JUDGE_AFTER_FILES);
    expect(MIN_PROJECTED_RATIO * 1000).toBe((4_500 * 10) / 3);
    // Fewer to go: not at 200 files, and not later either (the ratio only falls as time passes).
    expect(startsAt(JUDGE_AFTER_FILES + 4_400, at, 1)).toBeNull();
  });

  it('gives the same verdict on a host twice as slow', () => {
    const fast = (files: number): number => 400 * Math.sqrt(files / 200) + files * 0.5;
    const slow = (files: number): number => 2 * fast(files);
    for (const total of [1_000, 2_600, 4_000, 10_000, 50_000])
      expect(startsAt(total, slow)).toBe(startsAt(total, fast));
    expect(startsAt(50_000, fast)).toBe(JUDGE_AFTER_FILES);
    expect(startsAt(1_000, fast)).toBeNull();
  });
});
