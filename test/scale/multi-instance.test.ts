/**
 * Three server processes over one PostgreSQL database and one Redis: a write through one instance
 * is read back through the others at once; fifty concurrent clients editing the same documents
 * through different instances lose nothing acknowledged, get exactly one winner per base
 * revision and never read a revision older than one already acknowledged; an instance killed
 * with SIGKILL mid-load leaves the others serving and every acknowledged write in place.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../../src/server/index.js';
import { createApiToken, createUser, systemActor } from '../../src/server/services/index.js';
import { filledDocument } from '../server/fixtures.js';
import {
  createTestPostgresDatabase,
  REDIS_URL,
  requireServices,
  type TestPostgresDatabase,
} from '../support/services.js';
import { startInstance, stopInstances, type Instance } from './cluster.js';

const available = await requireServices('multi-instance', 'postgres', 'redis');

/** The parts of a document response these tests read. */
interface DocumentBody {
  document: { revision: number };
  markdown: string;
  /** Lists (revisions). */
  items: unknown[];
}

interface Ack {
  doc: string;
  base: number;
  revision: number;
  marker: string;
  /** performance.now() when the 200 arrived. */
  at: number;
}

interface Read {
  doc: string;
  revision: number;
  /** performance.now() when the request was sent. */
  sentAt: number;
  instance: number;
}

async function call(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text !== '';
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    text,
    body: (json ? JSON.parse(text) : null) as DocumentBody,
  };
}

function withMarker(markdown: string, marker: string): string {
  return markdown.replace('## Problem Statement', `${marker}\n\n## Problem Statement`);
}

/** Fails the test when a read returned an older revision than one acknowledged before it was sent. */
function staleReads(acks: readonly Ack[], reads: readonly Read[]): string[] {
  const stale: string[] = [];
  for (const read of reads) {
    const newest = Math.max(
      0,
      ...acks.filter((a) => a.doc === read.doc && a.at < read.sentAt).map((a) => a.revision),
    );
    if (read.revision < newest)
      stale.push(
        `${read.doc}: instance ${read.instance} served revision ${read.revision} after ${newest} was acknowledged`,
      );
  }
  return stale;
}

