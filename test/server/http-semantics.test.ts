/**
 * HTTP semantics through a real server: a known path with a method it has no route for is 405
 * with `Allow` (derived from the registered routes, not a list), every write that takes no fields
 * (archive, restore, logout, resolve, redeliver, group-member PUT, every DELETE) accepts no body or
 * `{}` and refuses any field, `If-Match` is compared strongly (RFC 9110 §13.1.1: a weak tag never
 * matches) and read as a list or `*`, `If-None-Match` is compared weakly (§13.1.2) and read as a
 * list or `*`, a request carrying two Authorization headers is refused, and a body with no or an
 * unread Content-Type is 415. Every refusal is problem+json with its stable code, and nothing is
 * written by a refused request.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ifNoneMatchMatches } from '../../src/server/gateway/preconditions.js';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type ApiResponse, type TestServer } from './harness.js';

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code });
  expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
}

/** A request with `headers` sent line by line, as given (fetch would join repeated names). */
function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Array<[string, string]>,
  body?: string | Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  // A raw header list (name, value, …) keeps repeated names apart; Host is then ours to send.
  const list = ['host', new URL(base).host, ...headers.flat()];
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers: list }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET with each of `authorizations` sent as its own header line. */
async function getWithAuthorizations(
  base: string,
  path: string,
  authorizations: string[],
): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  const response = await rawRequest(
    base,
    'GET',
    path,
    authorizations.map((value) => ['authorization', value]),
  );
  try {
    return {
      status: response.status,
      type: String(response.headers['content-type']),
      body: JSON.parse(response.text) as Record<string, unknown>,
    };
  } catch (error) {
    throw new Error(`${response.status}: ${JSON.stringify(response.text)}`, { cause: error });
  }
}

describe('ifNoneMatchMatches (RFC 9110 §13.1.2)', () => {
  it('compares weakly, reads lists and *, and ignores what is not an entity tag', () => {
    for (const header of ['"3"', 'W/"3"', '"1", "3"', '"1",W/"3"', ' , "3" ,', '*', ' * '])
      expect(ifNoneMatchMatches(header, '"3"'), header).toBe(true);
    // A weak current tag matches its strong twin too (the comparison ignores W/ on both sides).
    expect(ifNoneMatchMatches('"3"', 'W/"3"')).toBe(true);
    for (const header of ['"4"', 'W/"4"', '"1", "2"', '"03"', '"3 "', '3', 'w/"3"', '"3', '*, "3"', ''])
      expect(ifNoneMatchMatches(header, '"3"'), header).toBe(false);
    expect(ifNoneMatchMatches(undefined, '"3"')).toBe(false);
    // A comma inside a tag does not split the list.
    expect(ifNoneMatchMatches('"a,b"', '"a,b"')).toBe(true);
    expect(ifNoneMatchMatches('"a,b"', '"b"')).toBe(false);
  });
});

