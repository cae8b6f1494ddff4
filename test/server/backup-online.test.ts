/**
 * `designdoc backup` of a live server's database while it saves: the server keeps answering every
 * save, and the backup is one consistent moment — every document's current revision is in it, its
 * revisions run 1..current without a gap, each text matches its SHA-256, and the revision it holds
 * lies between the ones before and after the backup ran. On SQLite this caught a backup that never
 * ended: copied a hundred pages at a time, each save from the server's connection restarted it.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run as backup } from '../../src/cli/commands/backup.js';
import type { Database } from '../../src/server/data/index.js';
import { captureCli } from '../support/cli-io.js';
import { describeEachDialect } from './dialects.js';
import { filledDocument, withBackupOpened } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

const DOCUMENTS = ['busy-a', 'busy-b', 'busy-c'];

describeEachDialect('designdoc backup of a live server', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect, [{ username: 'alice', role: 'member' }]);
    for (const id of DOCUMENTS) {
      const created = await api(t.base, 'POST', '/api/v1/documents', {
        token: t.tokens.alice,
        body: { id, markdown: filledDocument(id) },
      });
      expect(created.status, created.text).toBe(201);
    }
  });
  afterAll(async () => t?.stop());

  /** 16 MB of rows beside the documents, so that the copy takes long enough for saves to land during it. */
  async function addBulk(): Promise<void> {
    if (t.databaseUrl === null) {
      const raw = new BetterSqlite3(join(t.dir, 'data', 'designdoc.sqlite'));
      try {
        raw.exec('create table if not exists bulk (data blob)');
        const insert = raw.prepare('insert into bulk values (randomblob(4096))');
        raw.transaction(() => {
          for (let i = 0; i < 4000; i++) insert.run();
        })();
      } finally {
        raw.close();
      }
      return;
    }
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query(
        "create table if not exists bulk as select md5(i::text) || repeat('x', 4000) as data from generate_series(1, 4000) as i",
      );
    } finally {
      await client.end();
    }
  }

  async function revisions(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const id of DOCUMENTS)
      out[id] = (
        await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: t.tokens.alice })
      ).body.document.revision;
    return out;
  }

  /** Saves each document in turn until `done()`, every save answered 200; when each one landed. */
  async function keepSaving(done: () => boolean): Promise<number[]> {
    const landed: number[] = [];
    let saves = 0;
    while (!done() || saves < DOCUMENTS.length) {
      const id = DOCUMENTS[saves % DOCUMENTS.length] as string;
      const current = (await api(t.base, 'GET', `/api/v1/documents/${id}`, { token: t.tokens.alice })).body;
      const saved = await api(t.base, 'PUT', `/api/v1/documents/${id}`, {
        token: t.tokens.alice,
        body: { markdown: `${current.markdown}\nSaved during the backup (${saves}).\n` },
        headers: { 'if-match': `"${current.document.revision}"` },
      });
      expect(saved.status, saved.text).toBe(200);
      landed.push(performance.now());
      saves++;
    }
    return landed;
  }

  async function expectConsistent(
    copy: Database,
    before: Record<string, number>,
    after: Record<string, number>,
  ) {
    for (const id of DOCUMENTS) {
      const record = await copy.getDocumentBySlug(id);
      expect(record, id).not.toBeNull();
      const current = record?.currentRevision ?? 0;
      expect(current, id).toBeGreaterThanOrEqual(before[id] as number);
      expect(current, id).toBeLessThanOrEqual(after[id] as number);
      const listed = await copy.listRevisions(record?.id ?? -1);
      expect(
        listed.map((r) => r.number),
        id,
      ).toEqual(Array.from({ length: current }, (_, i) => i + 1));
      for (const { number } of listed) {
        const revision = await copy.getRevision(record?.id ?? -1, number);
        expect(
          createHash('sha256')
            .update(revision?.text ?? '', 'utf8')
            .digest('hex'),
          `${id}@${number}`,
        ).toBe(revision?.sha256);
      }
    }
  }

  it('copies one consistent moment while saves go on, and the server answers every save', async () => {
    await addBulk();
    const file = join(t.dir, 'online.backup');
    const before = await revisions();
    let finished = false;
    const saving = keepSaving(() => finished);
    const io = captureCli(t.dir, { PATH: process.env.PATH ?? '' });
    const started = performance.now();
    const code = await backup(
      [
        file,
        '--data',
        join(t.dir, 'data'),
        ...(t.databaseUrl === null ? [] : ['--database-url', t.databaseUrl]),
      ],
      io,
    );
    const ended = performance.now();
    finished = true;
    const landed = await saving;
    expect(code, io.out()).toBe(0);
    // Saves landed while the backup ran: it did not hold the database for its whole copy.
    expect(landed.filter((at) => at > started && at < ended).length).toBeGreaterThan(0);
    const after = await revisions();

    if (t.databaseUrl === null) {
      const raw = new BetterSqlite3(file, { readonly: true });
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        raw.close();
      }
    }
    await withBackupOpened(file, t.databaseUrl === null ? 'sqlite' : 'postgres', (copy) =>
      expectConsistent(copy, before, after),
    );
  });
});
