/**
 * What the server's CLI commands share: the server flags, resolving the configuration from flags,
 * environment and config file, opening the services on a data folder, and the serve lock that
 * keeps `restore` from pulling the database out from under a running server.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIO } from '../cli/command.js';
import { DesignDocError } from '../core/errors.js';
import { loadServerConfig, SERVER_FLAGS, type ServerConfig } from './config.js';
import { openServices } from './index.js';
import { systemActor, type Actor, type ServiceContext } from './services/index.js';

/** `parseArgs` options for every server setting plus `--config` and `--help`. */
export const SERVER_FLAG_OPTIONS = Object.fromEntries([
  ...SERVER_FLAGS.map((flag) => [flag, { type: 'string' as const }]),
  ['config', { type: 'string' as const }],
  ['help', { type: 'boolean' as const, short: 'h' }],
]) as Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The configuration from parsed flags (strings), the environment and the config file. */
export function configFromFlags(
  values: Record<string, string | boolean | undefined>,
  io: CliIO,
): ServerConfig {
  const flags: Record<string, string | boolean> = {};
  for (const flag of SERVER_FLAGS) {
    const value = values[flag];
    if (value !== undefined) flags[flag] = value;
  }
  const configFile = typeof values.config === 'string' ? values.config : null;
  return loadServerConfig({ flags, env: io.env, cwd: io.cwd, configFile });
}

/**
 * Opens the services on the configured data folder, runs `work`, closes. With `existing`, a data
 * folder without a database is an error rather than a new empty one: a mistyped `--data` must
 * not answer "no users" or export nothing as if that were the truth.
 */
export async function withServices<T>(
  config: ServerConfig,
  work: (ctx: ServiceContext, actor: Actor) => Promise<T>,
  options: { existing?: boolean } = {},
): Promise<T> {
  if (
    options.existing &&
    config.databaseUrl === null &&
    !existsSync(join(config.dataDir, 'designdoc.sqlite'))
  )
    throw new DesignDocError(
      'DD_E_FILE_NOT_FOUND',
      'no designdoc database in this data folder (designdoc.sqlite); check --data, or start the server there first',
      { location: { file: config.dataDir, field: 'dataDir' } },
    );
  let ctx: ServiceContext;
  try {
    ctx = await openServices(config);
  } catch (error) {
    throw explainStartError(error, config);
  }
  try {
    const admin = (await ctx.db.listUsers()).find((u) => u.role === 'admin' && u.disabledAt === null) ?? null;
    return await work(ctx, systemActor(admin));
  } finally {
    // A Redis cache's connection would keep the command alive after its work is done.
    try {
      await ctx.cache.close();
    } finally {
      await ctx.db.close();
    }
  }
}

export function lockFile(config: Pick<ServerConfig, 'dataDir'>): string {
  return join(config.dataDir, 'server.pid');
}

/** Records this process as the server of the data folder. */
export function takeServeLock(config: Pick<ServerConfig, 'dataDir'>): () => void {
  const file = lockFile(config);
  const holder = runningServerPid(config);
  if (holder !== null && holder !== process.pid) {
    throw new DesignDocError(
      'DD_E_CONFLICT',
      `Another server (pid ${holder}) is serving ${config.dataDir}.`,
      { location: { file } },
    );
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

/** The pid of a live server on this data folder, or null. */
export function runningServerPid(config: Pick<ServerConfig, 'dataDir'>): number | null {
  const file = lockFile(config);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * What went wrong starting the server, as an operator reads it: the setting or file to fix, not
 * an errno. Errors designdoc already explains pass through unchanged.
 */
export function explainStartError(error: unknown, config: ServerConfig): unknown {
  if (error instanceof DesignDocError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const syscall = (error as NodeJS.ErrnoException).syscall;
  const at = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE')
    return new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `port ${config.port} on ${config.host} is already in use; choose another with --port`,
      {
        location: { field: 'port' },
        cause: error,
      },
    );
  if ((code === 'EACCES' || code === 'EPERM') && syscall === 'listen')
    return new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `not allowed to listen on ${at} (ports below 1024 need privileges); choose another with --port`,
      {
        location: { field: 'port' },
        cause: error,
      },
    );
  if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN')
    return new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `host ${config.host} is not an address of this machine; check --host`,
      {
        location: { field: 'host' },
        cause: error,
      },
    );
  if (code === 'EEXIST' || code === 'ENOTDIR')
    return new DesignDocError(
      'DD_E_CONFIG_INVALID',
      'the data folder is a file, not a folder; check --data',
      {
        location: { file: config.dataDir, field: 'dataDir' },
        cause: error,
      },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new DesignDocError(
      'DD_E_FILE_UNWRITABLE',
      `cannot write in the data folder (${code === 'EROFS' ? 'read-only file system' : 'permission denied'})`,
      {
        location: { file: config.dataDir, field: 'dataDir' },
        cause: error,
      },
    );
  if (/file is not a database|database disk image is malformed|unable to open database file/i.test(message))
    return new DesignDocError(
      'DD_E_FILE_UNREADABLE',
      `not a usable designdoc database (${message}); restore a backup with \`designdoc restore\` or move the file away`,
      {
        location: { file: config.databaseUrl ? 'database' : join(config.dataDir, 'designdoc.sqlite') },
        cause: error,
      },
    );
  return error;
}