describeEachDialect('HTTP semantics', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member' },
      { username: 'bob', role: 'member' },
      { username: 'root', role: 'admin' },
    ]);
  });
  afterAll(async () => t?.stop());

  async function create(id: string) {
    const response = await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: { markdown: filledDocument(id, 'Draft'), id },
    });
    expect(response.status, response.text).toBe(201);
  }

  async function revisions(id: string): Promise<number[]> {
    const response = await api(t.base, 'GET', `/api/v1/documents/${id}/revisions`, { token: as('alice') });
    return response.body.items.map((r: { revision: number }) => r.revision);
  }

  it('refuses query parameters a route does not take, naming them, instead of ignoring them', async () => {
    await create('queried');
    const path = '/api/v1/documents/queried';
    const asked = await api(t.base, 'GET', `${path}?revision=1`, { token: as('alice') });
    expect(asked.status, asked.text).toBe(400);
    expect(asked.headers.get('content-type')).toContain('application/problem+json');
    expect(asked.body.code).toBe('DD_E_VALIDATION');
    expect(asked.body.detail).toContain('revision');
    // Routes that take parameters still take theirs, and refuse others the same way.
    expect((await api(t.base, 'GET', `${path}/markdown?revision=1`, { token: as('alice') })).status).toBe(
      200,
    );
    const other = await api(t.base, 'GET', `${path}/markdown?rev=1`, { token: as('alice') });
    expect(other.status).toBe(400);
    expect(other.body.detail).toContain('rev');
    expect((await api(t.base, 'GET', path, { token: as('alice') })).status).toBe(200);
  });

  it('answers a method a known path lacks with 405 and Allow; an unknown path stays 404', async () => {
    await create('methods');
    const health = await api(t.base, 'PATCH', '/healthz');
    expectProblem(health, 405, 'DD_E_METHOD_NOT_ALLOWED');
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    expect(health.body.details).toEqual({ allowed: ['GET', 'HEAD'] });
    expect(health.body.detail).toBe('PATCH is not allowed on /healthz; it allows GET, HEAD.');

    const remove = await api(t.base, 'DELETE', '/api/v1/documents/methods', { token: as('alice') });
    expectProblem(remove, 405, 'DD_E_METHOD_NOT_ALLOWED');
    expect(remove.headers.get('allow')).toBe('GET, HEAD, PUT');
    // A query string does not change which route the path is.
    const withQuery = await api(t.base, 'DELETE', '/api/v1/documents/methods?x=1', { token: as('alice') });
    expect(withQuery.headers.get('allow')).toBe('GET, HEAD, PUT');
    const archive = await api(t.base, 'GET', '/api/v1/documents/methods/archive', { token: as('alice') });
    expectProblem(archive, 405, 'DD_E_METHOD_NOT_ALLOWED');
    expect(archive.headers.get('allow')).toBe('POST');
    // Nothing happened to the document.
    const after = await api(t.base, 'GET', '/api/v1/documents/methods', { token: as('alice') });
    expect(after.status).toBe(200);
    expect(after.body.document.archived).toBe(false);

    for (const [method, path] of [
      ['POST', '/api/v1/no-such-thing'],
      ['GET', '/api/v1/documents/methods/no-such-thing'],
      ['DELETE', '/no-such-page'],
    ] as const) {
      const missing = await api(t.base, method, path, { token: as('alice') });
      expectProblem(missing, 404, 'DD_E_NOT_FOUND');
      expect(missing.headers.get('allow')).toBeNull();
    }
  });

  it('derives Allow from the registered routes: every path of the API description, with a method it lacks', async () => {
    const spec = (await api(t.base, 'GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const all = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];
    let checked = 0;
    for (const [template, operations] of Object.entries(spec.paths)) {
      const methods = Object.keys(operations).map((m) => m.toUpperCase());
      const expected = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].sort();
      const absent = all.find((m) => !methods.includes(m)) as string;
      const path = template.replace(/\{[^}]+\}/g, 'x1');
      const response = await api(t.base, absent, path, { token: as('root') });
      expect(response.status, `${absent} ${path}: ${response.text}`).toBe(405);
      expect(response.body.code).toBe('DD_E_METHOD_NOT_ALLOWED');
      expect(response.headers.get('allow'), `${absent} ${path}`).toBe(expected.join(', '));
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('archives and restores with no body or {}, and refuses any field as other routes do', async () => {
    await create('bodies');
    const path = '/api/v1/documents/bodies';
    const extra = await api(t.base, 'POST', `${path}/archive`, { token: as('alice'), body: { force: true } });
    expectProblem(extra, 400, 'DD_E_VALIDATION');
    expect(extra.body.field).toBe('force');
    expect(extra.body.detail).toBe('body.force is not a known field.');
    // The same problem another route gives for a field it does not know.
    const labels = await api(t.base, 'PUT', `${path}/labels`, {
      token: as('alice'),
      body: { labels: [], force: true },
    });
    expectProblem(labels, 400, 'DD_E_VALIDATION');
    expect({ field: labels.body.field, detail: labels.body.detail }).toEqual({
      field: extra.body.field,
      detail: extra.body.detail,
    });
    for (const refused of [
      await api(t.base, 'POST', `${path}/archive`, { token: as('alice'), body: [] }),
      await api(t.base, 'POST', `${path}/archive`, { token: as('alice'), body: 'archive' }),
    ]) {
      expectProblem(refused, 400, 'DD_E_VALIDATION');
    }
    expectProblem(
      await api(t.base, 'POST', `${path}/archive`, {
        token: as('alice'),
        raw: 'archive it',
        contentType: 'text/markdown',
      }),
      415,
      'DD_E_UNSUPPORTED_MEDIA_TYPE',
    );
    expect((await api(t.base, 'GET', path, { token: as('alice') })).body.document.archived).toBe(false);

    const archived = await api(t.base, 'POST', `${path}/archive`, { token: as('alice') });
    expect(archived.status, archived.text).toBe(200);
    expect(archived.body.document.archived).toBe(true);
    expectProblem(
      await api(t.base, 'POST', `${path}/restore`, { token: as('alice'), body: { reason: 'back' } }),
      400,
      'DD_E_VALIDATION',
    );
    expect((await api(t.base, 'GET', path, { token: as('alice') })).body.document.archived).toBe(true);
    const restored = await api(t.base, 'POST', `${path}/restore`, { token: as('alice'), body: {} });
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.document.archived).toBe(false);

    // The API description says so: a body is optional, and has no fields.
    const spec = (await api(t.base, 'GET', '/api/openapi.json')).body;
    for (const action of ['archive', 'restore']) {
      const body = spec.paths[`/api/v1/documents/{id}/${action}`].post.requestBody;
      expect(body.required).toBe(false);
      expect(body.content['application/json'].schema).toMatchObject({
        type: 'object',
        additionalProperties: false,
        properties: {},
      });
    }
  });

  it('takes no fields on every other write without a body: no body and {} pass, a field is refused', async () => {
    // Webhook deliveries go to a receiver of our own.
    const receiver: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const root = { token: as('root') };
      const alice = { token: as('alice') };
      let n = 0;
      const created = await api(t.base, 'POST', '/api/v1/admin/users', {
        ...root,
        body: { username: 'sam', role: 'member', password: 'a long enough password' },
      });
      expect(created.status, created.text).toBe(201);
      await create('nofields-a');
      await create('nofields-b');
      const hook = await api(t.base, 'POST', '/api/v1/webhooks', {
        ...root,
        body: { url: hookUrl, events: ['document.created'] },
      });
      expect(hook.status, hook.text).toBe(201);
      const hookId = hook.body.webhook.id as number;
      await create('nofields-hooked');
      const deliveries = async (): Promise<number[]> =>
        (await api(t.base, 'GET', `/api/v1/webhooks/${hookId}/deliveries`, root)).body.items.map(
          (d: { id: number }) => d.id,
        );
      const deadline = Date.now() + 20_000;
      while ((await deliveries()).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const firstDelivery = (await deliveries())[0] as number;
      expect(firstDelivery).toBeGreaterThan(0);
      const members = async (group: string): Promise<string[]> =>
        (await api(t.base, 'GET', '/api/v1/admin/groups', root)).body.items.find(
          (g: { name: string }) => g.name === group,
        ).members;
      const newGroup = async (): Promise<string> => {
        const name = `nofields-${++n}`;
        expect((await api(t.base, 'POST', '/api/v1/admin/groups', { ...root, body: { name } })).status).toBe(
          201,
        );
        return name;
      };

      interface Target {
        method: string;
        path: string;
        token?: string;
        headers?: Record<string, string>;
        status: number;
        /** Whether the action took effect. */
        done(): Promise<boolean>;
      }
      const routes: Array<{ route: string; prepare(): Promise<Target> }> = [
        {
          route: 'POST /api/v1/auth/logout',
          async prepare() {
            const login = await api(t.base, 'POST', '/api/v1/auth/login', {
              body: { username: 'sam', password: 'a long enough password' },
            });
            expect(login.status, login.text).toBe(200);
            const cookie = (login.headers.get('set-cookie') as string).split(';')[0] as string;
            const session = { cookie, 'x-csrf-token': login.body.csrfToken as string };
            return {
              method: 'POST',
              path: '/api/v1/auth/logout',
              headers: session,
              status: 204,
              done: async () => (await api(t.base, 'GET', '/api/v1/me', { headers: session })).status === 401,
            };
          },
        },
        {
          route: 'DELETE /api/v1/tokens/{tokenId}',
          async prepare() {
            const token = await api(t.base, 'POST', '/api/v1/tokens', {
              ...alice,
              body: { name: `nofields-${++n}`, scopes: ['read'] },
            });
            expect(token.status, token.text).toBe(201);
            return {
              method: 'DELETE',
              path: `/api/v1/tokens/${token.body.id}`,
              ...alice,
              status: 204,
              done: async () =>
                (await api(t.base, 'GET', '/api/v1/me', { token: token.body.token })).status === 401,
            };
          },
        },
        {
          route: 'PUT /api/v1/admin/groups/{group}/members/{username}',
          async prepare() {
            const group = await newGroup();
            return {
              method: 'PUT',
              path: `/api/v1/admin/groups/${group}/members/alice`,
              ...root,
              status: 204,
              done: async () => (await members(group)).includes('alice'),
            };
          },
        },
        {
          route: 'DELETE /api/v1/admin/groups/{group}/members/{username}',
          async prepare() {
            const group = await newGroup();
            const path = `/api/v1/admin/groups/${group}/members/alice`;
            expect((await api(t.base, 'PUT', path, root)).status).toBe(204);
            return {
              method: 'DELETE',
              path,
              ...root,
              status: 204,
              done: async () => !(await members(group)).includes('alice'),
            };
          },
        },
        {
          route: 'DELETE /api/v1/documents/{id}/links/{kind}/{to}',
          async prepare() {
            const linked = await api(t.base, 'POST', '/api/v1/documents/nofields-a/links', {
              ...alice,
              body: { to: 'nofields-b', kind: 'relates-to' },
            });
            expect(linked.status, linked.text).toBe(201);
            return {
              method: 'DELETE',
              path: '/api/v1/documents/nofields-a/links/relates-to/nofields-b',
              ...alice,
              status: 204,
              done: async () =>
                (await api(t.base, 'GET', '/api/v1/documents/nofields-a/links', alice)).body.edges.length ===
                0,
            };
          },
        },
        {
          route: 'POST /api/v1/documents/{id}/comments/{commentId}/resolve',
          async prepare() {
            const comment = await api(t.base, 'POST', '/api/v1/documents/nofields-a/comments', {
              ...alice,
              body: { body: `Thread ${++n}` },
            });
            expect(comment.status, comment.text).toBe(201);
            const id = comment.body.id as number;
            return {
              method: 'POST',
              path: `/api/v1/documents/nofields-a/comments/${id}/resolve`,
              ...alice,
              status: 204,
              done: async () =>
                (await api(t.base, 'GET', '/api/v1/documents/nofields-a/comments', alice)).body.items.find(
                  (c: { id: number }) => c.id === id,
                ).resolved === true,
            };
          },
        },
        {
          route: 'POST /api/v1/webhooks/deliveries/{id}/redeliver',
          async prepare() {
            const before = (await deliveries()).length;
            return {
              method: 'POST',
              path: `/api/v1/webhooks/deliveries/${firstDelivery}/redeliver`,
              ...root,
              status: 202,
              done: async () => (await deliveries()).length > before,
            };
          },
        },
        {
          route: 'DELETE /api/v1/webhooks/{id}',
          async prepare() {
            const other = await api(t.base, 'POST', '/api/v1/webhooks', {
              ...root,
              body: { url: hookUrl, events: ['concern.lifted'] },
            });
            expect(other.status, other.text).toBe(201);
            const id = other.body.webhook.id as number;
            return {
              method: 'DELETE',
              path: `/api/v1/webhooks/${id}`,
              ...root,
              status: 204,
              done: async () =>
                !(await api(t.base, 'GET', '/api/v1/webhooks', root)).body.items.some(
                  (w: { id: number }) => w.id === id,
                ),
            };
          },
        },
      ];

      const spec = (await api(t.base, 'GET', '/api/openapi.json')).body;
      for (const { route, prepare } of routes) {
        // Refused, naming the field, exactly as an unknown field elsewhere; nothing happens.
        const target = await prepare();
        const call = (options: { body?: unknown; raw?: string; contentType?: string } = {}) =>
          api(t.base, target.method, target.path, {
            token: target.token,
            headers: target.headers ?? {},
            ...options,
          });
        const extra = await call({ body: { force: true } });
        expectProblem(extra, 400, 'DD_E_VALIDATION');
        expect({ field: extra.body.field, detail: extra.body.detail }, route).toEqual({
          field: 'force',
          detail: 'body.force is not a known field.',
        });
        for (const refused of [await call({ body: [] }), await call({ body: 'go' })])
          expectProblem(refused, 400, 'DD_E_VALIDATION');
        expectProblem(
          await call({ raw: 'go', contentType: 'text/plain' }),
          415,
          'DD_E_UNSUPPORTED_MEDIA_TYPE',
        );
        expect(await target.done(), `${route} after refusals`).toBe(false);
        // No body at all: done.
        const bare = await call();
        expect(bare.status, `${route}: ${bare.text}`).toBe(target.status);
        expect(await target.done(), route).toBe(true);
        // `{}`: done, on a fresh target.
        const again = await prepare();
        const empty = await api(t.base, again.method, again.path, {
          token: again.token,
          headers: again.headers ?? {},
          body: {},
        });
        expect(empty.status, `${route} with {}: ${empty.text}`).toBe(again.status);
        expect(await again.done(), `${route} with {}`).toBe(true);

        // The API description says so: an optional body without fields.
        const [method, template] = route.split(' ') as [string, string];
        const body = spec.paths[template][method.toLowerCase()].requestBody;
        expect(body?.required, route).toBe(false);
        expect(body.content['application/json'].schema, route).toMatchObject({
          type: 'object',
          additionalProperties: false,
          properties: {},
        });
      }
      // Every write route of the API has a body schema now: none takes whatever it is sent (the
      // raw markdown save reads text/markdown bytes and checks them itself).
      let writes = 0;
      for (const [template, operations] of Object.entries(
        spec.paths as Record<string, Record<string, { requestBody?: unknown }>>,
      ))
        for (const [method, operation] of Object.entries(operations))
          if (
            ['post', 'put', 'patch', 'delete'].includes(method) &&
            template !== '/api/v1/documents/{id}/markdown'
          ) {
            expect(operation.requestBody, `${method.toUpperCase()} ${template}`).toBeDefined();
            writes++;
          }
      expect(writes).toBeGreaterThan(routes.length);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('answers If-None-Match with 304 by the weak comparison, for a list and for *', async () => {
    await create('cached');
    const path = '/api/v1/documents/cached';
    const get = (ifNoneMatch: string, method = 'GET') =>
      api(t.base, method, path, { token: as('alice'), headers: { 'if-none-match': ifNoneMatch } });
    const full = await api(t.base, 'GET', path, { token: as('alice') });
    expect(full.headers.get('etag')).toBe('"1"');

    for (const header of ['"1"', 'W/"1"', '"7", "1"', '"7",W/"1"', '*']) {
      const notModified = await get(header);
      expect(notModified.status, header).toBe(304);
      expect(notModified.headers.get('etag'), header).toBe('"1"');
      expect(notModified.text, header).toBe('');
      expect((await get(header, 'HEAD')).status, `HEAD ${header}`).toBe(304);
    }
    // Repeated header lines are one list.
    const twoLines = await rawRequest(t.base, 'GET', path, [
      ['authorization', `Bearer ${as('alice')}`],
      ['if-none-match', '"7"'],
      ['if-none-match', 'W/"1"'],
    ]);
    expect(twoLines.status).toBe(304);
    // Nothing in the list matches, or the value is no entity tag (ignored): the full response.
    for (const header of ['"2"', 'W/"2"', '"0", "2"', '"01"', '1', 'w/"1"', '"1', '*, "1"']) {
      const response = await get(header);
      expect(response.status, header).toBe(200);
      expect(response.headers.get('etag'), header).toBe('"1"');
      expect(response.body, header).toEqual(full.body);
    }

    // After a save the old tag no longer matches; the new one does, weak or strong.
    const saved = await api(t.base, 'PUT', path, {
      token: as('alice'),
      body: { markdown: full.body.markdown.replace('## Problem Statement', 'New.\n\n## Problem Statement') },
      headers: { 'if-match': '"1"' },
    });
    expect(saved.status, saved.text).toBe(200);
    const stale = await get('W/"1"');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(stale.body.document.revision).toBe(2);
    expect((await get('W/"2"')).status).toBe(304);
    expect((await get('"1", "2"')).status).toBe(304);
    // A caller who may not see the draft gets 404, not a 304 that would reveal it.
    const hidden = await api(t.base, 'GET', path, { token: as('bob'), headers: { 'if-none-match': '*' } });
    expectProblem(hidden, 404, 'DD_E_NOT_FOUND');
  });

  it('compares If-Match strongly: a weak tag never matches (412, saying why), nothing is written', async () => {
    await create('weak');
    const path = '/api/v1/documents/weak';
    const read = await api(t.base, 'GET', path, { token: as('alice') });
    expect(read.headers.get('etag')).toBe('"1"');
    const markdown = read.body.markdown.replace('## Problem Statement', 'Edited.\n\n## Problem Statement');

    const weak = await api(t.base, 'PUT', path, {
      token: as('alice'),
      body: { markdown },
      headers: { 'if-match': 'W/"1"' },
    });
    expectProblem(weak, 412, 'DD_E_PRECONDITION_FAILED');
    expect(weak.body.detail).toContain('weak validators cannot be used for If-Match');
    expect(weak.body.detail).toContain('RFC 9110 §13.1.1');
    expect(weak.body.field).toBe('If-Match');
    expect(weak.headers.get('etag')).toBe('"1"');
    // Also beside a baseRevision that names the same number, and on the raw markdown route.
    expectProblem(
      await api(t.base, 'PUT', path, {
        token: as('alice'),
        body: { markdown, baseRevision: 1 },
        headers: { 'if-match': 'W/"1"' },
      }),
      412,
      'DD_E_PRECONDITION_FAILED',
    );
    expectProblem(
      await api(t.base, 'PUT', `${path}/markdown`, {
        token: as('alice'),
        raw: markdown,
        contentType: 'text/markdown',
        headers: { 'if-match': 'W/"1"' },
      }),
      412,
      'DD_E_PRECONDITION_FAILED',
    );
    // A well-formed strong tag that names no revision cannot match either.
    const unknown = await api(t.base, 'PUT', path, {
      token: as('alice'),
      body: { markdown },
      headers: { 'if-match': '"abc", "01"' },
    });
    expectProblem(unknown, 412, 'DD_E_PRECONDITION_FAILED');
    expect(unknown.body.detail).toBe(
      'If-Match "abc", "01" names no revision of this document; its current ETag is "1".',
    );
    expect(await revisions('weak')).toEqual([1]);

    // A weak tag beside a strong one: the strong one is compared.
    const mixed = await api(t.base, 'PUT', path, {
      token: as('alice'),
      body: { markdown },
      headers: { 'if-match': 'W/"1", "1"' },
    });
    expect(mixed.status, mixed.text).toBe(200);
    expect(mixed.headers.get('etag')).toBe('"2"');
  });

  it('reads If-Match as a list or *, and refuses what is not an entity tag', async () => {
    await create('lists');
    const path = '/api/v1/documents/lists';
    let text = (await api(t.base, 'GET', path, { token: as('alice') })).body.markdown as string;
    const save = (ifMatch: string, body: Record<string, unknown> = {}) => {
      text = text.replace('## Problem Statement', 'More.\n\n## Problem Statement');
      return api(t.base, 'PUT', path, {
        token: as('alice'),
        body: { markdown: text, ...body },
        headers: { 'if-match': ifMatch },
      });
    };
    // A list holding the current revision matches.
    const listed = await save('"7", "1"');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.headers.get('etag')).toBe('"2"');
    // A list without it: the usual stale-write answer with the current revision.
    const stale = await save('"1", "0"');
    expectProblem(stale, 412, 'DD_E_CONFLICT');
    expect(stale.body.details).toMatchObject({ currentRevision: 2, stale: true });
    expect(stale.headers.get('etag')).toBe('"2"');
    // `*`: whatever revision is current.
    const any = await save('*');
    expect(any.status, any.text).toBe(200);
    expect(any.headers.get('etag')).toBe('"3"');
    // A list and a baseRevision must agree.
    const disagree = await save('"3", "4"', { baseRevision: 2 });
    expectProblem(disagree, 400, 'DD_E_VALIDATION');
    expect(disagree.body.detail).toBe(
      'If-Match names revision 3 or 4 but baseRevision is 2; send one of them.',
    );
    const agree = await save('"3", "4"', { baseRevision: 3 });
    expect(agree.status, agree.text).toBe(200);
    expect(agree.headers.get('etag')).toBe('"4"');
    // Not entity tags: a bare number, a lower-case weak prefix, an unterminated quote, nothing.
    for (const malformed of ['4', 'w/"4"', '"4', '"4" "5"', ' , ']) {
      const refused = await save(malformed);
      expectProblem(refused, 400, 'DD_E_VALIDATION');
      expect(refused.body.field).toBe('If-Match');
    }
    expect(await revisions('lists')).toEqual([1, 2, 3, 4]);

    // `*` is unconditional: concurrent saves each land, one after another, none is a 412.
    const base = (await api(t.base, 'GET', path, { token: as('alice') })).body.markdown as string;
    const saves = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api(t.base, 'PUT', `${path}/markdown`, {
          token: as('alice'),
          raw: base.replace('## Problem Statement', `Writer ${i}.\n\n## Problem Statement`),
          contentType: 'text/markdown',
          headers: { 'if-match': '*' },
        }),
      ),
    );
    expect(saves.map((s) => s.status)).toEqual(Array(8).fill(200));
    expect(new Set(saves.map((s) => s.headers.get('etag'))).size).toBe(8);
    expect(await revisions('lists')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('refuses a body with no Content-Type, or one the API does not read, with 415; nothing changes', async () => {
    await create('media');
    const token = as('alice');
    const before = await api(t.base, 'GET', '/api/v1/documents/media', { token });
    const send = (method: string, path: string, type: string | null, body: string) =>
      rawRequest(
        t.base,
        method,
        path,
        [
          ['authorization', `Bearer ${token}`],
          ['content-length', String(Buffer.byteLength(body))],
          ...(type === null ? [] : ([['content-type', type]] as Array<[string, string]>)),
        ],
        body,
      );
    for (const [method, path, type] of [
      ['DELETE', '/api/v1/documents/media/links/depends-on/other', null],
      ['POST', '/api/v1/documents/media/archive', null],
      ['POST', '/api/v1/documents/media/archive', 'text/csv'],
      ['PUT', '/api/v1/documents/media', 'application/xml'],
      // Markdown and form bodies are read only where a route takes them.
      ['POST', '/api/v1/documents', 'text/plain'],
      ['POST', '/api/v1/documents', 'application/x-www-form-urlencoded'],
      ['PUT', '/api/v1/documents/media', 'text/markdown'],
      ['PUT', '/api/v1/documents/media/markdown', 'application/json'],
      ['PUT', '/api/v1/documents/media/markdown', 'text/x-markdown'],
    ] as const) {
      const response = await send(method, path, type, '{"x":1}');
      expect(response.status, `${method} ${path} ${type}: ${response.text}`).toBe(415);
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
      const problem = JSON.parse(response.text) as { code: string; detail: string };
      expect(problem.code).toBe('DD_E_UNSUPPORTED_MEDIA_TYPE');
      expect(problem.detail).toContain(type === null ? 'no Content-Type' : `"${type}"`);
      expect(problem.detail).toContain(
        path.endsWith('/markdown') ? 'send text/markdown' : 'send application/json',
      );
    }
    const after = await api(t.base, 'GET', '/api/v1/documents/media', { token });
    expect(after.body).toEqual(before.body);
  });

  it('reads JSON and markdown bodies as UTF-8 only: another declared charset is a 415 naming it', async () => {
    await create('charsets');
    const token = as('alice');
    const send = (path: string, type: string, body: Buffer, revision: number) =>
      rawRequest(
        t.base,
        'PUT',
        path,
        [
          ['authorization', `Bearer ${token}`],
          ['if-match', `"${revision}"`],
          ['content-length', String(body.length)],
          ['content-type', type],
        ],
        body,
      );
    // Decoded as UTF-8, Latin-1 bytes would be refused as invalid or, worse, stored as something
    // the sender did not write: the declared charset is refused up front, naming it.
    const latin1 = Buffer.from('# Caf\u00e9\n\nBody.\n', 'latin1');
    for (const [path, type, body] of [
      [
        '/api/v1/documents/charsets',
        'application/json; charset=ISO-8859-1',
        Buffer.from('{"markdown":"# Caf\u00e9\\n"}', 'latin1'),
      ],
      [
        '/api/v1/documents/charsets',
        'application/json;charset="windows-1252"',
        Buffer.from('{"markdown":"# x\\n"}'),
      ],
      ['/api/v1/documents/charsets/markdown', 'text/markdown; charset=latin1', latin1],
    ] as const) {
      const response = await send(path, type, body, 1);
      expect(response.status, `${path} ${type}: ${response.text}`).toBe(415);
      const problem = JSON.parse(response.text) as { code: string; detail: string };
      expect(problem.code).toBe('DD_E_UNSUPPORTED_MEDIA_TYPE');
      expect(problem.detail).toMatch(
        /names the charset "(iso-8859-1|windows-1252|latin1)"; this API reads UTF-8 only/,
      );
    }
    // Two charsets that differ, in either order, or an empty one: refused, saying so.
    for (const [type, why] of [
      ['application/json; charset=utf-8; charset=latin1', 'names 2 charsets (utf-8, latin1)'],
      ['application/json; charset=latin1; charset=UTF-8', 'names 2 charsets (latin1, utf-8)'],
      ['application/json; charset=""', 'names an empty charset'],
      // A parameter that does not parse does not hide the charset after it.
      ['application/json;; foo; charset=latin1', 'names the charset "latin1"'],
    ] as const) {
      const response = await send(
        '/api/v1/documents/charsets',
        type,
        Buffer.from('{"markdown":"# x\\n"}'),
        1,
      );
      expect(response.status, `${type}: ${response.text}`).toBe(415);
      expect((JSON.parse(response.text) as { detail: string }).detail).toContain(why);
    }
    // UTF-8 declared in any spelling, or not declared, is read; a charset= inside another
    // parameter's quoted value is not a charset.
    let revision = 1;
    for (const type of [
      'application/json; charset=UTF-8',
      'application/json; charset="utf8"',
      'application/json',
      'application/json; profile="a;charset=latin1"; charset=utf-8; charset=UTF-8',
      'application/json; charset=utf-8; charset=utf8',
    ]) {
      const body = Buffer.from(JSON.stringify({ markdown: `# Caf\u00e9 ${revision}\n` }));
      const response = await send('/api/v1/documents/charsets', type, body, revision);
      expect(response.status, `${type}: ${response.text}`).toBe(200);
      revision++;
    }
    const markdown = await send(
      '/api/v1/documents/charsets/markdown',
      'text/markdown; charset=utf-8',
      Buffer.from('# Café ✓\n'),
      revision,
    );
    expect(markdown.status, markdown.text).toBe(200);
  });

  it('refuses a JSON string no UTF-8 can hold (an unpaired surrogate escape) in any field, naming it', async () => {
    await create('surrogates');
    const token = as('alice');
    const before = await api(t.base, 'GET', '/api/v1/documents/surrogates', { token });
    const send = (method: string, path: string, json: string, headers: Record<string, string> = {}) =>
      api(t.base, method, path, { token, raw: json, headers });
    const markdown = JSON.stringify(filledDocument('surrogates', 'Draft'));
    for (const [method, path, json, field, headers] of [
      [
        'PUT',
        '/api/v1/documents/surrogates',
        `{"markdown":${markdown},"message":"a\\ud800"}`,
        'message',
        { 'if-match': '"1"' },
      ],
      ['PUT', '/api/v1/documents/surrogates', `{"markdown":"# T\\udc00"}`, 'markdown', { 'if-match': '"1"' }],
      ['PUT', '/api/v1/documents/surrogates/labels', '{"labels":["ok","a\\uDBFF"]}', 'labels.1', {}],
      ['POST', '/api/v1/documents', '{"title":"\\ud83d title"}', 'title', {}],
    ] as const) {
      const response = await send(method, path, json, headers);
      expectProblem(response, 400, 'DD_E_INVALID_UTF8');
      expect(response.body.field, `${method} ${path}`).toBe(field);
      expect(response.body.detail).toContain(`"${field}"`);
    }
    // A surrogate pair written as escapes is an ordinary character (an emoji here).
    const pair = await send('PUT', '/api/v1/documents/surrogates/labels', '{"labels":["\\ud83d\\ude00"]}');
    expect(pair.status, pair.text).toBe(200);
    const after = await api(t.base, 'GET', '/api/v1/documents/surrogates', { token });
    expect(after.body.document.revision).toBe(before.body.document.revision);
  });

  it('refuses a request with two Authorization headers, naming the header', async () => {
    const one = await getWithAuthorizations(t.base, '/api/v1/me', [`Bearer ${as('alice')}`]);
    expect(one.status).toBe(200);
    for (const pair of [
      [`Bearer ${as('alice')}`, `Bearer ${as('root')}`],
      [`Bearer ${as('alice')}`, `Bearer ${as('alice')}`],
      [`Bearer ${as('root')}`, 'Bearer dd_not_a_token'],
    ]) {
      const twice = await getWithAuthorizations(t.base, '/api/v1/me', pair);
      expect(twice.status).toBe(400);
      expect(twice.type).toContain('application/problem+json');
      expect(twice.body).toMatchObject({
        status: 400,
        code: 'DD_E_VALIDATION',
        field: 'Authorization',
        detail: 'The request has 2 Authorization headers; send exactly one.',
      });
    }
  });
});
