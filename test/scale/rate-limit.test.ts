/**
 * Rate limits hold across instances: two server processes over one PostgreSQL and one Redis count
 * sign-in attempts and API requests together, so alternating between instances does not double
 * an attacker's budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../../src/server/index.js';
import { createApiToken, createUser, systemActor } from '../../src/server/services/index.js';
import {
  createTestPostgresDatabase,
  REDIS_URL,
  requireServices,
  type TestPostgresDatabase,
} from '../support/services.js';
import { startInstance, stopInstances, type Instance } from './cluster.js';

const available = await requireServices('shared rate limits', 'postgres', 'redis');

describe.skipIf(!available)('rate limits shared by two instances', () => {
  let database: TestPostgresDatabase;
  let instances: Instance[] = [];
  let token = '';

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    const options = {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      env: { DESIGNDOC_LOGIN_LIMIT: '3', DESIGNDOC_RATE_LIMIT: '8' },
    };
    instances = await Promise.all([startInstance(0, options), startInstance(1, options)]);
    const ctx = await openServices({
      dataDir: '/nonexistent',
      templatesDir: null,
      finalCommentDays: 0,
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
    });
    const user = await createUser(ctx, systemActor(), {
      username: 'limited',
      displayName: 'Limited',
      role: 'member',
    });
    token = (await createApiToken(ctx, systemActor(user), { name: 'rl', scopes: ['read'] })).token;
    await ctx.cache.close();
    await ctx.db.close();
  }, 120_000);

  afterAll(async () => {
    await stopInstances(instances);
    await database?.drop();
  });

  it('counts sign-in attempts for one account on every instance together', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const instance = instances[i % 2] as Instance;
      const response = await fetch(`${instance.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: `wrong-${i}` }),
      });
      statuses.push(response.status);
    }
    // Three attempts in all, wherever they land; the fourth and fifth are refused on both instances.
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it('counts API requests of one user on every instance together', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const instance = instances[i % 2] as Instance;
      statuses.push(
        (await fetch(`${instance.url}/api/v1/documents`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      );
    }
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });
});

if (!available) it.skip('shared rate limits (PostgreSQL or Redis not available)', () => undefined);
