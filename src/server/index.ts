/**
 * The server's entry: opens the database (the one dialect switch lives in `data/`), the cache, the
 * services and the gateway, performs first-start setup and listens.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import {
  databaseOptionsFor,
  openCache,
  openDatabase,
  openRateLimitStore,
  type Database,
  type UserRecord,
} from './data/index.js';
import { DesignDocError } from '../core/errors.js';
import { startOutboxPruner } from './events/outbox-retention.js';
import { startWebhookWorker } from './events/webhook-worker.js';
import { buildGateway } from './gateway/app.js';
import {
  createDocument,
  createServiceContext,
  decodeMarkdown,
  ensureInitialAdmin,
  preparePassword,
  settleFinalCommentPeriods,
  systemActor,
  type ServiceContext,
} from './services/index.js';
import type { ServerConfig } from './config.js';
import { createAnalysisPool } from './services/analysis-pool.js';

export { loadServerConfig, defaultServerConfig, SERVER_FLAGS, type ServerConfig } from './config.js';
export { buildGateway, type GatewayOptions } from './gateway/app.js';

/** The package root (this file sits at src/server/, dist/server/ and, bundled, dist/bundle/ alike). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function databaseFile(config: Pick<ServerConfig, 'dataDir'>): string {
  return join(config.dataDir, 'designdoc.sqlite');
}

/** Opens the data layer and the services for a data folder (CLI commands share this). */
export async function openServices(
  config: Pick<ServerConfig, 'dataDir' | 'templatesDir' | 'finalCommentDays'> &
    Partial<Pick<ServerConfig, 'databaseUrl' | 'redisUrl'>>,
): Promise<ServiceContext> {
  const where = {
    databaseUrl: config.databaseUrl ?? null,
    redisUrl: config.redisUrl ?? null,
    sqliteFile: databaseFile(config),
  };
  const db: Database = await openDatabase(databaseOptionsFor(where));
  let cache: Awaited<ReturnType<typeof openCache>>;
  try {
    cache = await openCache(where);
  } catch (error) {
    // A Redis that does not answer: the database's pool must not keep the process alive.
    await db.close().catch(() => undefined);
    throw error;
  }
  return createServiceContext({
    db,
    cache,
    templatesDir: config.templatesDir,
    config: { finalCommentDays: config.finalCommentDays },
  });
}

export interface RunningServer {
  app: FastifyInstance;
  ctx: ServiceContext;
  url: string;
  /** Set on first start only: the admin's one-time password. */
  initialAdmin: { username: string; password: string } | null;
  /** Example documents loaded on first start. */
  examples: string[];
  close(): Promise<void>;
}

async function loadExamples(ctx: ServiceContext, admin: UserRecord | null): Promise<string[]> {
  const dir = join(PACKAGE_ROOT, 'examples');
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort();
  } catch {
    return [];
  }
  const loaded: string[] = [];
  for (const file of files) {
    const text = decodeMarkdown(readFileSync(join(dir, file)), file);
    const record = await createDocument(ctx, systemActor(admin), {
      markdown: text,
      path: file,
      message: 'Example loaded on first start',
    });
    loaded.push(record.slug);
  }
  return loaded;
}

/** Starts the server with a resolved configuration. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  // A process-wide V8 setting, read at every full collection, so it applies from here on.
  if (config.heapGrowingPercent > 0)
    setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  // No database file yet: a first start, which will create the admin. Its password hash starts
  // now, on the thread pool, and is ready by the time the database and the gateway are.
  const prepared =
    config.databaseUrl === null && !existsSync(databaseFile(config)) ? preparePassword() : null;
  const ctx = await openServices(config);
  const tls =
    config.tlsCert && config.tlsKey
      ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }
      : null;
  const rateLimitStore = await openRateLimitStore({
    redisUrl: config.redisUrl,
    databaseUrl: config.databaseUrl,
    sqliteFile: databaseFile(config),
  });
  const app = await buildGateway(ctx, {
    rateLimitStore,
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
              remove: true,
            },
          },
    bodyLimit: config.bodyLimitBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    loginPerMinute: config.loginPerMinute,
    webDist: config.webDist ?? join(PACKAGE_ROOT, 'web', 'dist'),
    tls,
    trustProxy: config.trustProxy,
    metricsPublic: config.metricsPublic,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  // Save-time analysis and rendering on worker threads, beside request handling (null from the TS
  // sources). Started once the port is ours, so a start that fails leaves no worker behind.
  const analysis =
    config.analysisThreads > 0
      ? createAnalysisPool({
          templates: [...ctx.templates.values()],
          size: config.analysisThreads,
          onWorkerError: (error) =>
            app.log.warn({ err: error }, 'analysis worker failed; its work runs on the request thread'),
        })
      : null;
  if (analysis) ctx.analysis = analysis;
  // The admin is created once the port is ours: a start that cannot listen (port in use) must
  // not create an admin whose one-time password it never gets to print.
  // Instances started together over one database race to create the admin; one wins, the others
  // see the conflict and start as later instances do.
  let initialAdmin: Awaited<ReturnType<typeof ensureInitialAdmin>>;
  let examples: string[];
  try {
    initialAdmin = await ensureInitialAdmin(ctx, systemActor(), prepared).catch((error: unknown) => {
      if (error instanceof DesignDocError && error.code === 'DD_E_CONFLICT') return null;
      throw error;
    });
    examples =
      initialAdmin && config.loadExamples ? await loadExamples(ctx, await ctx.db.getUserByName('admin')) : [];
  } catch (error) {
    await analysis?.close();
    await app.close();
    throw error;
  }
  const timer = setInterval(() => {
    settleFinalCommentPeriods(ctx, systemActor()).catch((error: unknown) =>
      app.log.error({ err: error }, 'final comment period sweep failed'),
    );
  }, 60_000);
  timer.unref();
  const webhooks = startWebhookWorker({
    db: ctx.db,
    publicUrl: config.publicUrl ?? null,
    onError: (error: unknown) => app.log.error({ err: error }, 'webhook delivery round failed'),
  });
  const pruner = startOutboxPruner({
    db: ctx.db,
    retentionDays: config.webhookRetentionDays,
    deadRetentionDays: config.webhookDeadRetentionDays,
    onError: (error: unknown) => app.log.error({ err: error }, 'webhook outbox retention run failed'),
    onRun: (totals) => {
      if (totals.deliveries + totals.events > 0) app.log.info({ retention: totals }, 'webhook outbox pruned');
    },
  });
  return {
    app,
    ctx,
    url: address,
    initialAdmin,
    examples,
    async close() {
      clearInterval(timer);
      try {
        await webhooks.stop();
        await pruner.stop();
        await app.close();
        rateLimitStore?.redis.disconnect();
        await ctx.cache.close();
      } finally {
        // Whatever failed above, the database still closes (and indexes what is pending).
        try {
          await ctx.db.close();
        } finally {
          await analysis?.close();
        }
      }
    },
  };
}
