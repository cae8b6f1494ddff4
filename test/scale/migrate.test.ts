/**
 * `designdoc migrate --from DATA_DIR --to postgres://…`: the shared corpus imported into SQLite
 * moves into PostgreSQL with identical counts, revisions and rendered output, verified by the
 * command's own per-table checksums; accounts, tokens, reviews and comments come along; a second
 * migrate into the now non-empty database is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { run as importRun } from '../../src/cli/commands/import.js';
import { run as migrateRun } from '../../src/cli/commands/migrate.js';
import type { DocumentRecord } from '../../src/server/data/index.js';
import { renderDocumentHtml } from '../../src/server/gateway/render-document.js';
import { openServices } from '../../src/server/index.js';
import {
  addComment,
  createApiToken,
  createDocument,
  createUser,
  requestReview,
  resolveApiToken,
  systemActor,
  type ServiceContext,
} from '../../src/server/services/index.js';
import { corpusRoot, requireCorpus } from '../support/corpus.js';
import {
  createTestPostgresDatabase,
  requireServices,
  type TestPostgresDatabase,
} from '../support/services.js';
import { filledDocument } from '../server/fixtures.js';

const available = await requireServices('designdoc migrate', 'postgres');

function io(cwd: string): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stderr.on('data', (chunk) => (err += String(chunk)));
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    cwd,
    env: {},
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}

async function allDocuments(ctx: ServiceContext): Promise<DocumentRecord[]> {
  const out: DocumentRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await ctx.db.listDocuments(
      { visibility: { all: true, userId: null }, archived: 'include' },
      cursor,
      500,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out.sort((a, b) => a.id - b.id);
}

describe.skipIf(!available)('designdoc migrate into PostgreSQL', () => {
  let dir: string;
  const databases: TestPostgresDatabase[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-migrate-'));
  });
  afterAll(async () => {
    for (const database of databases) await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  /** The services over a migrated PostgreSQL database. */
  const openMigrated = (url: string) =>
    openServices({ dataDir: join(dir, 'unused'), templatesDir: null, finalCommentDays: 0, databaseUrl: url });

  it('moves accounts, tokens, reviews and comments; the token still authenticates; a second migrate is refused', async () => {
    const data = join(dir, 'small');
    const source = await openServices({ dataDir: data, templatesDir: null, finalCommentDays: 0 });
    const alice = await createUser(source, systemActor(), {
      username: 'alice',
      displayName: 'Alice',
      role: 'member',
    });
    const bob = await createUser(source, systemActor(), {
      username: 'bob',
      displayName: 'Bob',
      role: 'member',
    });
    const token = (
      await createApiToken(source, systemActor(alice), { name: 'ci', scopes: ['read', 'write'] })
    ).token;
    const doc = await createDocument(source, systemActor(alice), {
      markdown: filledDocument('Moved Service'),
      id: 'moved-service',
    });
    await requestReview(source, systemActor(alice), doc.slug, {
      slot: 'Technical Review',
      users: [bob.username],
    });
    await addComment(source, systemActor(bob), doc.slug, { body: 'Which region first?' });
    await source.cache.close();
    await source.db.close();

    const target = await createTestPostgresDatabase();
    databases.push(target);
    const out = io(dir);
    expect(await migrateRun(['--from', data, '--to', target.url], out)).toBe(0);
    expect(out.err()).toBe('');
    expect(out.out()).toMatch(/counts and checksums match/);
    expect(out.out()).toMatch(/verified review_requests: 1 → 1 rows/);

    const moved = await openMigrated(target.url);
    expect((await resolveApiToken(moved, token, null))?.user?.username).toBe('alice');
    expect(
      (await moved.db.listComments((await moved.db.getDocumentBySlug('moved-service'))!.id)).map(
        (c) => c.body,
      ),
    ).toEqual(['Which region first?']);
    // New rows after the move get fresh ids (the sequences were advanced past the copied ones).
    const carol = await createUser(moved, systemActor(), {
      username: 'carol',
      displayName: 'Carol',
      role: 'viewer',
    });
    expect(carol.id).toBeGreaterThan(bob.id);
    expect(
      (await moved.db.search('moved', { visibility: { all: true, userId: null }, limit: 5 })).map(
        (h) => h.slug,
      ),
    ).toEqual(['moved-service']);
    await moved.cache.close();
    await moved.db.close();

    await expect(migrateRun(['--from', data, '--to', target.url], io(dir))).rejects.toMatchObject({
      code: 'DD_E_CONFLICT',
    });
  });

  it("carries documents still pending in the SQLite search index into PostgreSQL's", async () => {
    const data = join(dir, 'pending');
    const source = await openServices({ dataDir: data, templatesDir: null, finalCommentDays: 0 });
    await createDocument(source, systemActor(), {
      markdown: filledDocument('Aardvark Service'),
      id: 'indexed',
    });
    const pending = await createDocument(source, systemActor(), {
      markdown: filledDocument('Zebrafish Service'),
      id: 'pending',
    });
    await source.cache.close();
    await source.db.close();
    // A save committed but never indexed, and indexing that keeps failing (a trigger refuses to
    // take the document off the queue): migrate's own open cannot drain it.
    const raw = new BetterSqlite3(join(data, 'designdoc.sqlite'));
    const indexed = raw
      .prepare('select title, metadata from documents_fts where rowid = ?')
      .get(pending.id) as { title: string; metadata: string };
    raw.prepare('delete from documents_fts where rowid = ?').run(pending.id);
    raw
      .prepare('insert into search_pending (document_id, title, metadata) values (?, ?, ?)')
      .run(pending.id, indexed.title, indexed.metadata);
    raw.exec(
      "create trigger keep_pending before delete on search_pending begin select raise(abort, 'kept'); end",
    );
    raw.close();

    const target = await createTestPostgresDatabase();
    databases.push(target);
    expect(await migrateRun(['--from', data, '--to', target.url, '--quiet'], io(dir))).toBe(0);
    const moved = await openMigrated(target.url);
    try {
      const slugs = async (query: string) =>
        (await moved.db.search(query, { visibility: { all: true, userId: null }, limit: 5 })).map(
          (hit) => hit.slug,
        );
      expect(await slugs('zebrafish')).toEqual(['pending']);
      expect(await slugs('aardvark')).toEqual(['indexed']);
    } finally {
      await moved.cache.close();
      await moved.db.close();
    }
  });

  it('moves the shared corpus with identical counts, revisions and rendered output', async () => {
    if (!requireCorpus('designdoc migrate (corpus)')) return;
    const data = join(dir, 'corpus');
    const imported = io(dir);
    expect(await importRun([corpusRoot, '--data', data, '--quiet'], imported)).toBe(0);
    const target = await createTestPostgresDatabase();
    databases.push(target);
    const migrated = io(dir);
    expect(await migrateRun(['--from', data, '--to', target.url, '--quiet'], migrated)).toBe(0);
    expect(migrated.err()).toBe('');

    const sqlite = await openServices({ dataDir: data, templatesDir: null, finalCommentDays: 0 });
    const postgres = await openMigrated(target.url);
    try {
      expect(await postgres.db.countDocumentsByStatus()).toEqual(
        expect.arrayContaining(await sqlite.db.countDocumentsByStatus()),
      );
      const [a, b] = [await allDocuments(sqlite), await allDocuments(postgres)];
      expect(a.length).toBeGreaterThan(2000);
      expect(b).toEqual(a);
      for (const record of a) {
        const [ra, rb] = [
          await sqlite.db.listRevisions(record.id),
          await postgres.db.listRevisions(record.id),
        ];
        expect(rb, record.slug).toEqual(ra);
        expect(await renderDocumentHtml(postgres, record), record.slug).toBe(
          await renderDocumentHtml(sqlite, record),
        );
      }
    } finally {
      for (const ctx of [sqlite, postgres]) {
        await ctx.cache.close();
        await ctx.db.close();
      }
    }
  }, 600_000);
});

if (!available) it.skip('designdoc migrate (PostgreSQL not available)', () => undefined);
