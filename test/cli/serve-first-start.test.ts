/**
 * `designdoc serve` as a user meets it, a real process on an empty data folder: the first start
 * prints the admin's one-time password once, and that password signs in; a second start on the same
 * folder prints none and the password still works.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, ensureBuilt } from './run-cli.js';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'designdoc-first-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the server, waits for its start lines, runs `use` against it, then stops it with SIGTERM. */
async function serving(
  use: (url: string, out: () => string) => Promise<void>,
): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data', join(dir, 'data'), '--port', '0'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while ((url = / at (http:\/\/\S+) \(ready in/.exec(out)?.[1]) === undefined) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`serve did not start: ${out}${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // The lines after the address are written in the same tick; give the pipe a moment.
    await new Promise((r) => setTimeout(r, 100));
    await use(url, () => out);
  } finally {
    child.kill('SIGTERM');
  }
  return { out, code: await exited };
}

const signIn = (url: string, password: string) =>
  globalThis.fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });

it('prints the one-time admin password on the first start only, and it signs in', async () => {
  let password = '';
  const first = await serving(async (url, out) => {
    password = /^ {2}password: (\S+)$/m.exec(out())?.[1] ?? '';
    expect(password.length, out()).toBeGreaterThanOrEqual(20);
    expect((await signIn(url, password)).status).toBe(200);
    expect((await signIn(url, `${password}x`)).status).toBe(401);
  });
  expect(first.code).toBe(0);
  expect(first.out).toContain('designdoc: first start — created the admin account.');
  expect(first.out).toContain('loaded example document(s): payments-service');

  const second = await serving(async (url) => {
    expect((await signIn(url, password)).status).toBe(200);
  });
  expect(second.code).toBe(0);
  expect(second.out).not.toContain('password');
  expect(second.out).not.toContain('first start');
});
