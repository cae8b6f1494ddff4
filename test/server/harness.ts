/**
 * A real server for the integration suites: listening on an ephemeral port on 127.0.0.1 over a
 * real SQLite file in a temp folder, with users, groups and tokens made through the services.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultServerConfig,
  startServer,
  type RunningServer,
  type ServerConfig,
} from '../../src/server/index.js';
import {
  addGroupMember,
  createApiToken,
  createGroup,
  createUser,
  systemActor,
} from '../../src/server/services/index.js';
import type { DialectUnderTest } from './dialects.js';

export interface TestServer {
  server: RunningServer;
  base: string;
  dir: string;
  /** The PostgreSQL URL the server runs on (null: its data folder's SQLite file), for a second instance. */
  databaseUrl: string | null;
  /** API tokens by persona. */
  tokens: Record<string, string>;
  stop(): Promise<void>;
}

export interface Persona {
  username: string;
  role: 'admin' | 'member' | 'viewer';
  groups?: string[];
  scopes?: Array<'read' | 'write' | 'admin'>;
  displayName?: string;
}

export async function startTestServer(
  dialect: DialectUnderTest,
  personas: Persona[],
  overrides: Partial<ServerConfig> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'designdoc-server-'));
  const database = await dialect.serverDatabase();
  const config: ServerConfig = {
    ...defaultServerConfig(dir),
    port: 0,
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    logLevel: 'silent',
    loadExamples: false,
    rateLimitPerMinute: 0,
    webDist: join(dir, 'no-web-dist'),
    databaseUrl: database.databaseUrl,
    ...overrides,
  };
  const server = await startServer(config);
  const ctx = server.ctx;
  const system = systemActor();
  const groups = new Set(personas.flatMap((p) => p.groups ?? []));
  for (const group of groups) await createGroup(ctx, system, { name: group });
  const tokens: Record<string, string> = {};
  for (const persona of personas) {
    const user = await createUser(ctx, system, {
      username: persona.username,
      displayName: persona.displayName ?? persona.username,
      role: persona.role,
    });
    for (const group of persona.groups ?? []) await addGroupMember(ctx, system, group, persona.username);
    const scopes =
      persona.scopes ??
      (persona.role === 'admin'
        ? ['read', 'write', 'admin']
        : persona.role === 'member'
          ? ['read', 'write']
          : ['read']);
    const created = await createApiToken(ctx, systemActor(user), { name: 'test', scopes });
    tokens[persona.username] = created.token;
  }
  return {
    server,
    base: server.url,
    dir,
    databaseUrl: config.databaseUrl,
    tokens,
    async stop() {
      await server.close();
      await database.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Tests walk response bodies freely; each assertion states the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One HTTP call: JSON in and out by default. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  options: {
    token?: string | undefined;
    body?: unknown;
    raw?: string | Uint8Array;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body as never,
    redirect: 'manual',
  });
  const text = await response.text();
  let parsed: unknown = text;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}
