/**
 * Conflicting requests fired at the same moment through real listening servers — on PostgreSQL
 * two server instances over one database, half the requests through each; on SQLite one server.
 * Each service checks something and then writes because of it (the status allows this transition,
 * every slot is approved, the verdict's revision is current, the reviewer is not asked yet); under
 * the document's row lock exactly one of two requests that exclude each other may pass, and the
 * state afterwards says so. Without the lock every scenario here fails on PostgreSQL (both requests
 * pass); on SQLite one process's single connection already runs each request's queries without a
 * real interleaving, so there the suite pins the behaviour rather than the race.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultServerConfig, startServer, type RunningServer } from '../../src/server/index.js';
import { describeEachDialect } from './dialects.js';
import { editSecurity, filledDocument } from './fixtures.js';
import { api, startTestServer, type ApiResponse, type TestServer } from './harness.js';

/** Documents per scenario: several pairs in flight at once make an interleaving all but certain. */
const PAIRS = 6;

const SLOTS: Array<[string, string, Record<string, string[]>]> = [
  ['bob', 'Technical Review', { users: ['bob'] }],
  ['dan', 'Architecture Review', { users: ['dan'] }],
  ['carol', 'Security Review', { groups: ['security'] }],
  ['erin', 'Approved By', { users: ['erin'] }],
];

