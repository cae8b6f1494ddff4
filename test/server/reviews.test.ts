/**
 * Reviews beyond the main lifecycle: the final comment period (starts when every slot approves,
 * a blocking concern stops it, it ends by itself), comments anchored to a section and quoted
 * text, threaded and resolvable, and open questions across documents.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settleFinalCommentPeriods, systemActor } from '../../src/server/services/index.js';
import { importFolder } from '../../src/server/services/folder-sync.js';
import { analyzeText } from '../../src/server/services/document-analysis.js';
import { describeEachDialect } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

describeEachDialect('reviews', (dialect) => {
  let t: TestServer;
  const as = (who: string) => t.tokens[who] as string;
  let clock = Date.now();
  beforeAll(async () => {
    t = await startTestServer(
      dialect,
      [
        { username: 'alice', role: 'member' },
        { username: 'bob', role: 'member' },
        { username: 'carol', role: 'member', groups: ['security'] },
        { username: 'erin', role: 'member' },
      ],
      { finalCommentDays: 5 },
    );
    // The service clock is the test's: the final comment period can run out without waiting.
    t.server.ctx.now = () => new Date(clock);
  });
  afterAll(async () => t?.stop());

  async function reviewedDocument(id: string): Promise<void> {
    expect(
      (
        await api(t.base, 'POST', '/api/v1/documents', {
          token: as('alice'),
          body: { id, markdown: filledDocument(id) },
        })
      ).status,
    ).toBe(201);
    for (const [slot, users] of [
      ['Technical Review', ['bob']],
      ['Architecture Review', ['bob']],
      ['Security Review', ['carol']],
      ['Approved By', ['erin']],
    ] as const) {
      expect(
        (
          await api(t.base, 'POST', `/api/v1/documents/${id}/review-requests`, {
            token: as('alice'),
            body: { slot, users },
          })
        ).status,
      ).toBe(201);
    }
  }

  async function verdict(id: string, who: string, slot: string, kind = 'approved') {
    const current = await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as(who) });
    return api(t.base, 'POST', `/api/v1/documents/${id}/verdicts`, {
      token: as(who),
      body: { slot, verdict: kind, revision: current.body.document.revision },
    });
  }

  it('runs a final comment period that a blocking concern stops and that ends by itself', async () => {
    await reviewedDocument('fcp-doc');
    for (const [who, slot] of [
      ['bob', 'Technical Review'],
      ['bob', 'Architecture Review'],
      ['carol', 'Security Review'],
      ['erin', 'Approved By'],
    ]) {
      expect((await verdict('fcp-doc', who as string, slot as string)).status).toBe(201);
    }
    let doc = (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.document;
    expect(doc.finalCommentEndsAt).toBe(new Date(clock + 5 * 86_400_000).toISOString());
    const early = await api(t.base, 'POST', '/api/v1/documents/fcp-doc/transitions', {
      token: as('alice'),
      body: { to: 'approved' },
    });
    expect(early.status).toBe(409);
    expect(early.body.details.reasons.join(' ')).toMatch(/final comment period ends/);

    // A blocking concern stops the period; lifting it (a newer verdict) starts a new one.
    expect((await verdict('fcp-doc', 'bob', 'Technical Review', 'blocking')).status).toBe(201);
    doc = (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.document;
    expect(doc.finalCommentEndsAt).toBeNull();
    const blocked = await api(t.base, 'GET', '/api/v1/documents/fcp-doc/reviews', { token: as('alice') });
    expect(blocked.body.blocking).toBe(true);
    expect(
      (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.markdown,
    ).toContain('bob — blocking concern');
    clock += 3_600_000;
    expect((await verdict('fcp-doc', 'bob', 'Technical Review', 'approved')).status).toBe(201);
    doc = (await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') })).body.document;
    expect(doc.finalCommentEndsAt).toBe(new Date(clock + 5 * 86_400_000).toISOString());

    // Nothing happens before the end; after it the document is approved by the server itself.
    expect(await settleFinalCommentPeriods(t.server.ctx, systemActor())).toEqual([]);
    clock += 5 * 86_400_000 + 1000;
    expect(await settleFinalCommentPeriods(t.server.ctx, systemActor())).toEqual(['fcp-doc']);
    const approved = await api(t.base, 'GET', '/api/v1/documents/fcp-doc', { token: as('alice') });
    expect(approved.body.document.status).toBe('approved');
    expect(approved.body.markdown).toMatch(/^Status: Approved$/m);
  });

  async function read(id: string) {
    return (await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: as('alice') })).body;
  }

  async function put(id: string, markdown: string, ifMatch: string) {
    return api(t.base, 'PUT', `/api/v1/documents/${id}`, {
      token: as('alice'),
      body: { markdown },
      headers: { 'if-match': ifMatch },
    });
  }

  it('keeps the approval lines verdicts wrote when a save drops or forges them', async () => {
    await reviewedDocument('kept-approvals');
    const old = (await read('kept-approvals')).markdown as string;
    expect((await verdict('kept-approvals', 'bob', 'Technical Review')).status).toBe(201);
    const approved = (await read('kept-approvals')).markdown as string;
    const line = /^- bob — approved .*$/m.exec(approved)?.[0] as string;
    expect(line).toMatch(/\(rev \d+\)$/);

    // An old copy saved with If-Match: * keeps its edit and gets the verdict's line back.
    const edited = old.replace(
      '## Problem Statement\n',
      '## Problem Statement\n\nAn edit from an old copy.\n',
    );
    const star = await put('kept-approvals', edited, '*');
    expect(star.status, star.text).toBe(200);
    expect(star.body.notices).toEqual([
      'The Approvals entries of Technical Review were set back to the recorded verdicts: approvals are given through reviews.',
    ]);
    let now = await read('kept-approvals');
    expect(now.markdown).toContain('An edit from an old copy.');
    expect(now.markdown).toContain(line);

    // A hand edit that deletes the line, or adds an approval nobody gave, is set back too.
    for (const change of [
      (text: string) => text.replace(`${line}\n`, '- \n'),
      (text: string) => text.replace(`${line}\n`, `${line}\n- Mallory — approved 2026-01-01\n`),
    ]) {
      const saved = await put('kept-approvals', change(now.markdown), `"${now.document.revision}"`);
      expect(saved.status, saved.text).toBe(200);
      // The restored text is the current revision's: nothing new is written.
      expect(saved.body.notices).toEqual([
        'The Approvals entries of Technical Review were set back to the recorded verdicts: approvals are given through reviews.',
        `Nothing to save: the text is the same as revision ${now.document.revision}.`,
      ]);
      now = await read('kept-approvals');
      expect(now.markdown).toContain(line);
      expect(now.markdown).not.toContain('Mallory');
    }
    // Notes under an entry that reads as recorded stay as written: nothing to set back.
    const noted = now.markdown.replace(`${line}\n`, `${line}\n  - Conditional on the load test.\n`);
    const withNote = await put('kept-approvals', noted, `"${now.document.revision}"`);
    expect(withNote.status, withNote.text).toBe(200);
    expect(withNote.body.notices).toEqual([]);
    now = await read('kept-approvals');
    expect(now.markdown).toContain(`${line}\n  - Conditional on the load test.\n`);
    // Slots without a verdict stay the author's to write.
    const handWritten = now.markdown.replace(
      '**Security Review**\n- \n',
      '**Security Review**\n- Dana — approved 2026-01-02\n',
    );
    expect(handWritten).not.toBe(now.markdown);
    const kept = await put('kept-approvals', handWritten, `"${now.document.revision}"`);
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.notices).toEqual([]);
    expect((await read('kept-approvals')).markdown).toContain('- Dana — approved 2026-01-02');
  });

  it("imports a file that lacks the verdicts' lines as unchanged, saying why, and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'designdoc-import-'));
    try {
      const file = filledDocument('Imported Doc');
      writeFileSync(join(dir, 'imported.md'), file);
      const alice = systemActor(await t.server.ctx.db.getUserByName('alice'));
      const first = await importFolder(t.server.ctx, alice, dir);
      expect(first.entries.map((e) => e.action)).toEqual(['created']);
      const id = first.entries[0]?.id as string;
      const asked = await api(t.base, 'POST', `/api/v1/documents/${id}/review-requests`, {
        token: as('alice'),
        body: { slot: 'Technical Review', users: ['bob'] },
      });
      expect(asked.status, asked.text).toBe(201);
      expect((await verdict(id, 'bob', 'Technical Review')).status).toBe(201);
      const before = await read(id);
      // The file still has the Status line the review changed, so it is re-imported as it was
      // apart from that: put the new status in, and only the approval lines differ.
      writeFileSync(join(dir, 'imported.md'), file.replace(/^Status: .*$/m, 'Status: In Review'));
      const again = await importFolder(t.server.ctx, alice, dir);
      expect(again.entries).toEqual([
        {
          path: 'imported.md',
          action: 'skipped',
          reason: `unchanged (revision ${before.document.revision}): The Approvals entries of Technical Review were set back to the recorded verdicts: approvals are given through reviews. Nothing to save: the text is the same as revision ${before.document.revision}.`,
          id,
        },
      ]);
      expect((await read(id)).document.revision).toBe(before.document.revision);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an If-Match: * save when a status change or a verdict lands while it is analysed', async () => {
    const ctx = t.server.ctx;
    const pool = ctx.analysis;
    // The save's analysis is the real one; the hook makes the other write land while it runs.
    const landDuring = (write: () => Promise<void>) => {
      let pending: (() => Promise<void>) | null = write;
      ctx.analysis = {
        analyze: async (text, options) => {
          const run = pending;
          pending = null;
          if (run) await run();
          return analyzeText(ctx, text, options);
        },
        render: () => Promise.reject(new Error('not used here')),
        close: async () => {},
      };
    };
    try {
      await reviewedDocument('star-status');
      let doc = await read('star-status');
      const revision = doc.document.revision as number;
      landDuring(async () => {
        const moved = await api(t.base, 'POST', '/api/v1/documents/star-status/transitions', {
          token: as('alice'),
          body: { to: 'withdrawn' },
        });
        expect(moved.status, moved.text).toBe(200);
      });
      const refused = await put('star-status', doc.markdown.replace('## Goals', 'Edited.\n\n## Goals'), '*');
      expect(refused.status, refused.text).toBe(412);
      expect(refused.body.code).toBe('DD_E_CONFLICT');
      expect(refused.body.detail).toBe(
        'Document "star-status" moved to status "Withdrawn" while this save was made: reload and save again.',
      );
      doc = await read('star-status');
      expect(doc.document.revision).toBe(revision + 1);
      expect(doc.markdown).not.toContain('Edited.');

      // A verdict that lands while the text is analysed is read after it: its line is kept.
      await reviewedDocument('star-verdict');
      doc = await read('star-verdict');
      landDuring(async () => {
        expect((await verdict('star-verdict', 'bob', 'Technical Review')).status).toBe(201);
      });
      const kept = await put('star-verdict', doc.markdown.replace('## Goals', 'Edited.\n\n## Goals'), '*');
      expect(kept.status, kept.text).toBe(200);
      doc = await read('star-verdict');
      expect(doc.markdown).toContain('Edited.');
      expect(doc.markdown).toMatch(/^- bob — approved /m);

      // One that lands after the verdicts were read, before the save's transaction: refused.
      const db = ctx.db;
      const listVerdicts = db.listVerdicts;
      db.listVerdicts = async (id) => {
        db.listVerdicts = listVerdicts;
        const read = await listVerdicts.call(db, id);
        expect((await verdict('star-verdict', 'carol', 'Security Review')).status).toBe(201);
        return read;
      };
      const late = await put('star-verdict', doc.markdown.replace('## Goals', 'Late.\n\n## Goals'), '*');
      expect(late.status, late.text).toBe(412);
      expect(late.body.detail).toBe(
        'A verdict on document "star-verdict" was recorded while this save was made: reload and save again.',
      );
      doc = await read('star-verdict');
      expect(doc.markdown).not.toContain('Late.');
      expect(doc.markdown).toMatch(/^- carol — approved /m);

      // The same text landing meanwhile (a retry racing its first attempt) writes nothing more.
      doc = await read('star-verdict');
      const retried = doc.markdown.replace('## Goals', 'Retried.\n\n## Goals');
      landDuring(async () => {
        expect((await put('star-verdict', retried, '*')).status).toBe(200);
      });
      const second = await put('star-verdict', retried, '*');
      expect(second.status, second.text).toBe(200);
      expect(second.body.notices).toEqual([
        `Nothing to save: the text is the same as revision ${doc.document.revision + 1}.`,
      ]);
      const revisions = await api(t.base, 'GET', '/api/v1/documents/star-verdict/revisions', {
        token: as('alice'),
      });
      expect(revisions.body.items).toHaveLength(doc.document.revision + 1);
    } finally {
      if (pool) ctx.analysis = pool;
      else delete ctx.analysis;
    }
  });

  it('anchors comments to a section and quoted text, threads replies and resolves threads', async () => {
    await reviewedDocument('commented');
    const sections = await api(t.base, 'GET', '/api/v1/documents/commented/html', { token: as('bob') });
    expect(sections.text).toContain('id="security"');
    const root = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('bob'),
      body: { body: 'Which KMS?', section: 'security', quote: 'AES-256 keys held in the cloud KMS' },
    });
    expect(root.status, root.text).toBe(201);
    const wrongQuote = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('bob'),
      body: { body: 'x', section: 'security', quote: 'not in the text' },
    });
    expect(wrongQuote.status).toBe(400);
    expect(wrongQuote.body.field).toBe('quote');
    const noSection = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('bob'),
      body: { body: 'x', section: 'nowhere' },
    });
    expect(noSection.status).toBe(400);
    const reply = await api(t.base, 'POST', '/api/v1/documents/commented/comments', {
      token: as('alice'),
      body: { body: 'The platform one.', parentId: root.body.id },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.section).toBe('security');
    const resolved = await api(
      t.base,
      'POST',
      `/api/v1/documents/commented/comments/${root.body.id}/resolve`,
      { token: as('alice') },
    );
    expect(resolved.status).toBe(204);
    const threads = await api(t.base, 'GET', '/api/v1/documents/commented/comments', { token: as('carol') });
    expect(threads.body.items).toHaveLength(1);
    expect(threads.body.items[0]).toMatchObject({
      author: 'bob',
      section: 'security',
      resolved: true,
      resolvedBy: 'alice',
    });
    expect(threads.body.items[0].replies.map((r: { body: string }) => r.body)).toEqual(['The platform one.']);
  });

  it('lists open questions across documents with their age, leaving out those whose Status says settled', async () => {
    await api(t.base, 'POST', '/api/v1/documents', {
      token: as('alice'),
      body: {
        id: 'questions',
        // One unticked and still open; one unticked whose Status says it is settled (not listed,
        // as approval does not wait for it); one ticked.
        markdown: filledDocument('Questions', 'In Review')
          .replace('- [x] Who is on call', '- [ ] Who is on call')
          .replace(
            '- [x] Do refunds of monolith-era payments',
            '- [ ] Who signs off the cut-over?\n  - **Status**: Open: asking finance.\n- [x] Do refunds of monolith-era payments',
          ),
      },
    });
    clock += 3 * 86_400_000;
    const open = await api(t.base, 'GET', '/api/v1/open-questions', { token: as('bob') });
    const mine = open.body.items.filter((q: { document: string }) => q.document === 'questions');
    expect(mine).toHaveLength(1);
    expect(mine[0].question).toBe('Who signs off the cut-over?');
    expect(mine[0].questionStatus).toBe('Open: asking finance.');
    expect(mine[0].ageDays).toBeGreaterThanOrEqual(3);
  });
});