describe.skipIf(!available)('three instances over one PostgreSQL and one Redis', () => {
  let database: TestPostgresDatabase;
  let instances: Instance[] = [];
  let token = '';
  const options = () => ({ databaseUrl: database.url, redisUrl: REDIS_URL });

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    // All three start together on an empty database: one migrates while the others wait on the
    // advisory lock, and exactly one creates the first admin.
    instances = await Promise.all([0, 1, 2].map((i) => startInstance(i, options())));
    const ctx = await openServices({
      dataDir: '/nonexistent',
      templatesDir: null,
      finalCommentDays: 0,
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
    });
    expect((await ctx.db.listUsers()).map((u) => u.username)).toEqual(['admin']);
    const alice = await createUser(ctx, systemActor(), {
      username: 'alice',
      displayName: 'Alice',
      role: 'member',
      password: 'correct horse battery staple',
    });
    token = (await createApiToken(ctx, systemActor(alice), { name: 'scale', scopes: ['read', 'write'] }))
      .token;
    await ctx.cache.close();
    await ctx.db.close();
  }, 120_000);

  afterAll(async () => {
    await stopInstances(instances);
    await database?.drop();
  });

  it('reads a write made through one instance back through the others at once', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const markdown = filledDocument('Shared Ledger', 'In Review');
    const created = await call(a.url, 'POST', '/api/v1/documents', token, { markdown, id: 'shared-ledger' });
    expect(created.status).toBe(201);
    // Warm every instance's view (the shared cache) before the next write.
    for (const instance of instances)
      expect(
        (await call(instance.url, 'GET', '/api/v1/documents/shared-ledger', token)).body.document.revision,
      ).toBe(1);
    const edited = withMarker(markdown, 'Written through instance B.');
    const saved = await call(
      b.url,
      'PUT',
      '/api/v1/documents/shared-ledger',
      token,
      { markdown: edited },
      { 'if-match': '"1"' },
    );
    expect(saved.status).toBe(200);
    for (const instance of [a, c, b]) {
      const read = await call(instance.url, 'GET', '/api/v1/documents/shared-ledger', token);
      expect(read.body.document.revision, `instance ${instance.index}`).toBe(2);
      expect(read.body.markdown).toContain('Written through instance B.');
      expect(read.etag).toBe('"2"');
    }
  });

  it('accepts a session made on one instance on every other, and ends it everywhere on sign-out', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery staple' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    expect(cookie).toMatch(/^designdoc_session=/);
    for (const instance of [b, c]) {
      const me = await fetch(`${instance.url}/api/v1/me`, { headers: { cookie } });
      expect(me.status, `instance ${instance.index}`).toBe(200);
      expect(((await me.json()) as { user: { username: string }; via: string }).user.username).toBe('alice');
    }
    const logout = await fetch(`${b.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(logout.status).toBeLessThan(300);
    for (const instance of [a, c])
      expect(
        (await fetch(`${instance.url}/api/v1/me`, { headers: { cookie } })).status,
        `instance ${instance.index}`,
      ).toBe(401);
  });

  /** Clients editing `docs` through rotating instances; returns what they saw. */
  async function load(docs: string[], clients: number, rounds: number, live: () => Instance[]) {
    const acks: Ack[] = [];
    const reads: Read[] = [];
    const refusals: number[] = [];
    const errors: string[] = [];
    const now = () => performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let round = 0; round < rounds; round++) {
          const doc = docs[(client + round) % docs.length] as string;
          const pool = live();
          const reader = pool[(client + round) % pool.length] as Instance;
          const sentAt = now();
          let got;
          try {
            got = await call(reader.url, 'GET', `/api/v1/documents/${doc}`, token);
          } catch {
            continue; // the instance died under us: not acknowledged, nothing to check
          }
          if (got.status !== 200) {
            errors.push(`GET ${doc} via ${reader.index}: ${got.status}`);
            continue;
          }
          reads.push({ doc, revision: got.body.document.revision, sentAt, instance: reader.index });
          const base = got.body.document.revision as number;
          const marker = `Client ${client} round ${round} on base ${base}.`;
          const writer = live()[(client + round + 1) % live().length] as Instance;
          let put;
          try {
            put = await call(
              writer.url,
              'PUT',
              `/api/v1/documents/${doc}`,
              token,
              { markdown: withMarker(got.body.markdown, marker) },
              { 'if-match': `"${base}"` },
            );
          } catch {
            continue;
          }
          if (put.status === 200)
            acks.push({ doc, base, revision: put.body.document.revision, marker, at: now() });
          else if (put.status === 412) refusals.push(put.status);
          else errors.push(`PUT ${doc} via ${writer.index}: ${put.status} ${JSON.stringify(put.body)}`);
        }
      }),
    );
    return { acks, reads, refusals, errors };
  }

  async function checkAcknowledged(acks: readonly Ack[], via: Instance) {
    for (const ack of acks) {
      const revision = await call(
        via.url,
        'GET',
        `/api/v1/documents/${ack.doc}/markdown?revision=${ack.revision}`,
        token,
      );
      expect(revision.status, `${ack.doc}@${ack.revision}`).toBe(200);
      expect(revision.text).toContain(ack.marker);
    }
    const winners = new Map<string, number>();
    for (const ack of acks)
      winners.set(`${ack.doc}@${ack.base}`, (winners.get(`${ack.doc}@${ack.base}`) ?? 0) + 1);
    expect([...winners.values()].every((n) => n === 1)).toBe(true);
  }

  it('keeps every acknowledged revision with fifty concurrent clients: one winner per base, no stale reads', async () => {
    const docs = ['hot-a', 'hot-b', 'hot-c', 'hot-d', 'hot-e'];
    for (const doc of docs)
      expect(
        (
          await call(instances[0]!.url, 'POST', '/api/v1/documents', token, {
            markdown: filledDocument(doc),
            id: doc,
          })
        ).status,
      ).toBe(201);
    const result = await load(docs, 50, 4, () => instances);
    expect(result.errors).toEqual([]);
    expect(result.acks.length).toBeGreaterThan(docs.length);
    expect(result.refusals.length).toBeGreaterThan(0);
    expect(staleReads(result.acks, result.reads)).toEqual([]);
    await checkAcknowledged(result.acks, instances[2]!);
    // Nothing but acknowledged writes exists: revision count = 1 + acknowledged saves, per document.
    for (const doc of docs) {
      const list = await call(instances[1]!.url, 'GET', `/api/v1/documents/${doc}/revisions`, token);
      expect(list.body.items.length).toBe(1 + result.acks.filter((a) => a.doc === doc).length);
    }
  }, 120_000);

  it('keeps serving when one instance is killed with SIGKILL mid-load, losing nothing acknowledged', async () => {
    const docs = ['kill-a', 'kill-b', 'kill-c'];
    for (const doc of docs)
      expect(
        (
          await call(instances[0]!.url, 'POST', '/api/v1/documents', token, {
            markdown: filledDocument(doc),
            id: doc,
          })
        ).status,
      ).toBe(201);
    const victim = instances[2]!;
    const live = () => instances.filter((i) => !i.exited);
    const running = load(docs, 50, 6, live);
    setTimeout(() => victim.process.kill('SIGKILL'), 300);
    const result = await running;
    expect(victim.exited).toBe(true);
    // Only requests to the killed instance may fail; the survivors answered every request.
    expect(result.errors).toEqual([]);
    expect(result.acks.length).toBeGreaterThan(docs.length);
    expect(staleReads(result.acks, result.reads)).toEqual([]);
    await checkAcknowledged(result.acks, instances[0]!);
    for (const survivor of live())
      expect((await call(survivor.url, 'GET', '/readyz', token)).status).toBe(200);
    const digest = createHash('sha256');
    for (const doc of docs) {
      const a = await call(instances[0]!.url, 'GET', `/api/v1/documents/${doc}`, token);
      const b = await call(instances[1]!.url, 'GET', `/api/v1/documents/${doc}`, token);
      expect(a.body.markdown).toBe(b.body.markdown);
      digest.update(a.body.markdown);
    }
    expect(digest.digest('hex')).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);
});

if (!available) it.skip('multi-instance (PostgreSQL or Redis not available)', () => undefined);
