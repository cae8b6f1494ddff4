/**
 * Search through the repository on every dialect: relevance (title above body, however old the
 * title match), column filters, NOT, prefixes, phrases, highlighted snippets, and the visibility
 * rule when the best-ranked matches are documents the reader may not see. The ranking reads a
 * bounded set of candidates on both engines (see docs/DESIGN.md and docs/scaling.md); these tests
 * pin what must hold whatever the bound.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database, RevisionPayload, Visibility } from '../../src/server/data/index.js';
import { describeEachDialect } from './dialects.js';
import { createMember, revisionPayload } from './fixtures.js';

const ALL: Visibility = { all: true, userId: null };
const payload = (text: string, searchMetadata = ''): RevisionPayload =>
  revisionPayload(text, { searchMetadata });

describeEachDialect('Search', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const opened = await dialect.open();
    db = opened.db;
    cleanup = opened.cleanup;
  });
  afterEach(async () => cleanup());

  let slugs = 0;
  async function add(
    title: string,
    body: string,
    options: { status?: string; authorId?: number | null; metadata?: string } = {},
  ) {
    const status = options.status ?? 'approved';
    return db.createDocument(
      {
        title,
        template: 'design-document',
        docType: 'Service',
        status,
        statusRaw: status,
        score: 50,
        errorCount: 0,
        supersededBy: null,
        slug: `doc-${++slugs}`,
        path: null,
        authorId: options.authorId ?? null,
        labels: [],
      },
      payload(`# ${title}\n\n${body}\n`, options.metadata ?? `Status: ${status}`),
    );
  }

  const titles = async (query: string, visibility: Visibility = ALL, limit = 10) =>
    (await db.search(query, { visibility, limit })).map((h) => h.title);

  it('ranks an old title match above 250 newer documents that mention the word only in the body', async () => {
    const old = await add('Kafka retention', 'How long the brokers keep the events.');
    for (let i = 0; i < 250; i++) await add(`Service ${i}`, `This service publishes to kafka topic ${i}.`);
    const hits = await db.search('kafka', { visibility: ALL, limit: 5 });
    expect(hits[0]?.documentId).toBe(old.id);
    expect(hits).toHaveLength(5);
    // Lower is better on every dialect.
    expect(hits.map((h) => h.rank)).toEqual([...hits.map((h) => h.rank)].sort((a, b) => a - b));
  });

  it('answers with what the reader may see even when the best matches are other people’s drafts', async () => {
    const alice = await createMember(db, 'alice');
    const bob = await createMember(db, 'bob');
    await add('Ledger', 'The ledger is written once; the ledger is read by billing.');
    await add('Payments', 'Payments post to the ledger.');
    // Twelve drafts that rank above both (the word in the title), hidden from Bob.
    for (let i = 0; i < 12; i++)
      await add(`Ledger draft ${i}`, 'A ledger idea.', { status: 'draft', authorId: alice.id });
    const asBob = { all: false, userId: bob.id };
    expect(await titles('ledger', asBob, 2)).toEqual(['Ledger', 'Payments']);
    expect(await titles('ledger', { all: false, userId: alice.id }, 2)).toHaveLength(2);
    expect((await titles('ledger', { all: false, userId: alice.id }, 2))[0]).toMatch(/^Ledger/);
  });

  it('returns every match of a word found in fewer documents than a page', async () => {
    await add('Alpha', 'Mentions zeppelin once.');
    await add('Beta', 'Nothing to see.');
    await add('Gamma', 'Zeppelin twice: zeppelin.');
    expect((await titles('zeppelin')).sort()).toEqual(['Alpha', 'Gamma']);
  });

  it('filters by column: title:, metadata:, and a title word with another word anywhere', async () => {
    await add('Redis cluster', 'Failover takes seconds; latency stays low.');
    await add('Cache warmer', 'Warms Redis before traffic arrives.', { metadata: 'Owner: platform' });
    await add('Latency budget', 'Every hop gets a share.', { metadata: 'Owner: redis team' });
    expect(await titles('title:redis')).toEqual(['Redis cluster']);
    expect(await titles('metadata:redis')).toEqual(['Latency budget']);
    expect(await titles('title:redis latency')).toEqual(['Redis cluster']);
    expect(await titles('title:redis warms')).toEqual([]);
    expect((await titles('title:cache OR title:latency')).sort()).toEqual(['Cache warmer', 'Latency budget']);
  });

  it('reads punctuation between words as the tokenizer does, on both engines: never a syntax error', async () => {
    await add('Payments-service rollout', "The e-mail relay for C++ clients; don't page on/off hours.");
    await add('Ledger', 'Nothing about the relay.');
    expect(await titles('payments-service')).toEqual(['Payments-service rollout']);
    expect(await titles('e-mail')).toEqual(['Payments-service rollout']);
    expect(await titles('"e-mail relay"')).toEqual(['Payments-service rollout']);
    expect(await titles('title:payments-service')).toEqual(['Payments-service rollout']);
    for (const query of ['C++', "don't", 'on/off', '<script>', 'a.b', 'pay{ments}', '^ledger', 'x,y'])
      await expect(db.search(query, { visibility: ALL, limit: 10 }), query).resolves.toBeInstanceOf(Array);
    // Nothing but punctuation holds no word: no match, not an error.
    expect(await titles('<->')).toEqual([]);
    // The language's own syntax keeps its meaning.
    expect(await titles('relay NOT payments')).toEqual(['Ledger']);
    await expect(db.search('"unterminated', { visibility: ALL, limit: 10 })).rejects.toMatchObject({
      code: 'DD_E_SEARCH_SYNTAX',
    });
  });

  it('excludes a NOT word found in any column, matches phrases and prefixes, and highlights them', async () => {
    await add('Feature flags service', 'Serves feature flags to every client. Uses Kafka.');
    await add('Flag cleanup', 'Removes stale flags; the feature is quiet.');
    await add('Caching strategy', 'We cache <b>hot</b> pages and cached fragments.');
    expect(await titles('"feature flags"')).toEqual(['Feature flags service']);
    expect((await titles('flags NOT kafka')).sort()).toEqual(['Flag cleanup']);
    const hits = await db.search('cach*', { visibility: ALL, limit: 10 });
    expect(hits.map((h) => h.title)).toEqual(['Caching strategy']);
    expect(hits[0]?.snippet).toMatch(/<mark>cach/i);
    // A prefix longer than SQLite's indexed lengths (2-4) is highlighted the same way.
    const longer = await db.search('strat*', { visibility: ALL, limit: 10 });
    expect(longer.map((h) => h.title)).toEqual(['Caching strategy']);
    expect(longer[0]?.snippet).toMatch(/<mark>strategy<\/mark>/i);
    // Markup in the text never reaches the snippet as markup (escaped, or dropped by ts_headline).
    expect(hits[0]?.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/<|>/);
  });
});
