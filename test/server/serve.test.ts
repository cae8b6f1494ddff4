/**
 * Starting the server: configuration precedence and validation, first start (admin with a
 * one-time password, the example document loaded), a second start that creates nothing, and the
 * signed-in home page rendering the documents through the core renderer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultServerConfig, loadServerConfig, startServer } from '../../src/server/index.js';

describe('server configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-config-'));
    writeFileSync(
      join(dir, 'designdoc.server.json'),
      JSON.stringify({ port: 4000, host: '0.0.0.0', finalCommentDays: 3 }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes flags over DESIGNDOC_* environment over the config file over defaults', () => {
    const env = { DESIGNDOC_PORT: '5000', DESIGNDOC_DATA: 'state' };
    expect(loadServerConfig({ flags: { port: '6000' }, env, cwd: dir })).toMatchObject({
      port: 6000,
      host: '0.0.0.0',
      dataDir: join(dir, 'state'),
      finalCommentDays: 3,
    });
    expect(loadServerConfig({ flags: {}, env, cwd: dir }).port).toBe(5000);
    expect(loadServerConfig({ flags: {}, env: {}, cwd: dir }).port).toBe(4000);
    expect(loadServerConfig({ flags: {}, env: {}, cwd: tmpdir() }).port).toBe(3000);
  });

  it('bounds V8 heap growth by default, and lets it be tuned or left to V8', () => {
    expect(loadServerConfig({ flags: {}, env: {}, cwd: tmpdir() }).heapGrowingPercent).toBe(30);
    const env = { DESIGNDOC_HEAP_GROWING_PERCENT: '0' };
    expect(loadServerConfig({ flags: {}, env, cwd: tmpdir() }).heapGrowingPercent).toBe(0);
    expect(
      loadServerConfig({ flags: { 'heap-growing-percent': '80' }, env, cwd: tmpdir() }).heapGrowingPercent,
    ).toBe(80);
    expect(() =>
      loadServerConfig({ flags: { 'heap-growing-percent': '-5' }, env: {}, cwd: tmpdir() }),
    ).toThrow(/--heap-growing-percent: heapGrowingPercent must be a whole number/);
  });

  it('names the source and the setting of an invalid value', () => {
    expect(() => loadServerConfig({ flags: { port: 'abc' }, env: {}, cwd: dir })).toThrow(
      /--port: port must be a port number/,
    );
    expect(() => loadServerConfig({ flags: {}, env: { DESIGNDOC_PORT: '70000' }, cwd: dir })).toThrow(
      /DESIGNDOC_PORT/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ prot: 1 }));
    expect(() => loadServerConfig({ flags: {}, env: {}, cwd: dir, configFile: bad })).toThrow(
      /unknown setting "prot"/,
    );
    writeFileSync(bad, '{ not json');
    expect(() => loadServerConfig({ flags: {}, env: {}, cwd: dir, configFile: bad })).toThrow(
      /not valid JSON/,
    );
    expect(() => loadServerConfig({ flags: { 'tls-cert': 'cert.pem' }, env: {}, cwd: dir })).toThrow(
      /both a certificate/,
    );
  });
});

describe('first and second start', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the admin once, loads the example, serves the home page; restarts quickly', async () => {
    const config = {
      ...defaultServerConfig(dir),
      port: 0,
      logLevel: 'silent' as const,
      webDist: join(dir, 'none'),
    };
    const first = await startServer(config);
    try {
      expect(first.initialAdmin?.username).toBe('admin');
      expect(first.initialAdmin?.password.length).toBeGreaterThanOrEqual(20);
      expect(first.examples).toContain('payments-service');
      const login = await first.app.inject({
        method: 'POST',
        url: '/login',
        payload: `username=admin&password=${encodeURIComponent(first.initialAdmin?.password ?? '')}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(login.statusCode).toBe(303);
      const cookie = login.cookies.find((c) => c.name === 'designdoc_session')?.value;
      const home = await first.app.inject({
        method: 'GET',
        url: '/',
        headers: { cookie: `designdoc_session=${cookie}` },
      });
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('href="/d/payments-service"');
      const page = await first.app.inject({
        method: 'GET',
        url: '/d/payments-service',
        headers: { cookie: `designdoc_session=${cookie}` },
      });
      expect(page.body).toContain('<h1');
      expect(page.body).toContain('Payments Service');
      const anonymous = await first.app.inject({ method: 'GET', url: '/' });
      expect(anonymous.body).not.toContain('payments-service');
    } finally {
      await first.close();
    }
    const started = performance.now();
    const second = await startServer(config);
    const ms = performance.now() - started;
    try {
      expect(second.initialAdmin).toBeNull();
      expect(second.examples).toEqual([]);
      // Ready under a second on an idle machine; the bound here leaves room for a loaded CI box.
      expect(ms).toBeLessThan(5000);
      console.info(`second start: ready in ${Math.round(ms)} ms`);
    } finally {
      await second.close();
    }
  });
});
