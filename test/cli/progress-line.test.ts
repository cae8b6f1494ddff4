import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { createProgressLine } from '../../src/cli/progress-line.js';
import { colorEnabled } from '../../src/cli/terminal-colors.js';

function terminal(isTTY: boolean, env: NodeJS.ProcessEnv = {}): { io: CliIO; written: () => string } {
  const stderr = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const io: CliIO = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), cwd: '/', env, isTTY };
  return { io, written: () => chunks.join('') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('progress line', () => {
  it('stays silent during the first second, then shows done/total and erases itself', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { io, written } = terminal(true);
    const progress = createProgressLine(io, 'linting', 100);
    progress.tick();
    await Promise.resolve();
    expect(written()).toBe('');
    vi.setSystemTime(Date.now() + 1500);
    progress.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toBe('\r\x1b[Klinting 2/100');
    progress.done();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written().endsWith('\r\x1b[K')).toBe(true);
  });

  it('never writes when stderr is not a terminal, or under CI', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const { io, written } of [terminal(false), terminal(true, { CI: 'true' })]) {
      const progress = createProgressLine(io, 'linting', 100);
      vi.setSystemTime(Date.now() + 5000);
      progress.tick();
      progress.done();
      await new Promise((resolve) => setImmediate(resolve));
      expect(written()).toBe('');
    }
  });
});

describe('colour decision', () => {
  it('follows the TTY, NO_COLOR wins, FORCE_COLOR forces', () => {
    expect(colorEnabled({ isTTY: true, env: {} })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: {} })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(colorEnabled({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(colorEnabled({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(colorEnabled({ isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).toBe(false);
  });
});
