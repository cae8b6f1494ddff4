/**
 * HTTP semantics through a real server: a known path with a method it has no route for is 405
 * with `Allow` (derived from the registered routes, not a list), archive and restore take no fields,
 * `If-Match` is compared strongly (RFC 9110 §13.1.1: a weak tag never matches) and read as a list
 * or `*`, and a request carrying two Authorization headers is refused. Every refusal is
 * problem+json with its stable code, and nothing is written by a refused request.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type ApiResponse, type TestServer } from './harness.js';

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code });
  expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
}

/** A GET with each of `authorizations` sent as its own header line (fetch would join them). */
function getWithAuthorizations(
  base: string,
  path: string,
  authorizations: string[],
): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  // A raw header list (name, value, …) keeps repeated names apart; Host is then ours to send.
  const headers = [
    'host',
    new URL(base).host,
    ...authorizations.flatMap((value) => ['authorization', value]),
  ];
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type']),
            body: JSON.parse(text) as Record<string, unknown>,
          });
        } catch (error) {
          reject(new Error(`${res.statusCode}: ${JSON.stringify(text)}`, { cause: error }));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describeEachDialect('HTTP semantics', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member' },
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
      await api(t.base, 'POST', `${path}/archive`, {
        token: as('alice'),
        raw: 'archive it',
        contentType: 'text/markdown',
      }),
    ]) {
      expectProblem(refused, 400, 'DD_E_VALIDATION');
    }
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
