import { describe, expect, it } from 'vitest';
import { JUDGE_AFTER_MS, MIN_PROJECTED_MS, threadLimit, workersPayOff } from './thread-count.js';

describe('threadLimit', () => {
  it('uses every core, up to 8, and at least one thread', () => {
    expect(threadLimit(4)).toBe(4);
    expect(threadLimit(32)).toBe(8);
    expect(threadLimit(1)).toBe(1);
    expect(threadLimit(0)).toBe(1);
  });
});

describe('workersPayOff', () => {
  it('waits until the main thread has linted long enough to know its pace', () => {
    expect(workersPayOff(1, 100_000, JUDGE_AFTER_MS - 1)).toBe(false);
    expect(workersPayOff(1, 100_000, JUDGE_AFTER_MS)).toBe(true);
  });

  it('never starts workers before a file is done', () => {
    expect(workersPayOff(0, 100_000, 10 * JUDGE_AFTER_MS)).toBe(false);
  });

  it('starts them when the time still to go, at the pace so far, reaches the threshold', () => {
    // 300 files in 300 ms: 1 ms a file.
    const elapsed = 300;
    const linted = 300;
    expect(workersPayOff(linted, linted + MIN_PROJECTED_MS, elapsed)).toBe(true);
    expect(workersPayOff(linted, linted + MIN_PROJECTED_MS - 1, elapsed)).toBe(false);
    // A run whose files are nearly all done keeps to one thread however slow it was.
    expect(workersPayOff(2990, 3000, 3000)).toBe(false);
  });
});
