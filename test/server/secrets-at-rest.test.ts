/**
 * What the database keeps of secrets, read straight from its tables: a password, a session id
 * and an API token — each handed to a client once — appear nowhere in any column of any table;
 * the password is stored as a salted scrypt hash. And the audit log says who did what, when and
 * from where, for sign-in, token creation and revocation, and a document change.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

const PASSWORD = 'correct horse battery staple';

describeEachDialect('secrets at rest and the audit trail', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect, [{ username: 'root', role: 'admin' }]);
  });
  afterAll(async () => t?.stop());

  /** Every row of every table, as text (the whole database, for a search by substring). */
  async function everyRow(): Promise<string> {
    if (t.databaseUrl === null) {
      const raw = new BetterSqlite3(join(t.dir, 'data', 'designdoc.sqlite'), { readonly: true });
      try {
        const tables = raw
          .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
          .pluck()
          .all() as string[];
        return tables.map((name) => JSON.stringify(raw.prepare(`select * from "${name}"`).all())).join('\n');
      } finally {
        raw.close();
      }
    }
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const tables = await client.query(
        "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
      );
      const dumps: string[] = [];
      for (const { table_name: name } of tables.rows)
        dumps.push(JSON.stringify((await client.query(`select * from "${name}"`)).rows));
      return dumps.join('\n');
    } finally {
      await client.end();
    }
  }

  it('keeps no password, session id or API token in the clear, and audits who, what, when and where', async () => {
    const made = await api(t.base, 'POST', '/api/v1/admin/users', {
      token: t.tokens.root,
      body: { username: 'sam', role: 'member', password: PASSWORD },
    });
    expect(made.status, made.text).toBe(201);
    const login = await api(t.base, 'POST', '/api/v1/auth/login', {
      body: { username: 'sam', password: PASSWORD },
    });
    expect(login.status, login.text).toBe(200);
    const cookie = /designdoc_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    const sessionId = decodeURIComponent(cookie as string);
    const headers = { cookie: `designdoc_session=${cookie}`, 'x-csrf-token': login.body.csrfToken };
    const token = await api(t.base, 'POST', '/api/v1/tokens', {
      headers,
      body: { name: 'ci', scopes: ['read', 'write'] },
    });
    expect(token.status, token.text).toBe(201);
    const secret = token.body.token as string;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const created = await api(t.base, 'POST', '/api/v1/documents', {
      token: secret,
      body: { id: 'audited', markdown: filledDocument('Audited') },
    });
    expect(created.status, created.text).toBe(201);
    expect((await api(t.base, 'DELETE', `/api/v1/tokens/${token.body.id}`, { headers })).status).toBe(204);

    const rows = await everyRow();
    expect(rows).toContain('sam');
    for (const [what, value] of [
      ['password', PASSWORD],
      ['session id', sessionId],
      ['API token', secret],
      // Nor the part of the token after its public prefix.
      ['API token body', secret.slice(-24)],
    ] as const) {
      expect(rows.includes(value), `${what} stored in the clear`).toBe(false);
    }
    expect(rows).toMatch(/"password_hash":"scrypt\$[^"]+"/);

    const audit = await api(t.base, 'GET', '/api/v1/admin/audit?limit=50', { token: t.tokens.root });
    expect(audit.status, audit.text).toBe(200);
    const entries = audit.body.items as Array<{
      action: string;
      actorName: string;
      ip: string | null;
      at: string;
      target: string;
    }>;
    const find = (action: string) => entries.find((e) => e.action === action);
    for (const action of [
      'user.create',
      'session.create',
      'token.create',
      'document.create',
      'token.revoke',
    ]) {
      const entry = find(action);
      expect(entry, `${action} in ${JSON.stringify(entries.map((e) => e.action))}`).toBeDefined();
      expect(entry?.ip, action).toMatch(/^(?:::ffff:)?127\.0\.0\.1$|^::1$/);
      expect(Date.parse(entry?.at ?? ''), action).not.toBeNaN();
    }
    expect(find('user.create')?.actorName).toBe('root');
    expect(find('session.create')?.actorName).toBe('sam');
    expect(find('document.create')).toMatchObject({ actorName: 'sam', target: 'document:audited' });
    expect(JSON.stringify(entries).includes(secret)).toBe(false);
    expect(JSON.stringify(entries).includes(PASSWORD)).toBe(false);
  });
});
