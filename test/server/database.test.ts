import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DesignDocError } from '../../src/core/errors.js';
import {
  openDatabase,
  type Database,
  type DatabaseOptions,
  type ExtractRecord,
  type RevisionPayload,
  type StoredExtract,
} from '../../src/server/data/index.js';
import { extractContentKey } from '../../src/server/data/extract-content-key.js';
import { describeEachDialect } from './dialects.js';
import { createMember, FIXED_NOW, revisionPayload } from './fixtures.js';

/** An extract as the documents service hands it to the data layer: with its content key. */
const stored = (extract: ExtractRecord): StoredExtract => ({
  ...extract,
  contentKey: extractContentKey(extract),
});

const NOW = FIXED_NOW;
const payload = revisionPayload;

const derived = (title: string, status: string | null = 'draft') => ({
  title,
  template: 'design-document',
  docType: 'Service',
  status,
  statusRaw: status ?? '',
  score: 50,
  errorCount: 0,
  supersededBy: null,
});

/** Runs SQL on the database `options` names, beside the repository (which stays open). */
async function runSql(options: DatabaseOptions, statement: string): Promise<Array<Record<string, unknown>>> {
  if (options.dialect === 'sqlite') {
    const raw = new BetterSqlite3(options.file);
    try {
      const prepared = raw.prepare(statement);
      if (prepared.reader) return prepared.all() as Array<Record<string, unknown>>;
      prepared.run();
      return [];
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    // count(*) is a bigint in PostgreSQL; compare as numbers.
    return (await client.query(statement)).rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
      ),
    );
  } finally {
    await client.end();
  }
}

