/**
 * The external services some suites need — PostgreSQL and Redis on the loopback — found or
 * declared missing once per test process. On a user's machine without them a suite prints
 * `SKIPPED <suite>: <reason>` and passes; with CI=true their absence fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

/** A database on the server this URL names is used only to create and drop per-run databases. */
export const POSTGRES_ADMIN_URL =
  process.env.DESIGNDOC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.DESIGNDOC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type ExternalService = 'postgres' | 'redis' | 'nginx';

const probes = new Map<ExternalService, Promise<string | null>>();

/** Null when the service answers; otherwise why not. */
function probe(service: ExternalService): Promise<string | null> {
  let pending = probes.get(service);
  if (!pending) {
    pending = service === 'postgres' ? probePostgres() : service === 'redis' ? probeRedis() : probeNginx();
    probes.set(service, pending);
  }
  return pending;
}

/** The nginx binary: `NGINX_BIN`, else on PATH or in /usr/sbin. */
export function nginxBinary(): string | null {
  const candidates = [
    process.env.NGINX_BIN,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nginx')),
    '/usr/sbin/nginx',
  ];
  return (
    candidates.find((file): file is string => typeof file === 'string' && file !== '' && existsSync(file)) ??
    null
  );
}

async function probeNginx(): Promise<string | null> {
  return nginxBinary() === null ? 'nginx is not installed (set NGINX_BIN or put nginx on PATH)' : null;
}

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${POSTGRES_ADMIN_URL} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRedis(): Promise<string | null> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `Redis at ${REDIS_URL} is not reachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

/**
 * True when every named service answers. When one does not: with CI=true this throws (the suite
 * fails); otherwise it prints `SKIPPED <suite>: <reason>` and returns false so the caller skips.
 */
export async function requireServices(suite: string, ...services: ExternalService[]): Promise<boolean> {
  for (const service of services) {
    const reason = await probe(service);
    if (reason === null) continue;
    if (process.env.CI === 'true') throw new Error(`${suite}: ${reason} (required with CI=true)`);
    console.warn(`SKIPPED ${suite}: ${reason}`);
    return false;
  }
  return true;
}

/** A unique name for something this run creates (a database, a Redis key prefix). */
export function runScopedName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export interface TestPostgresDatabase {
  name: string;
  url: string;
  /** Drops the database (any connections still open are ended by the server). */
  drop(): Promise<void>;
}

/** Creates an empty database for one test run on the PostgreSQL server; drop it afterwards. */
export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const name = runScopedName('designdoc_test');
  await adminQuery(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
