/**
 * The document list's filters through a real server, each against documents that differ in it
 * alone or in a few fields: status, type, template, author, label and reviewer (asked by name or
 * through a group), combined, and paged with a cursor that keeps the filter. A filter the data
 * layer ignored would return every document and fail here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

describeEachDialect('document list filters', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;

  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member' },
      { username: 'bob', role: 'member' },
      { username: 'carol', role: 'member' },
      { username: 'dave', role: 'member', groups: ['security'] },
      { username: 'root', role: 'admin' },
    ]);
    const create = async (who: string, body: Record<string, unknown>) => {
      const response = await api(t.base, 'POST', '/api/v1/documents', { token: as(who), body });
      expect(response.status, response.text).toBe(201);
    };
    await create('alice', {
      id: 'f-ledger',
      markdown: filledDocument('Ledger'),
      labels: ['Payments', 'core'],
    });
    await create('bob', { id: 'f-cache', markdown: filledDocument('Cache', 'Approved'), labels: ['core'] });
    await create('alice', { id: 'f-adr', template: 'adr', title: 'Use PostgreSQL', type: 'Decision' });
    await create('bob', { id: 'f-review', markdown: filledDocument('Review Me') });
    await create('bob', { id: 'f-secure', markdown: filledDocument('Secure Me') });
    const request = async (id: string, body: Record<string, unknown>) => {
      const response = await api(t.base, 'POST', `/api/v1/documents/${id}/review-requests`, {
        token: as('bob'),
        body,
      });
      expect(response.status, response.text).toBe(201);
    };
    await request('f-review', { slot: 'Technical Review', users: ['carol'] });
    await request('f-secure', { slot: 'Security Review', groups: ['security'] });
  });
  afterAll(async () => t?.stop());

  async function slugs(query: string, who = 'root'): Promise<string[]> {
    const response = await api(t.base, 'GET', `/api/v1/documents?${query}`, { token: as(who) });
    expect(response.status, response.text).toBe(200);
    return response.body.items.map((d: { id: string }) => d.id).sort();
  }

  it('filters by each field alone', async () => {
    expect(await slugs('limit=200')).toEqual(['f-adr', 'f-cache', 'f-ledger', 'f-review', 'f-secure']);
    expect(await slugs('status=draft')).toEqual(['f-adr', 'f-ledger']);
    expect(await slugs('status=approved')).toEqual(['f-cache']);
    expect(await slugs('status=in-review')).toEqual(['f-review', 'f-secure']);
    expect(await slugs('status=withdrawn')).toEqual([]);
    // Type compares without case; template by name.
    expect(await slugs('type=decision')).toEqual(['f-adr']);
    expect(await slugs('type=Service%20Design')).toEqual(['f-cache', 'f-ledger', 'f-review', 'f-secure']);
    expect(await slugs('template=adr')).toEqual(['f-adr']);
    expect(await slugs('template=design-document')).toEqual(['f-cache', 'f-ledger', 'f-review', 'f-secure']);
    expect(await slugs('template=rfc')).toEqual([]);
    expect(await slugs('author=alice')).toEqual(['f-adr', 'f-ledger']);
    expect(await slugs('author=bob')).toEqual(['f-cache', 'f-review', 'f-secure']);
    expect(await slugs('author=carol')).toEqual([]);
    // Labels are stored in lower case and match whole: `core` is not `cor`.
    expect(await slugs('label=core')).toEqual(['f-cache', 'f-ledger']);
    expect(await slugs('label=PAYMENTS')).toEqual(['f-ledger']);
    expect(await slugs('label=cor')).toEqual([]);
    // A reviewer asked by name, or through a group they belong to.
    expect(await slugs('reviewer=carol')).toEqual(['f-review']);
    expect(await slugs('reviewer=dave')).toEqual(['f-secure']);
    expect(await slugs('reviewer=alice')).toEqual([]);
  });

  it('combines filters, keeps them across cursor pages, and names an unknown user', async () => {
    expect(await slugs('author=alice&label=core')).toEqual(['f-ledger']);
    expect(await slugs('author=bob&status=in-review&reviewer=dave')).toEqual(['f-secure']);
    expect(await slugs('template=design-document&status=draft')).toEqual(['f-ledger']);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = `author=bob&limit=1${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const response = await api(t.base, 'GET', `/api/v1/documents?${query}`, { token: as('root') });
      expect(response.status, response.text).toBe(200);
      seen.push(...response.body.items.map((d: { id: string }) => d.id));
      cursor = response.body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen.sort()).toEqual(['f-cache', 'f-review', 'f-secure']);

    const unknown = await api(t.base, 'GET', '/api/v1/documents?author=nobody', { token: as('root') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toBe('No user is named "nobody".');
    expect(unknown.body.field).toBe('author');
  });

  it('filters only what the caller may see: another member does not find a draft by filtering for it', async () => {
    // carol sees the in-review and approved documents, and none of the drafts.
    expect(await slugs('author=alice', 'carol')).toEqual([]);
    expect(await slugs('label=core', 'carol')).toEqual(['f-cache']);
    expect(await slugs('reviewer=carol', 'carol')).toEqual(['f-review']);
  });
});
