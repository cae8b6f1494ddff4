/**
 * A small cluster for the scale tests: N real server processes on ephemeral loopback ports over
 * one PostgreSQL database and one Redis, started, killed and stopped by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../support/corpus.js';

const LAUNCHER = fileURLToPath(new URL('./server-process.mjs', import.meta.url));

export interface Instance {
  index: number;
  url: string;
  process: ChildProcess;
  /** Set once the process has exited (killed or crashed). */
  exited: boolean;
  stderr: string[];
}

export interface ClusterOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Extra DESIGNDOC_* settings for every instance. */
  env?: Record<string, string>;
}

/** Starts one server process and resolves with its URL once it prints READY. */
export function startInstance(index: number, options: ClusterOptions): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), `designdoc-scale-${index}-`));
  const child = spawn(process.execPath, [LAUNCHER], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DESIGNDOC_PORT: '0',
      DESIGNDOC_HOST: '127.0.0.1',
      DESIGNDOC_DATA: dataDir,
      DESIGNDOC_DATABASE_URL: options.databaseUrl,
      DESIGNDOC_REDIS_URL: options.redisUrl,
      DESIGNDOC_LOG_LEVEL: 'silent',
      DESIGNDOC_EXAMPLES: 'false',
      DESIGNDOC_RATE_LIMIT: '0',
      DESIGNDOC_WEB: join(dataDir, 'no-web'),
      ...(options.env ?? {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const instance: Instance = { index, url: '', process: child, exited: false, stderr: [] };
  child.stderr?.on('data', (chunk: Buffer) => instance.stderr.push(chunk.toString()));
  child.on('exit', () => {
    instance.exited = true;
    rmSync(dataDir, { recursive: true, force: true });
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`instance ${index} not ready in 60 s: ${instance.stderr.join('')}`)),
      60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m && instance.url === '') {
        clearTimeout(timer);
        instance.url = m[1] as string;
        resolve(instance);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (instance.url === '')
        reject(new Error(`instance ${index} exited with ${code}: ${instance.stderr.join('')}`));
    });
  });
}

/** Stops every instance still running (SIGTERM, then SIGKILL after 5 s). */
export async function stopInstances(instances: readonly Instance[]): Promise<void> {
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolve) => {
          if (instance.exited) return resolve();
          const force = setTimeout(() => instance.process.kill('SIGKILL'), 5000);
          instance.process.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          instance.process.kill('SIGTERM');
        }),
    ),
  );
}