describeEachDialect('Database repository', (dialect) => {
  let db: Database;
  let dir: string;
  let options: DatabaseOptions;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const opened = await dialect.open();
    db = opened.db;
    dir = opened.dir;
    options = opened.options;
    cleanup = opened.cleanup;
  });
  afterEach(async () => cleanup());

  it('appends a revision only on the current base: one winner per base revision', async () => {
    const doc = await db.createDocument(
      { ...derived('Payments'), slug: 'payments', path: null, authorId: null, labels: [] },
      payload('# Payments\n'),
    );
    expect(doc.currentRevision).toBe(1);
    const results = await Promise.all([
      db.appendRevision(doc.id, 1, derived('Payments'), payload('# Payments\n\nA\n')),
      db.appendRevision(doc.id, 1, derived('Payments'), payload('# Payments\n\nB\n')),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const revisions = await db.listRevisions(doc.id);
    expect(revisions.map((r) => r.number)).toEqual([1, 2]);
    expect((await db.getRevision(doc.id, 1))?.text).toBe('# Payments\n');
  });

  it('refuses a second document with the same id as a conflict', async () => {
    await db.createDocument(
      { ...derived('A'), slug: 'a', path: null, authorId: null, labels: [] },
      payload('# A\n'),
    );
    await expect(
      db.createDocument(
        { ...derived('A'), slug: 'a', path: null, authorId: null, labels: [] },
        payload('# A\n'),
      ),
    ).rejects.toMatchObject({
      code: 'DD_E_CONFLICT',
    });
  });

  it('pages through documents with a cursor, newest first, without repeats', async () => {
    for (let i = 0; i < 7; i++) {
      await db.createDocument(
        {
          ...derived(`Doc ${i}`, 'approved'),
          slug: `doc-${i}`,
          path: null,
          authorId: null,
          labels: i % 2 ? ['odd'] : [],
        },
        payload(`# Doc ${i}\n`, { createdAt: `2026-11-27T06:00:0${i}.000Z` }),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await db.listDocuments({ visibility: { all: true, userId: null } }, cursor, 3);
      seen.push(...page.items.map((d) => d.slug));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['doc-6', 'doc-5', 'doc-4', 'doc-3', 'doc-2', 'doc-1', 'doc-0']);
    const odd = await db.listDocuments({ label: 'odd', visibility: { all: true, userId: null } }, null, 10);
    expect(odd.items.map((d) => d.slug)).toEqual(['doc-5', 'doc-3', 'doc-1']);
  });

  it('hides other people’s drafts from lists and search, shows them to their author and reviewers', async () => {
    const alice = await createMember(db, 'alice');
    const bob = await createMember(db, 'bob');
    const doc = await db.createDocument(
      { ...derived('Secret draft'), slug: 'secret', path: null, authorId: alice.id, labels: [] },
      payload('# Secret draft\n\nThe ledger uses Redis for idempotency keys.\n'),
    );
    const asBob = { all: false, userId: bob.id };
    expect((await db.listDocuments({ visibility: asBob }, null, 10)).items).toHaveLength(0);
    expect(await db.search('redis', { visibility: asBob, limit: 10 })).toHaveLength(0);
    expect(
      (await db.listDocuments({ visibility: { all: false, userId: alice.id } }, null, 10)).items,
    ).toHaveLength(1);
    await db.addReviewRequest({
      documentId: doc.id,
      slot: 'Technical Review',
      userId: bob.id,
      groupId: null,
      requestedBy: alice.id,
      createdAt: NOW,
    });
    expect(await db.search('redis', { visibility: asBob, limit: 10 })).toHaveLength(1);
  });

  it('ranks title matches first and highlights snippets with HTML escaped', async () => {
    await db.createDocument(
      { ...derived('Caching layer', 'approved'), slug: 'cache', path: null, authorId: null, labels: [] },
      payload('# Caching layer\n\nWe cache <b>hot</b> pages.\n'),
    );
    await db.createDocument(
      { ...derived('Billing', 'approved'), slug: 'billing', path: null, authorId: null, labels: [] },
      payload('# Billing\n\nInvoices are cached for an hour.\n'),
    );
    const hits = await db.search('cache', { visibility: { all: true, userId: null }, limit: 10 });
    expect(hits.map((h) => h.slug)).toEqual(['cache', 'billing']);
    expect(hits.some((h) => h.snippet.includes('<mark>'))).toBe(true);
    expect(hits.every((h) => !h.snippet.includes('<b>'))).toBe(true);
  });

  it('turns a query the engine cannot parse into DD_E_SEARCH_SYNTAX', async () => {
    for (const query of ['"unterminated', 'AND', 'nosuchcolumn:word', '(((']) {
      const error = await db
        .search(query, { visibility: { all: true, userId: null }, limit: 10 })
        .catch((e: unknown) => e);
      expect(error, query).toBeInstanceOf(DesignDocError);
      expect((error as DesignDocError).code).toBe('DD_E_SEARCH_SYNTAX');
    }
    // FTS5 reads a leading `*` as a special query; neither dialect may fail with anything but a
    // syntax error (PostgreSQL finds no word in it and matches nothing).
    for (const query of ['*', '**', '*a']) {
      const outcome = await db
        .search(query, { visibility: { all: true, userId: null }, limit: 10 })
        .catch((e: unknown) => e);
      if (Array.isArray(outcome)) continue;
      expect(outcome, query).toBeInstanceOf(DesignDocError);
      expect((outcome as DesignDocError).code).toBe('DD_E_SEARCH_SYNTAX');
    }
  });

  it('answers structured queries over extracted fields of the current revision', async () => {
    const doc = await db.createDocument(
      { ...derived('Payments', 'approved'), slug: 'payments', path: null, authorId: null, labels: [] },
      payload('x', {
        extracts: [
          stored({
            kind: 'field',
            section: 'Data Model & Storage',
            label: 'Caching',
            value: 'Redis 7 cluster',
            checked: null,
            line: 10,
          }),
          stored({
            kind: 'question',
            section: 'Open Questions',
            label: '',
            value: 'Which region?',
            checked: false,
            line: 20,
          }),
        ],
      }),
    );
    const redis = await db.queryExtracts({
      contains: 'redis',
      visibility: { all: true, userId: null },
      limit: 10,
    });
    expect(redis.map((h) => [h.slug, h.label])).toEqual([['payments', 'Caching']]);
    const open = await db.queryExtracts({
      kind: 'question',
      checked: false,
      visibility: { all: true, userId: null },
      limit: 10,
    });
    expect(open).toHaveLength(1);
    await db.appendRevision(doc.id, 1, derived('Payments', 'approved'), payload('y', { extracts: [] }));
    expect(
      await db.queryExtracts({ contains: 'redis', visibility: { all: true, userId: null }, limit: 10 }),
    ).toHaveLength(0);
    expect(
      await db.queryExtracts({ contains: '100%', visibility: { all: true, userId: null }, limit: 10 }),
    ).toHaveLength(0);
  });

  it('keeps extracts equal to the latest revision through moves, duplicates, toggles and removals', async () => {
    type Extract = RevisionPayload['extracts'][number];
    const field = (label: string, value: string, line: number): Extract =>
      stored({ kind: 'field', section: 'Architecture', label, value, checked: null, line });
    const question = (value: string, checked: boolean, line: number): Extract =>
      stored({ kind: 'question', section: 'Open Questions', label: '', value, checked, line });
    const all = { visibility: { all: true, userId: null }, limit: 100 } as const;
    const current = async () =>
      (await db.queryExtracts({ ...all }))
        .filter((hit) => hit.slug === 'extract-diff')
        .map((hit) => [hit.kind, hit.label, hit.value, hit.checked, hit.line])
        .sort((a, b) => Number(a[4]) - Number(b[4]));
    const revisions: Extract[][] = [
      [field('Cache', 'Redis', 3), field('Store', 'PostgreSQL', 4), question('Which region?', false, 9)],
      // A paragraph inserted above: everything moves down; a duplicate value appears twice.
      [
        field('Cache', 'Redis', 7),
        field('Store', 'PostgreSQL', 8),
        field('Store', 'PostgreSQL', 9),
        question('Which region?', false, 13),
      ],
      // The question is answered (checked), one duplicate goes, a field changes value.
      [field('Cache', 'Memcached', 7), field('Store', 'PostgreSQL', 8), question('Which region?', true, 12)],
      [],
      [field('Cache', 'Redis', 1)],
    ];
    const doc = await db.createDocument(
      { ...derived('Extract diff', 'draft'), slug: 'extract-diff', path: null, authorId: null, labels: [] },
      payload('r1', { extracts: revisions[0] as Extract[] }),
    );
    const expected = (list: Extract[]) =>
      list
        .map((e) => [e.kind, e.label, e.value, e.checked, e.line])
        .sort((a, b) => Number(a[4]) - Number(b[4]));
    expect(await current()).toEqual(expected(revisions[0] as Extract[]));
    for (let i = 1; i < revisions.length; i++) {
      if (i === 2) {
        // Rows written before extracts had content keys: they match nothing and are replaced.
        await runSql(options, 'update extracts set content_key = null');
      }
      const saved = await db.appendRevision(
        doc.id,
        i,
        derived('Extract diff', 'draft'),
        payload(`r${i + 1}`, { extracts: revisions[i] as Extract[] }),
      );
      expect(saved?.currentRevision).toBe(i + 1);
      expect(await current(), `revision ${i + 1}`).toEqual(expected(revisions[i] as Extract[]));
    }
    expect(await runSql(options, 'select count(*) as n from extracts where content_key is null')).toEqual([
      { n: 0 },
    ]);
  });

  it('backs up online into a file that opens as a complete database', async () => {
    // PostgreSQL's pg_dump archive is restored and checked in test/server/backup.test.ts.
    if (db.capabilities.backupFormat !== 'sqlite') return;
    await db.createDocument(
      { ...derived('Kept'), slug: 'kept', path: null, authorId: null, labels: [] },
      payload('# Kept\n'),
    );
    const file = join(dir, 'backup.sqlite');
    await db.backupTo(file);
    expect(existsSync(file)).toBe(true);
    const copy = await openDatabase({ dialect: 'sqlite', file });
    expect((await copy.getDocumentBySlug('kept'))?.title).toBe('Kept');
    expect(await copy.search('kept', { visibility: { all: true, userId: null }, limit: 5 })).toHaveLength(1);
    await copy.close();
  });
});
