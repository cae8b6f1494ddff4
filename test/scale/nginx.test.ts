/**
 * deploy/nginx.conf in front of two real instances (over one PostgreSQL and one Redis): requests
 * through nginx reach both, a write through the proxy reads back at once, and when one instance
 * is killed with SIGKILL nginx keeps answering from the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../../src/server/index.js';
import { createApiToken, createUser, systemActor } from '../../src/server/services/index.js';
import { repoRoot } from '../support/corpus.js';
import {
  createTestPostgresDatabase,
  nginxBinary,
  REDIS_URL,
  requireServices,
  type TestPostgresDatabase,
} from '../support/services.js';
import { filledDocument } from '../server/fixtures.js';
import { startInstance, stopInstances, type Instance } from './cluster.js';

const available = await requireServices('nginx in front of instances', 'postgres', 'redis', 'nginx');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** deploy/nginx.conf with the test's instance ports and listen port; nothing else changed. */
function siteConfig(instances: Instance[], listen: number): string {
  const text = readFileSync(join(repoRoot, 'deploy', 'nginx.conf'), 'utf8');
  const servers = instances
    .map((i) => `    server ${new URL(i.url).host} max_fails=2 fail_timeout=5s;`)
    .join('\n');
  const replaced = text
    .replace(/(?:^ {4}server 127\.0\.0\.1:300\d .*\n)+/m, `${servers}\n`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${listen};`);
  if (replaced === text)
    throw new Error('deploy/nginx.conf no longer has the upstream lines this test rewrites');
  return replaced;
}

describe.skipIf(!available)('deploy/nginx.conf in front of two instances', () => {
  let database: TestPostgresDatabase;
  const instances: Instance[] = [];
  let nginx: ChildProcess | null = null;
  let prefix = '';
  let base = '';
  let token = '';

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    const options = {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      env: { DESIGNDOC_TRUST_PROXY: 'true' },
    };
    instances.push(await startInstance(0, options));
    instances.push(await startInstance(1, options));
    const ctx = await openServices({
      dataDir: '/nonexistent',
      templatesDir: null,
      finalCommentDays: 0,
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
    });
    const user = await createUser(ctx, systemActor(), {
      username: 'ops',
      displayName: 'Ops',
      role: 'member',
    });
    token = (await createApiToken(ctx, systemActor(user), { name: 'nginx', scopes: ['read', 'write'] }))
      .token;
    await ctx.cache.close();
    await ctx.db.close();

    prefix = mkdtempSync(join(tmpdir(), 'designdoc-nginx-'));
    mkdirSync(join(prefix, 'logs'));
    const port = await freePort();
    writeFileSync(join(prefix, 'designdoc.conf'), siteConfig(instances, port));
    writeFileSync(
      join(prefix, 'nginx.conf'),
      `daemon off;\nworker_processes 1;\npid ${join(prefix, 'nginx.pid')};\nerror_log ${join(prefix, 'logs', 'error.log')} warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;\n  fastcgi_temp_path ${prefix}/fastcgi;\n  uwsgi_temp_path ${prefix}/uwsgi;\n  scgi_temp_path ${prefix}/scgi;\n  include ${join(prefix, 'designdoc.conf')};\n}\n`,
    );
    nginx = spawn(nginxBinary() as string, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline)
        throw new Error(`nginx did not come up: ${readFileSync(join(prefix, 'logs', 'error.log'), 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await stopInstances(instances);
    await database?.drop();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text.startsWith('{') ? JSON.parse(text) : text,
    };
  };

  it('proxies reads and writes, passes its request id through, and serves /metrics to the allow-listed loopback', async () => {
    const created = await call('POST', '/api/v1/documents', {
      markdown: filledDocument('Edge Service'),
      id: 'edge-service',
    });
    expect(created.status).toBe(201);
    const saved = await call(
      'PUT',
      '/api/v1/documents/edge-service',
      {
        markdown: filledDocument('Edge Service').replace(
          '## Problem Statement',
          'Through nginx.\n\n## Problem Statement',
        ),
      },
      { 'if-match': '"1"' },
    );
    expect(saved.status).toBe(200);
    for (let i = 0; i < 6; i++) {
      const read = await call('GET', '/api/v1/documents/edge-service');
      expect(read.body.document.revision).toBe(2);
      expect(read.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    }
    expect((await call('GET', '/metrics')).status).toBe(200);
  });

  it('keeps answering when one instance is killed', async () => {
    const victim = instances[0] as Instance;
    victim.process.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call('GET', '/api/v1/documents/edge-service')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await call('GET', '/readyz')).status).toBe(200);
  });
});

if (!available) it.skip('nginx (PostgreSQL, Redis or nginx not available)', () => undefined);
