import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileTask } from './file-linter.js';
import { autoThreads, estimatedBytes, MIN_BYTES_FOR_WORKERS } from './thread-count.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'designdoc-threads-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `count` files of `size` bytes each (sparse: nothing is written). */
function files(name: string, count: number, size: number): FileTask[] {
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `${name}-${i}.md`);
    writeFileSync(path, '');
    truncateSync(path, size);
    return { path, display: path, hasSidecar: false };
  });
}

describe('autoThreads', () => {
  it('keeps a run of many small files on the main thread', () => {
    const small = files('small', 300, 16 * 1024);
    expect(estimatedBytes(small)).toBe(300 * 16 * 1024);
    expect(autoThreads(small, 8)).toBe(1);
  });

  it('uses every core, up to 8, once the run passes the size threshold', () => {
    const large = files('large', 40, 1024 * 1024);
    expect(estimatedBytes(large)).toBeGreaterThan(MIN_BYTES_FOR_WORKERS);
    expect(autoThreads(large, 4)).toBe(4);
    expect(autoThreads(large, 32)).toBe(8);
    expect(autoThreads(large, 1)).toBe(1);
  });

  it('leaves out files too large for a worker: the main thread lints those anyway', () => {
    const huge = files('huge', 40, 2 * 1024 * 1024);
    expect(estimatedBytes(huge)).toBe(0);
    expect(autoThreads(huge, 4)).toBe(1);
    expect(estimatedBytes([...huge, ...files('fits', 2, 1000)])).toBeCloseTo(2000, 6);
  });

  it('estimates a long list from a sample, and counts a file it cannot stat as empty', () => {
    const many = files('many', 1000, 1000);
    expect(estimatedBytes(many)).toBeCloseTo(1000 * 1000, -3);
    const gone: FileTask = { path: join(dir, 'missing.md'), display: 'missing.md', hasSidecar: null };
    expect(estimatedBytes([gone, ...files('one', 1, 4000)])).toBe(4000);
    expect(estimatedBytes([])).toBe(0);
  });
});
