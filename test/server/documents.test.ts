/**
 * Documents through a real server: concurrent writers on one revision, archive and restore,
 * search and structured queries, and bad input — each refused with a problem+json body that
 * names the problem, and nothing half-written.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TemplateSchema } from '../../src/core/template/schema.js';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type ApiResponse, type TestServer } from './harness.js';

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code });
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail.length).toBeGreaterThan(10);
  expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
}

/** Sends bytes as they are (no HTTP client would send them) and reads the whole answer. */
function rawRequest(base: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describeEachDialect('documents API', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  beforeAll(async () => {
    t = await startTestServer(
      dialect,
      [
        { username: 'alice', role: 'member' },
        { username: 'viewer', role: 'viewer' },
        { username: 'root', role: 'admin' },
      ],
      { bodyLimitBytes: 256 * 1024 },
    );
  });
  afterAll(async () => t?.stop());

  async function create(id: string, markdown = filledDocument(id, 'In Review')) {
    const response = await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: { markdown, id },
    });
    expect(response.status, response.text).toBe(201);
    return response.body.document;
  }

  it('lets exactly one of two writers on one revision win; the other gets 412 and nothing is lost', async () => {
    await create('race');
    for (let round = 0; round < 3; round++) {
      const current = await api(t.base, 'GET', '/api/v1/documents/race', { token: as('alice') });
      const etag = current.headers.get('etag') as string;
      const write = (sentence: string) =>
        api(t.base, 'PUT', '/api/v1/documents/race', {
          token: as('alice'),
          body: {
            markdown: current.body.markdown.replace(
              '## Problem Statement',
              `${sentence}\n\n## Problem Statement`,
            ),
          },
          headers: { 'if-match': etag },
        });
      const results = await Promise.all([
        write(`Writer A round ${round}.`),
        write(`Writer B round ${round}.`),
        write(`Writer C round ${round}.`),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412, 412]);
      const loser = results.find((r) => r.status === 412) as (typeof results)[number];
      expectProblem(loser, 412, 'DD_E_CONFLICT');
      expect(loser.body.details.currentRevision).toBe(Number(JSON.parse(etag)) + 1);
      // The winner's text is what the server holds.
      const winner = results.find((r) => r.status === 200) as (typeof results)[number];
      const after = await api(t.base, 'GET', '/api/v1/documents/race', { token: as('alice') });
      expect(after.headers.get('etag')).toBe(winner.headers.get('etag'));
    }
    const revisions = await api(t.base, 'GET', '/api/v1/documents/race/revisions', { token: as('alice') });
    expect(revisions.body.items.map((r: { revision: number }) => r.revision)).toEqual([1, 2, 3, 4]);
  });

  it('needs If-Match (428) and refuses replacing a document with nothing unless asked', async () => {
    await create('guarded');
    expectProblem(
      await api(t.base, 'PUT', '/api/v1/documents/guarded', {
        token: as('alice'),
        body: { markdown: '# x\n' },
      }),
      428,
      'DD_E_PRECONDITION_REQUIRED',
    );
    expectProblem(
      await api(t.base, 'PUT', '/api/v1/documents/guarded', {
        token: as('alice'),
        body: { markdown: '  \n' },
        headers: { 'if-match': '"1"' },
      }),
      400,
      'DD_E_VALIDATION',
    );
    const disagree = await api(t.base, 'PUT', '/api/v1/documents/guarded', {
      token: as('alice'),
      body: { markdown: '# guarded\n\nMore.\n', baseRevision: 2 },
      headers: { 'if-match': '"1"' },
    });
    expectProblem(disagree, 400, 'DD_E_VALIDATION');
    expect(disagree.body.detail).toBe('If-Match names revision 1 but baseRevision is 2; send one of them.');
    const emptied = await api(t.base, 'PUT', '/api/v1/documents/guarded', {
      token: as('alice'),
      body: { markdown: '', allowEmpty: true },
      headers: { 'if-match': '"1"' },
    });
    expect(emptied.status).toBe(200);
    // The raw markdown save takes what its body cannot carry from the query.
    const markdownSave = (text: string, query: string, revision: number) =>
      api(t.base, 'PUT', `/api/v1/documents/guarded/markdown${query}`, {
        token: as('alice'),
        headers: { 'if-match': `"${revision}"` },
        raw: text,
        contentType: 'text/markdown',
      });
    const refilled = await markdownSave('# guarded\n\nBack.\n', '?message=Refilled', 2);
    expect(refilled.status, refilled.text).toBe(200);
    const refused = await markdownSave('\n', '', 3);
    expectProblem(refused, 400, 'DD_E_VALIDATION');
    expect(refused.body.detail).toBe(
      'The save would replace the document with an empty text; add ?allowEmpty=true to do that on purpose.',
    );
    const emptiedRaw = await markdownSave('\n', '?allowEmpty=true', 3);
    expect(emptiedRaw.status, emptiedRaw.text).toBe(200);
    expectProblem(await markdownSave('# x\n', '?colour=red', 4), 400, 'DD_E_VALIDATION');
    const messages = (await api(t.base, 'GET', '/api/v1/documents/guarded/revisions', { token: as('alice') }))
      .body.items as Array<{ revision: number; message: string }>;
    expect(messages.find((r) => r.revision === 3)?.message).toBe('Refilled');
    expect(
      (await api(t.base, 'GET', '/api/v1/documents/guarded/markdown?revision=1', { token: as('alice') }))
        .text,
    ).toContain('# guarded');
  });

  it('writes no revision for a save of the text the document already has, and says so', async () => {
    const markdown = filledDocument('same-text', 'In Review');
    await create('same-text', markdown);
    const save = (text: string, revision: number) =>
      api(t.base, 'PUT', '/api/v1/documents/same-text', {
        token: as('alice'),
        body: { markdown: text, message: 'autosave' },
        headers: { 'if-match': `"${revision}"` },
      });
    const same = await save(markdown, 1);
    expect(same.status, same.text).toBe(200);
    expect(same.headers.get('etag')).toBe('"1"');
    expect(same.body.document.revision).toBe(1);
    expect(same.body.notices).toEqual(['Nothing to save: the text is the same as revision 1.']);
    expect(same.body.findings.length).toBeGreaterThan(0);
    // A real change still saves, and saving it again changes nothing more.
    const edited = `${markdown}\nOne more line.\n`;
    expect((await save(edited, 1)).body.document.revision).toBe(2);
    expect((await save(edited, 2)).body.notices).toEqual([
      'Nothing to save: the text is the same as revision 2.',
    ]);
    // The same text on a stale base is still a conflict, not a silent success.
    expectProblem(await save(edited, 1), 412, 'DD_E_CONFLICT');
    const revisions = await api(t.base, 'GET', '/api/v1/documents/same-text/revisions', {
      token: as('alice'),
    });
    expect(revisions.body.items.map((r: { revision: number }) => r.revision).sort()).toEqual([1, 2]);

    // When the template changed since (a new templates folder on restart), the same text lints
    // differently: that save is a revision, with the new findings — re-saving re-lints.
    const templates = t.server.ctx.templates as Map<string, TemplateSchema>;
    const original = templates.get('design-document');
    const adr = templates.get('adr');
    if (!original || !adr) throw new Error('built-in templates missing');
    templates.set('design-document', { ...adr, name: 'design-document' });
    try {
      const relinted = await save(edited, 2);
      expect(relinted.status, relinted.text).toBe(200);
      expect(relinted.body.document.revision).toBe(3);
      expect(relinted.body.notices).toEqual([]);
      expect(JSON.stringify(relinted.body.findings)).not.toBe(JSON.stringify(same.body.findings));
    } finally {
      templates.set('design-document', original);
    }
  });

  it('puts a Status line changed by hand back, naming the status as the document writes it', async () => {
    const markdown = filledDocument('status-words', 'In Review');
    await create('status-words', markdown);
    // A JSON body may start with a byte order mark (RFC 8259 allows ignoring it).
    const saved = await api(t.base, 'PUT', '/api/v1/documents/status-words', {
      token: as('alice'),
      raw: `\ufeff${JSON.stringify({ markdown: markdown.replace('In Review', 'Approved') })}`,
      headers: { 'if-match': '"1"' },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.notices).toEqual([
      'The Status line was set back to "In Review": status changes go through transitions.',
      'Nothing to save: the text is the same as revision 1.',
    ]);
    // A text without a Status line gets one.
    const emptied = await api(t.base, 'PUT', '/api/v1/documents/status-words', {
      token: as('alice'),
      body: { markdown: '', allowEmpty: true },
      headers: { 'if-match': '"1"' },
    });
    expect(emptied.status, emptied.text).toBe(200);
    expect(emptied.body.notices).toEqual([
      'The text had no Status line; "Status: In Review" was added: status changes go through transitions.',
    ]);
  });

  it('archives (hidden from lists and search, kept) and restores', async () => {
    await create('old-plan', filledDocument('Old Plan', 'Approved').replace('Redis', 'Memcached'));
    const search = () => api(t.base, 'GET', '/api/v1/search?q=memcached', { token: as('viewer') });
    expect((await search()).body.items.map((h: { slug: string }) => h.slug)).toContain('old-plan');
    const archived = await api(t.base, 'POST', '/api/v1/documents/old-plan/archive', { token: as('alice') });
    expect(archived.body.document.archived).toBe(true);
    expect((await search()).body.items).toEqual([]);
    const list = await api(t.base, 'GET', '/api/v1/documents?limit=200', { token: as('viewer') });
    expect(list.body.items.map((d: { id: string }) => d.id)).not.toContain('old-plan');
    const only = await api(t.base, 'GET', '/api/v1/documents?archived=only', { token: as('alice') });
    expect(only.body.items.map((d: { id: string }) => d.id)).toEqual(['old-plan']);
    expectProblem(
      await api(t.base, 'PUT', '/api/v1/documents/old-plan', {
        token: as('alice'),
        body: { markdown: '# x\n' },
        headers: { 'if-match': '"1"' },
      }),
      409,
      'DD_E_CONFLICT',
    );
    const restored = await api(t.base, 'POST', '/api/v1/documents/old-plan/restore', { token: as('alice') });
    expect(restored.body.document.archived).toBe(false);
    expect((await search()).body.items.map((h: { slug: string }) => h.slug)).toContain('old-plan');
  });

  it('searches with ranking and snippets, and answers structured queries', async () => {
    await create('cache-layer', filledDocument('Cache Layer', 'Approved'));
    const hits = await api(t.base, 'GET', '/api/v1/search?q=idempotency', { token: as('viewer') });
    expect(hits.status).toBe(200);
    expect(hits.body.items.length).toBeGreaterThan(0);
    expect(hits.body.items[0].snippet).toMatch(/<mark>idempoten\w*<\/mark>/i);
    const redis = await api(t.base, 'GET', '/api/v1/query?label=Caching&contains=redis', {
      token: as('viewer'),
    });
    expect(redis.status).toBe(200);
    expect(redis.body.items.map((h: { slug: string }) => h.slug)).toContain('cache-layer');
    const page1 = await api(t.base, 'GET', '/api/v1/documents?limit=2', { token: as('viewer') });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api(t.base, 'GET', `/api/v1/documents?limit=2&cursor=${page1.body.nextCursor}`, {
      token: as('viewer'),
    });
    expect(page2.body.items[0].id).not.toBe(page1.body.items[1].id);
  });

  it('refuses bad input with problem+json and writes nothing', async () => {
    await create('target');
    const before = await api(t.base, 'GET', '/api/v1/documents/target/revisions', { token: as('alice') });
    const put = (options: Parameters<typeof api>[3]) =>
      api(t.base, 'PUT', '/api/v1/documents/target', {
        token: as('alice'),
        headers: { 'if-match': '"1"' },
        ...options,
      });
    expectProblem(
      await put({ raw: '{"markdown": "# x",', contentType: 'application/json' }),
      400,
      'DD_E_VALIDATION',
    );
    expectProblem(await put({ body: { markdown: '# x\n', colour: 'red' } }), 400, 'DD_E_VALIDATION');
    const unknown = await put({ body: { markdown: '# x\n', colour: 'red' } });
    expect(unknown.body.detail).toContain('colour');
    expectProblem(await put({ body: { markdown: 42 } }), 400, 'DD_E_VALIDATION');
    expectProblem(await put({ body: { markdown: 'a\u0000b' } }), 400, 'DD_E_BINARY_FILE');
    const badJson = await put({
      raw: new Uint8Array([
        0x7b, 0x22, 0x6d, 0x61, 0x72, 0x6b, 0x64, 0x6f, 0x77, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d,
      ]),
    });
    expectProblem(badJson, 400, 'DD_E_INVALID_UTF8');
    // Where: the first bad byte, by line and column.
    expect(badJson.body.detail).toBe('The request body is not valid UTF-8 (byte 0xc3 at line 1, column 14).');
    const badMarkdown = await api(t.base, 'PUT', '/api/v1/documents/target/markdown', {
      token: as('alice'),
      headers: { 'if-match': '"1"' },
      raw: new Uint8Array([0x23, 0x20, 0x0a, 0x61, 0xff, 0xfe, 0x0a]),
      contentType: 'text/markdown',
    });
    expectProblem(badMarkdown, 400, 'DD_E_INVALID_UTF8');
    expect(badMarkdown.body.detail).toContain('(byte 0xff at line 2, column 2)');
    const tooLarge = await put({ body: { markdown: `# big\n${'x'.repeat(300 * 1024)}` } });
    expectProblem(tooLarge, 413, 'DD_E_PAYLOAD_TOO_LARGE');
    // The server was started with a 256 KiB body limit: the answer says so.
    expect(tooLarge.body.detail).toBe('The request body is larger than the limit of 262144 bytes.');
    expectProblem(
      await api(t.base, 'POST', '/api/v1/documents/target/transitions', {
        token: as('alice'),
        body: { to: 'implemented' },
      }),
      409,
      'DD_E_TRANSITION_REFUSED',
    );
    expectProblem(
      await api(t.base, 'POST', '/api/v1/documents/target/transitions', {
        token: as('alice'),
        body: { to: 'finished' },
      }),
      400,
      'DD_E_VALIDATION',
    );
    // Requests Fastify or HTTP cannot parse are problem+json too.
    const badUrl = await api(t.base, 'GET', '/api/v1/documents/%FF', { token: as('viewer') });
    expectProblem(badUrl, 400, 'DD_E_VALIDATION');
    for (const [raw, status] of [
      ['GARBAGE\r\n\r\n', 400],
      [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ] as const) {
      const answer = await rawRequest(t.base, raw);
      expect(answer.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        status,
        code: 'DD_E_VALIDATION',
      });
    }
    const unknownTemplate = await api(t.base, 'POST', '/api/v1/lint', {
      token: as('viewer'),
      body: { markdown: '# x\n', template: 'nope' },
    });
    expectProblem(unknownTemplate, 400, 'DD_E_TEMPLATE_NOT_FOUND');
    const badStatus = await api(t.base, 'GET', '/api/v1/documents?status=bogus', { token: as('viewer') });
    expectProblem(badStatus, 400, 'DD_E_VALIDATION');
    expect(badStatus.body.detail).toMatch(
      /^query\.status is not valid: expected one of draft, in-review, .*found "bogus"\.$/,
    );
    // Numbers in a query string are read as written, never cut short (`1e9` is not 1).
    for (const limit of ['1e9', '1.5', '0x10', 'abc']) {
      const bad = await api(t.base, 'GET', `/api/v1/documents?limit=${limit}`, { token: as('viewer') });
      expectProblem(bad, 400, 'DD_E_VALIDATION');
      expect(bad.body.detail).toMatch(/limit is not valid: expected a whole number/);
    }
    for (const q of ['"unterminated', 'AND OR', 'title:(', '*', '*a']) {
      const bad = await api(t.base, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`, {
        token: as('viewer'),
      });
      expectProblem(bad, 400, 'DD_E_SEARCH_SYNTAX');
    }
    // A one-letter prefix stands for thousands of words; two letters are indexed.
    for (const [q, prefix] of [
      ['c*', 'c'],
      ['title:x*', 'x'],
      ['cache AND é*', 'é'],
      ['ab_c*', 'c'],
      ['"one c"*', 'c'],
    ]) {
      const bad = await api(t.base, 'GET', `/api/v1/search?q=${encodeURIComponent(q!)}`, {
        token: as('viewer'),
      });
      expectProblem(bad, 400, 'DD_E_SEARCH_SYNTAX');
      expect(bad.body.detail).toBe(
        `The prefix "${prefix}*" is too short: give at least 2 letters or digits before "*".`,
      );
    }
    for (const q of ['ca*', '"c*"', '"one ca"*', 'memcach*']) {
      const ok = await api(t.base, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`, {
        token: as('viewer'),
      });
      expect(ok.status, q).toBe(200);
    }
    expectProblem(
      await api(t.base, 'GET', '/api/v1/documents/no-such-doc', { token: as('viewer') }),
      404,
      'DD_E_NOT_FOUND',
    );
    expectProblem(
      await api(t.base, 'GET', '/api/v1/nowhere', { token: as('viewer') }),
      404,
      'DD_E_NOT_FOUND',
    );
    expectProblem(
      await api(t.base, 'GET', '/api/v1/documents?cursor=garbage', { token: as('viewer') }),
      400,
      'DD_E_VALIDATION',
    );
    const after = await api(t.base, 'GET', '/api/v1/documents/target/revisions', { token: as('alice') });
    expect(after.body.items).toEqual(before.body.items);
  });

  it('serves the OpenAPI document, its reference, health, readiness and metrics', async () => {
    const openapi = await api(t.base, 'GET', '/api/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.body.paths)).toContain('/api/v1/documents/{id}');
    const docs = await fetch(`${t.base}/api/docs/`);
    expect(docs.status).toBe(200);
    expect((await api(t.base, 'GET', '/healthz')).body.status).toBe('ok');
    expect((await api(t.base, 'GET', '/readyz')).body.status).toBe('ready');
    const metrics = await api(t.base, 'GET', '/metrics');
    expect(metrics.text).toContain('designdoc_http_request_duration_seconds_bucket');
    expect(metrics.text).toMatch(/designdoc_documents\{status="in-review"\} \d+/);
    expect(metrics.text).toContain('designdoc_cache_hit_ratio');
    // Database time grows with the queries this test made (it created and read documents).
    const dbSeconds = () => Number(/^designdoc_database_seconds_total (\S+)$/m.exec(metrics.text)?.[1]);
    expect(dbSeconds()).toBeGreaterThan(0);
    const first = dbSeconds();
    await api(t.base, 'GET', '/api/v1/documents?limit=200', { token: as('viewer') });
    const again = await api(t.base, 'GET', '/metrics');
    expect(Number(/^designdoc_database_seconds_total (\S+)$/m.exec(again.text)?.[1])).toBeGreaterThan(first);
    const page = await fetch(`${t.base}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const apiResponse = await api(t.base, 'GET', '/api/v1/documents', { token: as('viewer') });
    expect(apiResponse.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(apiResponse.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
