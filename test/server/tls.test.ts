/**
 * TLS: given a certificate and key, the server speaks HTTPS, sends HSTS and marks the session
 * cookie Secure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultServerConfig, startServer, type RunningServer } from '../../src/server/index.js';
import { createUser, systemActor } from '../../src/server/services/index.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('TLS', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    server = await startServer({
      ...defaultServerConfig(dir),
      port: 0,
      logLevel: 'silent',
      loadExamples: false,
      tlsCert: join(dir, 'cert.pem'),
      tlsKey: join(dir, 'key.pem'),
      webDist: join(dir, 'none'),
    });
    await createUser(server.ctx, systemActor(), {
      username: 'tess',
      role: 'member',
      password: 'transport layer secret',
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with HSTS and a Secure session cookie', async () => {
    expect(server.url).toMatch(/^https:\/\//);
    const body = JSON.stringify({ username: 'tess', password: 'transport layer secret' });
    const response = await new Promise<{
      status: number;
      headers: Record<string, string | string[] | undefined>;
    }>((resolve, reject) => {
      const req = request(
        `${server.url}/api/v1/auth/login`,
        {
          method: 'POST',
          ca: readFileSync(join(dir, 'cert.pem')),
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(response.status).toBe(200);
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/designdoc_session=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
  });
});
