// The top-level catch, exercised in-process: an unexpected exception becomes one line naming
// DD_E_INTERNAL (exit 2), with the stack only under DESIGNDOC_DEBUG=1.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { repoRoot } from '../support/corpus.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A stdout that fails the way a broken device would: not a DesignDocError. */
function brokenStdout(): Writable {
  return new Writable({
    write() {
      throw new Error('device on fire\nsecond line');
    },
  });
}

describe('main: the one top-level catch', () => {
  it('turns an unexpected error into one internal-error line and exit 2', async () => {
    const stderr = capture();
    const code = await main(['--version'], {
      stdout: brokenStdout(),
      stderr: stderr.stream,
      env: {},
      cwd: repoRoot,
    });
    expect(code).toBe(2);
    expect(stderr.text()).toBe(
      'designdoc: internal error: device on fire [DD_E_INTERNAL] (set DESIGNDOC_DEBUG=1 for details)\n',
    );
  });

  it('adds the stack trace with DESIGNDOC_DEBUG=1', async () => {
    const stderr = capture();
    const code = await main(['--version'], {
      stdout: brokenStdout(),
      stderr: stderr.stream,
      env: { DESIGNDOC_DEBUG: '1' },
      cwd: repoRoot,
    });
    expect(code).toBe(2);
    const lines = stderr.text().split('\n');
    expect(lines[0]).toMatch(/^designdoc: internal error: device on fire \[DD_E_INTERNAL\]/);
    expect(lines.some((line) => /^\s+at /.test(line))).toBe(true);
  });

  it('prints a DesignDocError as file:line:col: message [CODE]', async () => {
    const stderr = capture();
    const stdout = capture();
    const code = await main(['show', 'no/such/file.md'], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: {},
      cwd: repoRoot,
    });
    expect(code).toBe(2);
    expect(stderr.text()).toBe('designdoc: no/such/file.md: no such file [DD_E_FILE_NOT_FOUND]\n');
    expect(stdout.text()).toBe('');
  });
});
