/**
 * A team's template sets which sections each approval slot covers, and the server follows it: with
 * `Security Review` covering Security and Data Model & Storage, an edit of the data model makes the
 * security approval stale and leaves the technical one standing — the opposite of the built-in
 * template, where Data Model & Storage is the Technical slot's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { repoRoot } from '../support/corpus.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

const FRONT_MATTER = [
  '---',
  'name: team-design',
  'title: Team Design Document',
  'approvals:',
  '  Security Review:',
  '    covers: [Security, Data Model & Storage]',
  '---',
  '',
].join('\n');

describeEachDialect('approval slot coverage from a template', (dialect) => {
  let t: TestServer;
  let templates: string;
  const as = (who: string) => t.tokens[who] as string;
  beforeAll(async () => {
    templates = mkdtempSync(join(tmpdir(), 'designdoc-templates-'));
    const builtin = readFileSync(join(repoRoot, 'templates', 'design-document.md'), 'utf8');
    writeFileSync(join(templates, 'team-design.md'), FRONT_MATTER + builtin);
    t = await startTestServer(
      dialect,
      [
        { username: 'alice', role: 'member' },
        { username: 'bob', role: 'member' },
        { username: 'carol', role: 'member', groups: ['security'] },
      ],
      { templatesDir: templates },
    );
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(templates, { recursive: true, force: true });
  });

  /** Creates, asks bob and carol, has both approve, then edits Data Model & Storage. */
  async function approvedThenDataModelEdited(id: string, template: string) {
    const created = await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: { id, template, markdown: filledDocument(id) },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.document.template).toBe(template);
    for (const [slot, user] of [
      ['Technical Review', 'bob'],
      ['Security Review', 'carol'],
    ] as const) {
      const asked = await api(t.base, 'POST', `/api/v1/documents/${id}/review-requests`, {
        token: as('alice'),
        body: { slot, users: [user] },
      });
      expect(asked.status, asked.text).toBe(201);
      const current = await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as(user) });
      const verdict = await api(t.base, 'POST', `/api/v1/documents/${id}/verdicts`, {
        token: as(user),
        body: { slot, verdict: 'approved', revision: current.body.document.revision },
      });
      expect(verdict.status, verdict.text).toBe(201);
    }
    const current = await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as('alice') });
    const saved = await api(t.base, 'PUT', `/api/v1/documents/${id}`, {
      token: as('alice'),
      body: {
        markdown: current.body.markdown.replace(
          '### Data Model & Storage\n',
          '### Data Model & Storage\n\nPayments are partitioned by month.\n',
        ),
      },
      headers: { 'if-match': `"${current.body.document.revision}"` },
    });
    expect(saved.status, saved.text).toBe(200);
    const reviews = await api(t.base, 'GET', `/api/v1/documents/${id}/reviews`, { token: as('alice') });
    const staleness = (slot: string) =>
      reviews.body.slots
        .find((s: { name: string }) => s.name === slot)
        .verdicts.map((v: { stale: boolean }) => v.stale);
    return { technical: staleness('Technical Review'), security: staleness('Security Review') };
  }

  it("follows the template's covers: a data-model edit makes the security approval stale, not the technical one", async () => {
    expect(await approvedThenDataModelEdited('team-doc', 'team-design')).toEqual({
      technical: [false],
      security: [true],
    });
    // The built-in template beside it: the same edit is the Technical slot's business.
    expect(await approvedThenDataModelEdited('builtin-doc', 'design-document')).toEqual({
      technical: [true],
      security: [false],
    });
  });
});
