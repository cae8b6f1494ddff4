/**
 * Operations: request logs (request id, user, latency — and no secrets), sign-in throttling, and
 * the `designdoc admin` command for users, groups and tokens.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { createLruCache, openDatabase } from '../../src/server/data/index.js';
import { buildGateway } from '../../src/server/gateway/app.js';
import {
  createApiToken,
  createServiceContext,
  createUser,
  systemActor,
  type ServiceContext,
} from '../../src/server/services/index.js';

describe('request logs and sign-in throttling', () => {
  let dir: string;
  let ctx: ServiceContext;
  const lines: string[] = [];
  let app: Awaited<ReturnType<typeof buildGateway>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-logs-'));
    ctx = await createServiceContext({
      db: await openDatabase({ dialect: 'sqlite', file: join(dir, 'db.sqlite') }),
      cache: createLruCache(),
    });
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(
          ...String(chunk)
            .split('\n')
            .filter((l) => l !== ''),
        );
        done();
      },
    });
    app = await buildGateway(ctx, {
      logger: { level: 'info', stream },
      loginPerMinute: 5,
      rateLimitPerMinute: 0,
    });
  });
  afterAll(async () => {
    await app.close();
    await ctx.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs request id, user and latency, and never a token, password or cookie', async () => {
    const user = await createUser(ctx, systemActor(), {
      username: 'logan',
      role: 'member',
      password: 'a long secret passphrase',
    });
    const { token } = await createApiToken(ctx, systemActor(user), { name: 'logs', scopes: ['read'] });
    const read = await app.inject({
      method: 'GET',
      url: '/api/v1/documents',
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-123' },
    });
    expect(read.statusCode).toBe(200);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'logan', password: 'a long secret passphrase' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies[0]?.value as string;
    await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `designdoc_session=${cookie}` },
    });
    const all = lines.join('\n');
    const completed = lines
      .map((l) => JSON.parse(l))
      .find((l) => l.reqId === 'req-123' && l.msg === 'request completed');
    expect(completed).toMatchObject({ user: 'logan', res: { statusCode: 200 } });
    expect(typeof completed.responseTime).toBe('number');
    for (const secret of [token, 'a long secret passphrase', cookie, login.json().csrfToken])
      expect(all).not.toContain(secret);
  });

  it('throttles sign-in per address and username with 429 problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'guess number ' + i },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json().code).toBe('DD_E_RATE_LIMITED');
      }
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another username from the same address is not locked out by someone guessing at "nobody".
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'logan', password: 'wrong' },
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('designdoc admin', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-admin-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function admin(...argv: string[]): Promise<{ code: number; out: string }> {
    const { run } = await import('../../src/cli/commands/admin.js');
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => (out += String(chunk)));
    const io: CliIO = {
      stdout,
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      cwd: dir,
      env: {},
      isTTY: false,
    };
    const code = await run([...argv, '--data', join(dir, 'data')], io);
    return { code, out };
  }

  it('refuses to list from a data folder without a database instead of creating an empty one', async () => {
    const { run } = await import('../../src/cli/commands/admin.js');
    const typo = join(dir, 'typo');
    const io: CliIO = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      cwd: dir,
      env: {},
      isTTY: false,
    };
    const error = await run(['users', 'list', '--data', typo], io).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DD_E_FILE_NOT_FOUND', location: { file: typo } });
    expect((error as Error).message).toBe(
      'no designdoc database in this data folder (designdoc.sqlite); check --data, or start the server there first',
    );
    expect(existsSync(typo)).toBe(false);
  });

  it('manages users, groups, rosters and tokens', async () => {
    const added = await admin(
      'users',
      'add',
      'sec-lead',
      '--role',
      'member',
      '--display-name',
      'Security Lead',
    );
    expect(added.out).toMatch(/created sec-lead \(member\); one-time password: \S{20,}/);
    expect((await admin('groups', 'add', 'security')).code).toBe(0);
    expect((await admin('groups', 'add-member', 'security', 'sec-lead')).code).toBe(0);
    expect((await admin('groups', 'list')).out).toContain('security\tsec-lead');
    expect((await admin('rosters', 'set', 'design-document', 'Security Review', 'security')).code).toBe(0);
    const token = await admin('tokens', 'create', 'sec-lead', '--scopes', 'read,write', '--name', 'ci');
    const secret = /\n(dd_\S+)\n/.exec(token.out)?.[1];
    expect(secret).toBeDefined();
    const id = /token (\d+) for sec-lead/.exec(token.out)?.[1] as string;
    expect((await admin('tokens', 'list')).out).toMatch(
      new RegExp(`^${id}\\tsec-lead\\tci\\tread,write$`, 'm'),
    );
    expect((await admin('tokens', 'revoke', id)).code).toBe(0);
    expect((await admin('tokens', 'list')).out).toMatch(new RegExp(`^${id}\\t.*\\trevoked$`, 'm'));
    expect((await admin('users', 'set-role', 'sec-lead', 'viewer')).out).toContain('sec-lead is now viewer');
    expect((await admin('users', 'list')).out).toMatch(/^sec-lead\tviewer\tsecurity$/m);
    await expect(admin('users', 'set-role', 'sec-lead', 'overlord')).rejects.toMatchObject({
      code: 'DD_E_VALIDATION',
    });
    await expect(admin('tokens', 'create', 'sec-lead', '--scopes', 'write')).rejects.toMatchObject({
      code: 'DD_E_FORBIDDEN',
    });
    await expect(admin('frobnicate', 'now')).rejects.toMatchObject({ code: 'DD_E_USAGE' });
  });
});
