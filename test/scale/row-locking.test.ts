/**
 * Where concurrent writes meet: many writers on one base revision get exactly one winner, and a
 * read-check-write inside `transaction()` + `lockDocument()` never loses a concurrent update —
 * on every dialect (PostgreSQL with its row locks, SQLite with its single writer).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database, RevisionPayload } from '../../src/server/data/index.js';
import { openDatabase } from '../../src/server/data/index.js';
import { describeEachDialect } from '../server/dialects.js';

const AT = '2026-11-27T07:00:00.000Z';
const derived = {
  title: 'Hot',
  template: 'design-document',
  docType: null,
  status: 'draft',
  statusRaw: 'Draft',
  score: 0,
  errorCount: 0,
  supersededBy: null,
};
const payload = (text: string): RevisionPayload => ({
  text,
  sha256: text,
  authorId: null,
  message: '',
  sectionHashes: {},
  createdAt: AT,
  findings: [],
  extracts: [],
  searchMetadata: '',
});

describeEachDialect('concurrent writes', (dialect) => {
  let db: Database;
  let others: Database[] = [];
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const opened = await dialect.open();
    db = opened.db;
    cleanup = opened.cleanup;
    // Separate pools stand for separate server processes (SQLite: one process, one database).
    others =
      dialect.name === 'postgres'
        ? [await openDatabase(opened.options), await openDatabase(opened.options)]
        : [];
  });
  afterEach(async () => {
    for (const other of others) await other.close();
    await cleanup();
  });
  const writers = () => [db, ...others];

  it('gives exactly one winner among twenty writers on each base revision', async () => {
    const doc = await db.createDocument(
      { ...derived, slug: 'hot', path: null, authorId: null, labels: [] },
      payload('r1'),
    );
    for (let base = 1; base <= 5; base++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (writers()[i % writers().length] as Database).appendRevision(
            doc.id,
            base,
            derived,
            payload(`r${base + 1} by ${i}`),
          ),
        ),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
    expect((await db.listRevisions(doc.id)).map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('serialises read-check-write transactions on one document with lockDocument', async () => {
    const doc = await db.createDocument(
      { ...derived, slug: 'labels', path: null, authorId: null, labels: [] },
      payload('x'),
    );
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (writers()[i % writers().length] as Database).transaction(async (tx) => {
          const current = await tx.lockDocument(doc.id);
          // Give the others every chance to interleave between the read and the write.
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.updateDocument(doc.id, { labels: [...(current?.labels ?? []), `l${i}`] }, AT);
        }),
      ),
    );
    expect((await db.getDocument(doc.id))?.labels.sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `l${i}`).sort(),
    );
  });
});
