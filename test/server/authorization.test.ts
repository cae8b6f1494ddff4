/**
 * The authorisation matrix: every API endpoint × (anonymous, viewer, member, author, slot
 * reviewer, admin, revoked token, read-only token) → the expected status, through the one
 * chokepoint of a real server. The endpoint list is checked against the OpenAPI document, so a
 * new route without a row here fails the suite. Allowed calls are shaped to change nothing
 * (stale If-Match, refused transitions) wherever possible, so each row tests access alone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

const PERSONAS = [
  'anonymous',
  'viewer',
  'member',
  'author',
  'reviewer',
  'admin',
  'revoked',
  'readonly',
] as const;
type Persona = (typeof PERSONAS)[number];

interface Row {
  method: string;
  /** OpenAPI path template, e.g. `/api/v1/documents/{id}`. */
  route: string;
  /** The concrete path called. */
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  expect: Record<Persona, number>;
  /** Undo a successful call so later personas meet the same state. */
  undo?: string;
  /** A page for browsers: its refusals are HTML pages, not problem+json. */
  page?: true;
}

/** Shorthand: the same status for several personas. */
function statuses(base: Partial<Record<Persona, number>> & { rest: number }): Record<Persona, number> {
  return Object.fromEntries(PERSONAS.map((p) => [p, base[p] ?? base.rest])) as Record<Persona, number>;
}

const R = '/api/v1/documents/review-doc';
const D = '/api/v1/documents/draft-doc';
/** Back in draft after a review was asked: the asked reviewer still reads it. */
const B = '/api/v1/documents/back-doc';

// Reads of a visible document: every signed-in caller; anonymous and revoked get 401.
const READ = statuses({ anonymous: 401, revoked: 401, rest: 200 });
// Reads of alice's draft nobody was asked to review: author and admin only; others see 404.
const DRAFT_READ = statuses({ anonymous: 401, revoked: 401, author: 200, admin: 200, rest: 404 });
// Author-or-admin writes.
const EDIT = (ok: number) => statuses({ anonymous: 401, revoked: 401, author: ok, admin: ok, rest: 403 });
const LIST = statuses({ anonymous: 401, revoked: 401, rest: 200 });
const ADMIN = statuses({ anonymous: 401, revoked: 401, admin: 200, rest: 403 });
const BACK_READ = { ...DRAFT_READ, reviewer: 200 };
// Public routes: everyone, but a revoked token is refused wherever it is sent.
const PUBLIC = statuses({ revoked: 401, rest: 200 });

