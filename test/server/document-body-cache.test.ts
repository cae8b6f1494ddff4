/**
 * The per-process cache of document bodies (124de76) is a module-level LRU keyed by
 * `body:<row id>:<revision>:<updatedAt>`, with nothing naming the database. Two servers in one
 * process (the exported `startServer`/`buildGateway`, test suites) over different databases then
 * share entries: a document with the same row id, revision and timestamp in the second database is
 * served with the first database's body. The shared cache (Redis) is prefixed per database for
 * exactly this reason. Found in review: the byte cache now belongs to each server's routes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIALECTS } from './dialects.js';
import { filledDocument } from './fixtures.js';
import { api, startTestServer, type TestServer } from './harness.js';

const sqlite = DIALECTS.find((dialect) => dialect.name === 'sqlite');
let one: TestServer;
let two: TestServer;

beforeAll(async () => {
  if (!sqlite) throw new Error('no sqlite dialect');
  one = await startTestServer(sqlite, [{ username: 'alice', role: 'member' }]);
  two = await startTestServer(sqlite, [{ username: 'alice', role: 'member' }]);
  // Services read the clock through the context ("tests give a service a fixed clock"): both
  // servers write at the same instant, as two instances or two suites may.
  const fixed = new Date('2026-11-27T10:00:00.000Z');
  one.server.ctx.now = () => fixed;
  two.server.ctx.now = () => fixed;
});

afterAll(async () => {
  await one?.stop();
  await two?.stop();
});

it('serves each database its own document body', async () => {
  const create = (t: TestServer, markdown: string) =>
    api(t.base, 'POST', '/api/v1/documents', {
      token: t.tokens.alice,
      body: { markdown, id: 'shared-name' },
    });
  const first = filledDocument('Alpha body', 'Draft');
  const second = filledDocument('Beta body', 'Draft');
  expect((await create(one, first)).status).toBe(201);
  expect((await create(two, second)).status).toBe(201);

  const readOne = await api(one.base, 'GET', '/api/v1/documents/shared-name', { token: one.tokens.alice });
  expect(readOne.body.markdown).toBe(first);
  const readTwo = await api(two.base, 'GET', '/api/v1/documents/shared-name', { token: two.tokens.alice });
  expect(readTwo.status).toBe(200);
  expect(readTwo.body.markdown).toBe(second);
});