describeEachDialect('concurrent conflicting requests', (dialect) => {
  let t: TestServer;
  let second: RunningServer | null = null;
  let secondDir = '';
  /** Where request i goes: alternating between the instances. */
  let bases: string[] = [];
  const as = (who: string) => t.tokens[who] as string;
  const db = () => t.server.ctx.db;

  beforeAll(async () => {
    t = await startTestServer(dialect, [
      { username: 'alice', role: 'member', displayName: 'Alice Author' },
      { username: 'bob', role: 'member', displayName: 'Bob Builder' },
      { username: 'carol', role: 'member', displayName: 'Carol Secure', groups: ['security'] },
      { username: 'dan', role: 'member', displayName: 'Dan Architect' },
      { username: 'erin', role: 'member', displayName: 'Erin Approver' },
    ]);
    if (t.databaseUrl !== null) {
      // A second instance on the same database, without a shared cache: the checks must hold
      // on what the database says under the lock, not on what either process remembers.
      secondDir = mkdtempSync(join(tmpdir(), 'designdoc-second-'));
      second = await startServer({
        ...defaultServerConfig(secondDir),
        port: 0,
        host: '127.0.0.1',
        dataDir: join(secondDir, 'data'),
        logLevel: 'silent',
        loadExamples: false,
        rateLimitPerMinute: 0,
        webDist: join(secondDir, 'no-web-dist'),
        databaseUrl: t.databaseUrl,
      });
    }
    bases = [t.base, second?.url ?? t.base];
  });
  afterAll(async () => {
    await second?.close();
    if (secondDir !== '') rmSync(secondDir, { recursive: true, force: true });
    await t?.stop();
  });

  async function created(slug: string): Promise<number> {
    const response = await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: { markdown: filledDocument(`Doc ${slug}`), id: slug },
    });
    expect(response.status, response.text).toBe(201);
    return response.body.document.revision as number;
  }

  /** A document in review with every slot asked; returns its revision. */
  async function inReview(slug: string): Promise<number> {
    let revision = await created(slug);
    for (const [, slot, who] of SLOTS) {
      const response = await api(t.base, 'POST', `/api/v1/documents/${slug}/review-requests`, {
        token: as('alice'),
        body: { slot, ...who },
      });
      expect(response.status, response.text).toBe(201);
      revision = response.body.document.revision as number;
    }
    return revision;
  }

  /** A document in review whose every slot is approved on the current revision. */
  async function readyToApprove(slug: string): Promise<number> {
    let revision = await inReview(slug);
    for (const [who, slot] of SLOTS) {
      const response = await api(t.base, 'POST', `/api/v1/documents/${slug}/verdicts`, {
        token: as(who),
        body: { slot, verdict: 'approved', revision },
      });
      expect(response.status, response.text).toBe(201);
      revision = response.body.document.revision as number;
    }
    return revision;
  }

  async function statusMessages(slug: string): Promise<string[]> {
    const revisions = await api(t.base, 'GET', `/api/v1/documents/${slug}/revisions`, {
      token: as('alice'),
    });
    return (revisions.body.items as Array<{ message: string }>)
      .map((r) => r.message)
      .filter((m) => m.startsWith('Status: '));
  }

  const ok = (response: ApiResponse) => response.status >= 200 && response.status < 300;

  it('lets exactly one of two conflicting transitions through', async () => {
    const slugs = Array.from({ length: PAIRS }, (_, i) => `transition-${i}`);
    await Promise.all(slugs.map(inReview));
    const results = await Promise.all(
      slugs.map((slug, i) =>
        Promise.all(
          (['rejected', 'withdrawn'] as const).map((to, j) =>
            api(bases[(i + j) % 2] as string, 'POST', `/api/v1/documents/${slug}/transitions`, {
              token: as('alice'),
              body: { to },
            }),
          ),
        ),
      ),
    );
    for (const [i, slug] of slugs.entries()) {
      const pair = results[i] as ApiResponse[];
      const winners = pair.filter(ok);
      expect(
        winners.map((r) => r.status),
        pair.map((r) => r.text).join('\n'),
      ).toEqual([200]);
      const loser = pair.find((r) => !ok(r)) as ApiResponse;
      expect(loser.status).toBe(409);
      expect(loser.body.code).toBe('DD_E_TRANSITION_REFUSED');
      const winner = winners[0] as ApiResponse;
      const final = await db().getDocumentBySlug(slug);
      expect(final?.status).toBe(winner.body.document.status);
      // One move out of review, written once.
      expect((await statusMessages(slug)).filter((m) => m.startsWith('Status: in-review'))).toHaveLength(1);
    }
  });

  it('never approves a document over a changes-requested verdict that raced the approval', async () => {
    const slugs = Array.from({ length: PAIRS }, (_, i) => `approve-${i}`);
    const revisions = await Promise.all(slugs.map(readyToApprove));
    const results = await Promise.all(
      slugs.map((slug, i) =>
        Promise.all([
          api(bases[i % 2] as string, 'POST', `/api/v1/documents/${slug}/transitions`, {
            token: as('alice'),
            body: { to: 'approved' },
          }),
          api(bases[(i + 1) % 2] as string, 'POST', `/api/v1/documents/${slug}/verdicts`, {
            token: as('bob'),
            body: { slot: 'Technical Review', verdict: 'changes-requested', revision: revisions[i] },
          }),
        ]),
      ),
    );
    for (const [i, slug] of slugs.entries()) {
      const [transition, verdict] = results[i] as [ApiResponse, ApiResponse];
      expect(ok(transition) !== ok(verdict), `${transition.text}\n${verdict.text}`).toBe(true);
      const record = await db().getDocumentBySlug(slug);
      const latestTechnical = (await db().listVerdicts(record?.id ?? -1))
        .filter((v) => v.slot === 'Technical Review')
        .at(-1);
      if (ok(transition)) {
        expect(record?.status).toBe('approved');
        expect(latestTechnical?.verdict).toBe('approved');
        expect(verdict.status).toBe(409);
      } else {
        expect(record?.status).toBe('in-review');
        expect(latestTechnical?.verdict).toBe('changes-requested');
        expect(transition.body.details.reasons.join(' ')).toMatch(/Technical Review/);
      }
    }
  });

  it('records a verdict or the edit that makes it stale, never both', async () => {
    const slugs = Array.from({ length: PAIRS }, (_, i) => `verdict-${i}`);
    const revisions = await Promise.all(slugs.map(inReview));
    const texts = await Promise.all(
      slugs.map(
        async (slug) =>
          (await api(t.base, 'GET', `/api/v1/documents/${slug}`, { token: as('alice') })).body
            .markdown as string,
      ),
    );
    const results = await Promise.all(
      slugs.map((slug, i) =>
        Promise.all([
          api(bases[i % 2] as string, 'POST', `/api/v1/documents/${slug}/verdicts`, {
            token: as('carol'),
            body: { slot: 'Security Review', verdict: 'approved', revision: revisions[i] },
          }),
          api(bases[(i + 1) % 2] as string, 'PUT', `/api/v1/documents/${slug}`, {
            token: as('alice'),
            body: { markdown: editSecurity(texts[i] as string, 'Keys rotate every 90 days.') },
            headers: { 'if-match': `"${revisions[i]}"` },
          }),
        ]),
      ),
    );
    for (const [i, slug] of slugs.entries()) {
      const [verdict, save] = results[i] as [ApiResponse, ApiResponse];
      expect(ok(verdict) !== ok(save), `${verdict.text}\n${save.text}`).toBe(true);
      // Whichever came second was told its revision is gone.
      expect((ok(verdict) ? save : verdict).status).toBe(412);
      const record = await db().getDocumentBySlug(slug);
      const verdicts = await db().listVerdicts(record?.id ?? -1);
      expect(verdicts).toHaveLength(ok(verdict) ? 1 : 0);
      const reviews = await api(t.base, 'GET', `/api/v1/documents/${slug}/reviews`, { token: as('alice') });
      const security = (reviews.body.slots as Array<{ name: string; approved: boolean }>).find(
        (s) => s.name === 'Security Review',
      );
      // A recorded approval is never stale on arrival.
      expect(security?.approved).toBe(ok(verdict));
    }
  });

  it('asks a reviewer once however many identical requests arrive together', async () => {
    const slugs = Array.from({ length: PAIRS }, (_, i) => `request-${i}`);
    await Promise.all(slugs.map(created));
    const results = await Promise.all(
      slugs.map((slug, i) =>
        Promise.all(
          [0, 1, 2, 3].map((j) =>
            api(bases[(i + j) % 2] as string, 'POST', `/api/v1/documents/${slug}/review-requests`, {
              token: as('alice'),
              body: { slot: 'Technical Review', users: ['bob'] },
            }),
          ),
        ),
      ),
    );
    for (const [i, slug] of slugs.entries()) {
      const all = results[i] as ApiResponse[];
      expect(
        all.map((r) => r.status),
        all.map((r) => r.text).join('\n'),
      ).toEqual([201, 201, 201, 201]);
      const record = await db().getDocumentBySlug(slug);
      expect(record?.status).toBe('in-review');
      expect(await db().listReviewRequests(record?.id ?? -1)).toHaveLength(1);
      expect(await statusMessages(slug)).toEqual([
        'Status: draft → in-review — review requested (Technical Review)',
      ]);
    }
  });
});