function rows(): Row[] {
  return [
    { method: 'GET', route: '/healthz', path: '/healthz', expect: statuses({ revoked: 401, rest: 200 }) },
    { method: 'GET', route: '/readyz', path: '/readyz', expect: statuses({ revoked: 401, rest: 200 }) },
    { method: 'GET', route: '/metrics', path: '/metrics', expect: statuses({ revoked: 401, rest: 200 }) },
    { method: 'GET', route: '/api/v1/documents', path: '/api/v1/documents', expect: LIST },
    {
      method: 'POST',
      route: '/api/v1/documents',
      path: '/api/v1/documents',
      body: { title: 'Made in the matrix' },
      expect: statuses({ anonymous: 401, revoked: 401, viewer: 403, readonly: 403, rest: 201 }),
    },
    { method: 'GET', route: '/api/v1/documents/{id}', path: R, expect: READ },
    { method: 'GET', route: '/api/v1/documents/{id}', path: D, expect: DRAFT_READ },
    {
      method: 'PUT',
      route: '/api/v1/documents/{id}',
      path: R,
      body: { markdown: '# x\n' },
      headers: { 'if-match': '"999"' },
      expect: EDIT(412),
    },
    {
      method: 'PUT',
      route: '/api/v1/documents/{id}',
      path: D,
      body: { markdown: '# x\n' },
      headers: { 'if-match': '"999"' },
      expect: { ...EDIT(412), member: 404, reviewer: 404, viewer: 403, readonly: 403 },
    },
    { method: 'GET', route: '/api/v1/documents/{id}', path: B, expect: BACK_READ },
    { method: 'GET', route: '/api/v1/documents/{id}/markdown', path: `${B}/markdown`, expect: BACK_READ },
    {
      method: 'PUT',
      route: '/api/v1/documents/{id}',
      path: B,
      body: { markdown: '# x\n' },
      headers: { 'if-match': '"999"' },
      // The reviewer reads the draft; writing it stays the author's.
      expect: { ...EDIT(412), member: 404, viewer: 403, readonly: 403 },
    },
    { method: 'GET', route: '/api/v1/documents/{id}/markdown', path: `${R}/markdown`, expect: READ },
    {
      method: 'PUT',
      route: '/api/v1/documents/{id}/markdown',
      path: `${R}/markdown`,
      raw: '# x\n',
      contentType: 'text/markdown',
      headers: { 'if-match': '"999"' },
      expect: EDIT(412),
    },
    { method: 'GET', route: '/api/v1/documents/{id}/html', path: `${R}/html`, expect: READ },
    { method: 'GET', route: '/api/v1/documents/{id}/export', path: `${R}/export`, expect: READ },
    { method: 'GET', route: '/api/v1/documents/{id}/export', path: `${D}/export`, expect: DRAFT_READ },
    { method: 'GET', route: '/api/v1/documents/{id}/revisions', path: `${R}/revisions`, expect: READ },
    { method: 'GET', route: '/api/v1/documents/{id}/findings', path: `${D}/findings`, expect: DRAFT_READ },
    { method: 'GET', route: '/api/v1/documents/{id}/diff', path: `${R}/diff?from=1&to=1`, expect: READ },
    {
      method: 'POST',
      route: '/api/v1/documents/{id}/transitions',
      path: `${R}/transitions`,
      body: { to: 'implemented' },
      expect: EDIT(409),
    },
    {
      method: 'POST',
      route: '/api/v1/documents/{id}/archive',
      path: `${R}/archive`,
      expect: EDIT(200),
      undo: `${R}/restore`,
    },
    { method: 'POST', route: '/api/v1/documents/{id}/restore', path: `${R}/restore`, expect: EDIT(200) },
    {
      method: 'PUT',
      route: '/api/v1/documents/{id}/labels',
      path: `${R}/labels`,
      body: { labels: ['payments'] },
      expect: EDIT(200),
    },
    { method: 'GET', route: '/api/v1/documents/{id}/links', path: `${R}/links`, expect: READ },
    {
      method: 'POST',
      route: '/api/v1/documents/{id}/links',
      path: `${R}/links`,
      body: { to: 'review-doc', kind: 'relates-to' },
      expect: EDIT(400),
    },
    {
      method: 'DELETE',
      route: '/api/v1/documents/{id}/links/{kind}/{to}',
      path: `${R}/links/relates-to/draft-doc`,
      expect: EDIT(204),
    },
    { method: 'GET', route: '/api/v1/graph', path: '/api/v1/graph', expect: LIST },
    { method: 'GET', route: '/api/v1/documents/{id}/reviews', path: `${R}/reviews`, expect: READ },
    {
      method: 'POST',
      route: '/api/v1/documents/{id}/review-requests',
      path: `${R}/review-requests`,
      body: { slot: 'Technical Review', users: ['bob'] },
      expect: EDIT(201),
    },
    {
      method: 'POST',
      route: '/api/v1/documents/{id}/verdicts',
      path: `${R}/verdicts`,
      body: {
        slot: 'Architecture Review',
        verdict: 'changes-requested',
        revision: 1,
        comment: 'needs numbers',
      },
      // Only the asked reviewer (and an admin) may record a verdict; the author never on their own document.
      expect: statuses({
        anonymous: 401,
        revoked: 401,
        viewer: 403,
        readonly: 403,
        member: 403,
        author: 403,
        reviewer: 201,
        admin: 201,
        rest: 403,
      }),
    },
    { method: 'GET', route: '/api/v1/documents/{id}/comments', path: `${R}/comments`, expect: READ },
    {
      method: 'POST',
      route: '/api/v1/documents/{id}/comments',
      path: `${R}/comments`,
      body: { body: 'Why PostgreSQL?' },
      expect: statuses({ anonymous: 401, revoked: 401, viewer: 403, readonly: 403, rest: 201 }),
    },
    {
      method: 'POST',
      route: '/api/v1/documents/{id}/comments/{commentId}/resolve',
      path: `${R}/comments/1/resolve`,
      // The thread's author (reviewer wrote comment 1), the document's author and admins.
      expect: statuses({
        anonymous: 401,
        revoked: 401,
        viewer: 403,
        readonly: 403,
        member: 403,
        reviewer: 204,
        author: 204,
        admin: 204,
        rest: 403,
      }),
    },
    { method: 'GET', route: '/api/v1/search', path: '/api/v1/search?q=idempotency', expect: LIST },
    { method: 'GET', route: '/api/v1/query', path: '/api/v1/query?kind=question', expect: LIST },
    { method: 'GET', route: '/api/v1/open-questions', path: '/api/v1/open-questions', expect: LIST },
    { method: 'GET', route: '/api/v1/export', path: '/api/v1/export', expect: LIST },
    { method: 'GET', route: '/api/v1/templates', path: '/api/v1/templates', expect: LIST },
    {
      method: 'POST',
      route: '/api/v1/auth/login',
      path: '/api/v1/auth/login',
      body: { username: 'nobody', password: 'wrong password' },
      expect: statuses({ revoked: 401, rest: 401 }),
    },
    {
      method: 'POST',
      route: '/api/v1/auth/logout',
      path: '/api/v1/auth/logout',
      expect: statuses({ anonymous: 401, revoked: 401, rest: 204 }),
    },
    {
      method: 'GET',
      route: '/api/v1/me',
      path: '/api/v1/me',
      expect: statuses({ anonymous: 401, revoked: 401, rest: 200 }),
    },
    {
      method: 'GET',
      route: '/api/v1/tokens',
      path: '/api/v1/tokens',
      expect: statuses({ anonymous: 401, revoked: 401, rest: 200 }),
    },
    {
      method: 'POST',
      route: '/api/v1/tokens',
      path: '/api/v1/tokens',
      body: { name: 'matrix', scopes: ['read'] },
      expect: statuses({ anonymous: 401, revoked: 401, viewer: 403, readonly: 403, rest: 201 }),
    },
    {
      method: 'DELETE',
      route: '/api/v1/tokens/{tokenId}',
      path: '/api/v1/tokens/999999',
      expect: statuses({ anonymous: 401, revoked: 401, viewer: 403, readonly: 403, rest: 404 }),
    },
    {
      method: 'GET',
      route: '/api/v1/session',
      path: '/api/v1/session',
      expect: statuses({ anonymous: 401, revoked: 401, rest: 200 }),
    },
    { method: 'GET', route: '/api/v1/dashboard', path: '/api/v1/dashboard', expect: LIST },
    {
      method: 'POST',
      route: '/api/v1/lint',
      path: '/api/v1/lint',
      body: { markdown: '# Scratch\n' },
      expect: statuses({ anonymous: 401, revoked: 401, rest: 200 }),
    },
    {
      method: 'POST',
      route: '/api/v1/preview',
      path: '/api/v1/preview',
      body: { markdown: '# Scratch\n' },
      expect: statuses({ anonymous: 401, revoked: 401, rest: 200 }),
    },
    { method: 'GET', route: '/api/v1/admin/users', path: '/api/v1/admin/users', expect: ADMIN },
    {
      method: 'POST',
      route: '/api/v1/admin/users',
      path: '/api/v1/admin/users',
      body: { username: 'matrix-user', role: 'viewer' },
      expect: { ...ADMIN, admin: 201 },
    },
    {
      method: 'PATCH',
      route: '/api/v1/admin/users/{username}',
      path: '/api/v1/admin/users/vera',
      body: { displayName: 'Vera V.' },
      expect: ADMIN,
    },
    { method: 'GET', route: '/api/v1/admin/groups', path: '/api/v1/admin/groups', expect: ADMIN },
    {
      method: 'POST',
      route: '/api/v1/admin/groups',
      path: '/api/v1/admin/groups',
      body: { name: 'matrix-group' },
      expect: { ...ADMIN, admin: 201 },
    },
    {
      method: 'PUT',
      route: '/api/v1/admin/groups/{group}/members/{username}',
      path: '/api/v1/admin/groups/security/members/vera',
      expect: { ...ADMIN, admin: 204 },
    },
    {
      method: 'DELETE',
      route: '/api/v1/admin/groups/{group}/members/{username}',
      path: '/api/v1/admin/groups/security/members/vera',
      expect: { ...ADMIN, admin: 204 },
    },
    { method: 'GET', route: '/api/v1/admin/tokens', path: '/api/v1/admin/tokens', expect: ADMIN },
    { method: 'GET', route: '/api/v1/admin/audit', path: '/api/v1/admin/audit', expect: ADMIN },
    {
      method: 'PUT',
      route: '/api/v1/admin/rosters/{template}/{slot}',
      path: '/api/v1/admin/rosters/design-document/Security%20Review',
      body: { group: 'security' },
      expect: { ...ADMIN, admin: 204 },
    },
    { method: 'GET', route: '/api/v1/webhooks', path: '/api/v1/webhooks', expect: ADMIN },
    {
      method: 'POST',
      route: '/api/v1/webhooks',
      path: '/api/v1/webhooks',
      body: { url: 'http://127.0.0.1:9/matrix', events: ['comment.added'] },
      expect: { ...ADMIN, admin: 201 },
    },
    {
      method: 'PATCH',
      route: '/api/v1/webhooks/{id}',
      path: '/api/v1/webhooks/1',
      body: { active: false },
      expect: ADMIN,
    },
    {
      method: 'GET',
      route: '/api/v1/webhooks/{id}/deliveries',
      path: '/api/v1/webhooks/1/deliveries',
      expect: ADMIN,
    },
    {
      method: 'POST',
      route: '/api/v1/webhooks/deliveries/{id}/redeliver',
      path: '/api/v1/webhooks/deliveries/999999/redeliver',
      expect: { ...ADMIN, admin: 404 },
    },
    {
      method: 'DELETE',
      route: '/api/v1/webhooks/{id}',
      path: '/api/v1/webhooks/1',
      expect: { ...ADMIN, admin: 204 },
    },
    // Not in the OpenAPI document: the API's own description and reference, and the server's
    // pages for browsers when no web UI is built.
    { method: 'GET', route: '/api/openapi.json', path: '/api/openapi.json', expect: PUBLIC },
    { method: 'GET', route: '/api/docs', path: '/api/docs/', expect: PUBLIC },
    { method: 'GET', route: '/', path: '/', expect: PUBLIC, page: true },
    { method: 'GET', route: '/login', path: '/login', expect: PUBLIC, page: true },
    { method: 'GET', route: '/d/{id}', path: '/d/review-doc', expect: READ },
    { method: 'GET', route: '/d/{id}', path: '/d/draft-doc', expect: DRAFT_READ },
    { method: 'GET', route: '/d/{id}', path: '/d/back-doc', expect: BACK_READ },
    {
      method: 'POST',
      route: '/login',
      path: '/login',
      raw: 'username=nobody&password=wrong+password',
      contentType: 'application/x-www-form-urlencoded',
      expect: statuses({ rest: 401 }),
      page: true,
    },
    {
      method: 'POST',
      route: '/logout',
      path: '/logout',
      raw: 'csrf=not-the-token',
      contentType: 'application/x-www-form-urlencoded',
      // Back to the start page; without the session's CSRF token nobody is signed out.
      expect: statuses({ revoked: 401, rest: 303 }),
      page: true,
    },
  ];
}

