/**
 * Export through a real server: the JSON index of every document the caller may see (fields,
 * SHA-256 of the bytes, the markdown itself when asked), one document's markdown as a download
 * (any revision), and an export order that documents saved meanwhile cannot escape.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describeEachDialect('export', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member' },
      { username: 'bob', role: 'member' },
    ]);
  });
  afterAll(async () => t?.stop());

  async function create(who: string, id: string, markdown: string) {
    const response = await api(t.base, 'POST', '/api/v1/documents', {
      token: as(who),
      body: { id, markdown },
    });
    expect(response.status, response.text).toBe(201);
  }

  it('indexes every visible document with its revision and the SHA-256 of its bytes, markdown when asked', async () => {
    await create('alice', 'x-review', filledDocument('Review — ünïcode', 'In Review'));
    await create('alice', 'x-mine', filledDocument('Mine'));
    await create('bob', 'x-bobs-draft', filledDocument('Bob Draft'));
    const edited = (await api(t.base, 'GET', '/api/v1/documents/x-review', { token: as('alice') })).body;
    const saved = await api(t.base, 'PUT', '/api/v1/documents/x-review', {
      token: as('alice'),
      body: { markdown: `${edited.markdown}\nOne more line.\n` },
      headers: { 'if-match': `"${edited.document.revision}"` },
    });
    expect(saved.status, saved.text).toBe(200);

    const index = await api(t.base, 'GET', '/api/v1/export', { token: as('alice') });
    expect(index.status, index.text).toBe(200);
    const items = index.body.items as Array<Record<string, unknown>>;
    // bob's draft is not alice's to see; the list is sorted by path.
    expect(items.map((i) => i.id)).toEqual(['x-mine', 'x-review']);
    for (const item of items) {
      const current = (await api(t.base, 'GET', `/api/v1/documents/${item.id}`, { token: as('alice') })).body;
      expect(item).toEqual({
        id: item.id,
        path: `${item.id}.md`,
        title: current.document.title,
        status: current.document.status,
        template: 'design-document',
        revision: current.document.revision,
        sha256: sha256(current.markdown),
      });
    }
    expect(items[1]).toMatchObject({ revision: 2, status: 'in-review', title: 'Review — ünïcode' });

    const full = await api(t.base, 'GET', '/api/v1/export?markdown=true', { token: as('alice') });
    for (const item of full.body.items) {
      expect(sha256(item.markdown)).toBe(item.sha256);
      const current = (await api(t.base, 'GET', `/api/v1/documents/${item.id}`, { token: as('alice') })).body;
      expect(item.markdown).toBe(current.markdown);
    }
    expect(
      (await api(t.base, 'GET', '/api/v1/export', { token: as('bob') })).body.items.map(
        (i: { id: string }) => i.id,
      ),
    ).toEqual(['x-bobs-draft', 'x-review']);
  });

  it('downloads one document as markdown, at any revision, byte for byte', async () => {
    const first = (
      await api(t.base, 'GET', '/api/v1/documents/x-review/markdown?revision=1', { token: as('alice') })
    ).text;
    const current = (await api(t.base, 'GET', '/api/v1/documents/x-review', { token: as('alice') })).body;
    const download = await api(t.base, 'GET', '/api/v1/documents/x-review/export', { token: as('alice') });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="x-review.md"');
    expect(download.text).toBe(current.markdown);
    const old = await api(t.base, 'GET', '/api/v1/documents/x-review/export?revision=1', {
      token: as('alice'),
    });
    expect(old.text).toBe(first);
    expect(old.text).not.toBe(download.text);
    const hidden = await api(t.base, 'GET', '/api/v1/documents/x-bobs-draft/export', { token: as('alice') });
    expect(hidden.status).toBe(404);
  });

  it('pages every document once in the export order even while documents are saved between pages', async () => {
    const db = t.server.ctx.db;
    const everyone = { all: true, userId: null };
    const all = await db.listDocuments({ visibility: everyone, order: 'created' }, null, 1000);
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const result: Awaited<ReturnType<typeof db.listDocuments>> = await db.listDocuments(
        { visibility: everyone, order: 'created' },
        cursor,
        1,
      );
      seen.push(...result.items.map((d) => d.slug));
      cursor = result.nextCursor;
      // Touch a document not read yet: in the newest-first order it would jump past the cursor.
      const later = all.items[page + 1];
      if (later)
        await db.updateDocument(later.id, {}, new Date(Date.now() + 60_000 * (page + 1)).toISOString());
      page++;
    } while (cursor !== null);
    expect(seen).toEqual(all.items.map((d) => d.slug));
    // A cursor of one order is refused by the other, both ways.
    const recent = await db.listDocuments({ visibility: everyone }, null, 1);
    await expect(
      db.listDocuments({ visibility: everyone, order: 'created' }, recent.nextCursor, 1),
    ).rejects.toMatchObject({ code: 'DD_E_VALIDATION' });
    const created = await db.listDocuments({ visibility: everyone, order: 'created' }, null, 1);
    await expect(db.listDocuments({ visibility: everyone }, created.nextCursor, 1)).rejects.toMatchObject({
      code: 'DD_E_VALIDATION',
    });
  });
});
