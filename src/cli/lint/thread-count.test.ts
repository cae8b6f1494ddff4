import { describe, expect, it } from 'vitest';
import {
  JUDGE_AFTER_FILES,
  JUDGE_BY_MS,
  MIN_PROJECTED_RATIO,
  createWorkerStartRule,
  threadLimit,
} from './thread-count.js';

describe('threadLimit', () => {
  it('uses every core, up to 8, and at least one thread', () => {
    expect(threadLimit(4)).toBe(4);
    expect(threadLimit(32)).toBe(8);
    expect(threadLimit(1)).toBe(1);
    expect(threadLimit(0)).toBe(1);
  });
});

/**
 * Asks a fresh rule after every `batch` files, `at(n)` being the time by which `n` files are done;
 * returns the file count at which it first said yes, or null.
 */
function startsAt(total: number, at: (files: number) => number, batch = 4): number | null {
  const rule = createWorkerStartRule();
  for (let linted = batch; linted <= total; linted += batch)
    if (rule(linted, total, at(linted))) return linted;
  return null;
}

describe('createWorkerStartRule', () => {
  it('waits for JUDGE_AFTER_FILES files however long the rest would take', () => {
    const rule = createWorkerStartRule();
    // 1 ms a file with a million files to go: it would pay, but the pace is not known yet.
    for (let linted = 4; linted < JUDGE_AFTER_FILES; linted += 4)
      expect(rule(linted, 1_000_000, linted)).toBe(false);
    expect(rule(JUDGE_AFTER_FILES, 1_000_000, JUDGE_AFTER_FILES)).toBe(true);
  });

  it('judges by time when files are too large to reach JUDGE_AFTER_FILES soon', () => {
    // 250 ms a file: 20 files by JUDGE_BY_MS, 10,000 to go.
    expect(startsAt(10_000, (files) => files * 250, 1)).toBe(JUDGE_BY_MS / 250);
  });

  it('projects from the whole run when no sample is as old as half of it', () => {
    // One batch of 4 files took 6 s (4 huge files): 1.5 s a file over the whole run. With 20 files
    // to go that is 30 s, under 15 × 6 s; with 996 to go, 1,494 s.
    expect(MIN_PROJECTED_RATIO * 6000).toBe(90_000);
    expect(createWorkerStartRule()(4, 24, 6000)).toBe(false);
    expect(createWorkerStartRule()(4, 1000, 6000)).toBe(true);
  });

  it('never starts workers before a file is done, or when none is left', () => {
    expect(createWorkerStartRule()(0, 100_000, 10 * JUDGE_BY_MS)).toBe(false);
    const rule = createWorkerStartRule();
    for (let linted = 4; linted < JUDGE_AFTER_FILES; linted += 4)
      rule(linted, JUDGE_AFTER_FILES, linted * 10);
    expect(rule(JUDGE_AFTER_FILES, JUDGE_AFTER_FILES, JUDGE_AFTER_FILES * 10)).toBe(false);
    expect(rule(JUDGE_AFTER_FILES + 4, JUDGE_AFTER_FILES, JUDGE_AFTER_FILES * 10 + 40)).toBe(false);
  });

  it('projects from the second half of the time so far, not the colder first half', () => {
    // Cold: 48 files by 480 ms (10 ms a file); then 520 ms for the next 152 files, 200 done at
    // 1000 ms. The second half (from 500 ms on) is all warm, about 3.4 ms a file; the average over
    // the whole run would say 5 ms a file.
    const at = (files: number): number => (files <= 48 ? files * 10 : 480 + ((files - 48) * 520) / 152);
    const recentMsPerFile = 520 / 152;
    const needed = (MIN_PROJECTED_RATIO * 1000) / recentMsPerFile; // ≈ 4,385 files to go
    expect(startsAt(JUDGE_AFTER_FILES + Math.ceil(needed) + 40, at, 4)).toBe(JUDGE_AFTER_FILES);
    // Fewer to go: no at 200 files although the average pace (5 ms) would project 21 s, and not
    // later either, the pace staying the same while the files to go only fall.
    expect(startsAt(JUDGE_AFTER_FILES + Math.floor(needed) - 40, at, 4)).toBeNull();
  });

  it('starts workers later in a run whose files grow larger, against the same warm-up time', () => {
    // 2 ms a file for the first 1,000 files, then 40 ms: at 200 files 1,800 files to go at 2 ms
    // (3.6 s) is under 15 × 0.4 s; once the large files have set the pace, the rest pays.
    const at = (files: number): number => (files <= 1000 ? files * 2 : 2000 + (files - 1000) * 40);
    const started = startsAt(2000, at);
    expect(started).not.toBeNull();
    expect(started as number).toBeGreaterThan(1000);
  });

  it('gives the same verdict on a host twice as slow', () => {
    const fast = (files: number): number => 400 * Math.sqrt(files / 200) + files * 0.5;
    const slow = (files: number): number => 2 * fast(files);
    const verdicts = [1_000, 2_600, 4_000, 10_000, 50_000].map((total) => startsAt(total, fast));
    expect(verdicts).toEqual([null, null, null, JUDGE_AFTER_FILES, JUDGE_AFTER_FILES]);
    for (const [i, total] of [1_000, 2_600, 4_000, 10_000, 50_000].entries())
      expect(startsAt(total, slow)).toBe(verdicts[i]);
  });
});