describeEachDialect('authorisation matrix', (dialect) => {
  let t: TestServer;
  const tokenOf: Record<Persona, string | undefined> = {} as Record<Persona, string | undefined>;
  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'vera', role: 'viewer' },
      { username: 'mike', role: 'member' },
      { username: 'alice', role: 'member' },
      { username: 'bob', role: 'member' },
      { username: 'root', role: 'admin' },
      { username: 'rita', role: 'member', scopes: ['read'] },
      { username: 'rex', role: 'member', groups: ['security'] },
    ]);
    Object.assign(tokenOf, {
      anonymous: undefined,
      viewer: t.tokens.vera,
      member: t.tokens.mike,
      author: t.tokens.alice,
      reviewer: t.tokens.bob,
      admin: t.tokens.root,
      readonly: t.tokens.rita,
    });
    const alice = t.tokens.alice as string;
    // A second token of alice's, revoked through the API.
    const extra = await api(t.base, 'POST', '/api/v1/tokens', {
      token: alice,
      body: { name: 'to revoke', scopes: ['read', 'write'] },
    });
    expect(extra.status).toBe(201);
    expect((await api(t.base, 'DELETE', `/api/v1/tokens/${extra.body.id}`, { token: alice })).status).toBe(
      204,
    );
    tokenOf.revoked = extra.body.token;
    // review-doc: in review, bob asked for Technical and Architecture; draft-doc: alice's private draft.
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents', {
          token: alice,
          body: { id: 'review-doc', markdown: filledDocument('Review Doc') },
        })
      ).status,
    ).toBe(201);
    for (const slot of ['Technical Review', 'Architecture Review']) {
      expect(
        (await api(t.base, 'POST', `${R}/review-requests`, { token: alice, body: { slot, users: ['bob'] } }))
          .status,
      ).toBe(201);
    }
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents', {
          token: alice,
          body: {
            id: 'draft-doc',
            markdown: filledDocument('Secret Draft').replace('idempotency', 'zanzibarquux idempotency'),
          },
        })
      ).status,
    ).toBe(201);
    expect(
      (await api(t.base, 'POST', `${R}/comments`, { token: t.tokens.bob, body: { body: 'First thread' } }))
        .status,
    ).toBe(201);
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents', {
          token: alice,
          body: { id: 'back-doc', markdown: filledDocument('Back Doc') },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api(t.base, 'POST', `${B}/review-requests`, {
          token: alice,
          body: { slot: 'Technical Review', users: ['bob'] },
        })
      ).status,
    ).toBe(201);
    expect(
      (await api(t.base, 'POST', `${B}/transitions`, { token: alice, body: { to: 'draft' } })).status,
    ).toBe(200);
  });
  afterAll(async () => t?.stop());

  it('covers every route in the OpenAPI document', async () => {
    const openapi = await api(t.base, 'GET', '/api/openapi.json');
    const documented = Object.entries(openapi.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set(rows().map((r) => `${r.method} ${r.route}`));
    expect(documented.filter((route) => !covered.has(route))).toEqual([]);
  });

  it('gives every persona the expected status on every endpoint', async () => {
    const failures: string[] = [];
    for (const row of rows()) {
      for (const persona of PERSONAS) {
        const response = await api(t.base, row.method, row.path, {
          token: tokenOf[persona],
          ...(row.body !== undefined ? { body: row.body } : {}),
          ...(row.raw !== undefined
            ? { raw: row.raw, contentType: row.contentType ?? 'application/json' }
            : {}),
          ...(row.headers ? { headers: row.headers } : {}),
        });
        const wanted = row.expect[persona];
        if (response.status !== wanted)
          failures.push(
            `${row.method} ${row.path} as ${persona}: expected ${wanted}, got ${response.status} ${response.text.slice(0, 160)}`,
          );
        const isPage = row.page === true && response.headers.get('content-type')?.startsWith('text/html');
        if (
          response.status >= 400 &&
          !isPage &&
          response.headers.get('content-type')?.includes('problem+json') !== true
        ) {
          failures.push(`${row.method} ${row.path} as ${persona}: ${response.status} without problem+json`);
        }
        if (row.undo && response.status < 300) await api(t.base, 'POST', row.undo, { token: tokenOf.admin });
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps drafts out of search, lists, export and the graph for people who may not read them', async () => {
    for (const persona of ['viewer', 'member', 'reviewer'] as const) {
      const token = tokenOf[persona];
      expect(
        (await api(t.base, 'GET', '/api/v1/search?q=zanzibarquux', { token })).body.items,
        persona,
      ).toEqual([]);
      const listed = (await api(t.base, 'GET', '/api/v1/documents?limit=200', { token })).body.items.map(
        (d: { id: string }) => d.id,
      );
      expect(listed, persona).not.toContain('draft-doc');
      const exported = (await api(t.base, 'GET', '/api/v1/export?markdown=true', { token })).body.items;
      expect(JSON.stringify(exported), persona).not.toContain('zanzibarquux');
      const found = (await api(t.base, 'GET', '/api/v1/query?contains=zanzibarquux', { token })).body.items;
      expect(found, persona).toEqual([]);
    }
    expect(
      (await api(t.base, 'GET', '/api/v1/search?q=zanzibarquux', { token: tokenOf.author })).body.items.map(
        (h: { slug: string }) => h.slug,
      ),
    ).toEqual(['draft-doc']);
    expect(
      (await api(t.base, 'GET', '/api/v1/search?q=zanzibarquux', { token: tokenOf.admin })).body.items,
    ).toHaveLength(1);
  });

  it('refuses a cookie-authenticated write without the CSRF token, and accepts it with one', async () => {
    const app = t.server.app;
    const { createUser, systemActor } = await import('../../src/server/services/index.js');
    await createUser(t.server.ctx, systemActor(), {
      username: 'sam',
      role: 'member',
      password: 'correct horse battery staple',
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'sam', password: 'correct horse battery staple' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'designdoc_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const headers = { cookie: `designdoc_session=${cookie?.value}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers,
      payload: { title: 'Via cookie' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const withCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/documents',
      headers: { ...headers, 'x-csrf-token': login.json().csrfToken },
      payload: { title: 'Via cookie' },
    });
    expect(withCsrf.statusCode).toBe(201);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'sam', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('not the password');
  });
});
