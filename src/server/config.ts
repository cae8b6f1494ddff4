/**
 * Server configuration: command-line flags, then `DESIGNDOC_*` environment variables, then a
 * JSON config file (`designdoc.server.json` in the working folder, or `--config FILE`), then
 * defaults — validated at start with errors that name the source and the setting.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DesignDocError } from '../core/errors.js';
import { readRegularFileSync } from '../node/read-document-file.js';

export interface ServerConfig {
  port: number;
  host: string;
  /** Folder for the SQLite file (and backups by default). */
  dataDir: string;
  templatesDir: string | null;
  /** Built web UI served at `/` when present. */
  webDist: string | null;
  finalCommentDays: number;
  rateLimitPerMinute: number;
  loginPerMinute: number;
  bodyLimitBytes: number;
  tlsCert: string | null;
  tlsKey: string | null;
  trustProxy: boolean;
  /**
   * `/metrics` for anyone who can reach the port (Prometheus' usual setup, the port kept off the
   * internet); false asks for a signed-in caller or an API token with the read scope.
   */
  metricsPublic: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load `examples/*.md` on first start. */
  loadExamples: boolean;
  /** `postgres://…` selects PostgreSQL instead of the SQLite file in the data folder. */
  databaseUrl: string | null;
  /** `redis://…` shares the cache, rate limits and invalidation across instances. */
  redisUrl: string | null;
  /** The address users reach the server at (links in webhook payloads), e.g. `https://designdoc.example.com`. */
  publicUrl: string | null;
  /** Days delivered webhook deliveries (with their attempt log) and their events are kept; 0 keeps everything. */
  webhookRetentionDays: number;
  /** Days dead-lettered deliveries are kept unless redelivered; 0 keeps them until redelivered. */
  webhookDeadRetentionDays: number;
  /**
   * Worker threads that analyse saves (parse, lint, extract) beside request handling; 0 analyses
   * on the request thread. Default: the cores less one, at most 4 — one on a two-core machine,
   * where the request thread is what limits saves (BENCHMARKS.md, API, session 7) — and none on
   * one core, where a worker only adds the hand-off.
   */
  analysisThreads: number;
  /**
   * How far V8 lets the old generation grow past what a full collection found alive, in percent
   * (V8's `--heap-growing-percent`); 0 leaves V8's own choice, which lets garbage reach several
   * times the live heap before it collects. Default 30: the server's live heap is small (tens of
   * MiB) and its garbage, mostly the models of past saves, otherwise decides its memory.
   */
  heapGrowingPercent: number;
}

type Kind = 'port' | 'string' | 'path' | 'int' | 'bool' | 'level' | 'url';

const SETTINGS: Record<keyof ServerConfig, { flag: string; env: string; kind: Kind }> = {
  port: { flag: 'port', env: 'DESIGNDOC_PORT', kind: 'port' },
  host: { flag: 'host', env: 'DESIGNDOC_HOST', kind: 'string' },
  dataDir: { flag: 'data', env: 'DESIGNDOC_DATA', kind: 'path' },
  templatesDir: { flag: 'templates', env: 'DESIGNDOC_TEMPLATES', kind: 'path' },
  webDist: { flag: 'web', env: 'DESIGNDOC_WEB', kind: 'path' },
  finalCommentDays: { flag: 'final-comment-days', env: 'DESIGNDOC_FINAL_COMMENT_DAYS', kind: 'int' },
  rateLimitPerMinute: { flag: 'rate-limit', env: 'DESIGNDOC_RATE_LIMIT', kind: 'int' },
  loginPerMinute: { flag: 'login-limit', env: 'DESIGNDOC_LOGIN_LIMIT', kind: 'int' },
  bodyLimitBytes: { flag: 'body-limit', env: 'DESIGNDOC_BODY_LIMIT', kind: 'int' },
  tlsCert: { flag: 'tls-cert', env: 'DESIGNDOC_TLS_CERT', kind: 'path' },
  tlsKey: { flag: 'tls-key', env: 'DESIGNDOC_TLS_KEY', kind: 'path' },
  trustProxy: { flag: 'trust-proxy', env: 'DESIGNDOC_TRUST_PROXY', kind: 'bool' },
  metricsPublic: { flag: 'metrics-public', env: 'DESIGNDOC_METRICS_PUBLIC', kind: 'bool' },
  logLevel: { flag: 'log-level', env: 'DESIGNDOC_LOG_LEVEL', kind: 'level' },
  loadExamples: { flag: 'examples', env: 'DESIGNDOC_EXAMPLES', kind: 'bool' },
  databaseUrl: { flag: 'database-url', env: 'DESIGNDOC_DATABASE_URL', kind: 'url' },
  redisUrl: { flag: 'redis-url', env: 'DESIGNDOC_REDIS_URL', kind: 'url' },
  publicUrl: { flag: 'public-url', env: 'DESIGNDOC_PUBLIC_URL', kind: 'url' },
  webhookRetentionDays: {
    flag: 'webhook-retention-days',
    env: 'DESIGNDOC_WEBHOOK_RETENTION_DAYS',
    kind: 'int',
  },
  webhookDeadRetentionDays: {
    flag: 'webhook-dead-retention-days',
    env: 'DESIGNDOC_WEBHOOK_DEAD_RETENTION_DAYS',
    kind: 'int',
  },
  analysisThreads: { flag: 'analysis-threads', env: 'DESIGNDOC_ANALYSIS_THREADS', kind: 'int' },
  heapGrowingPercent: { flag: 'heap-growing-percent', env: 'DESIGNDOC_HEAP_GROWING_PERCENT', kind: 'int' },
};

const URL_SCHEMES: Partial<Record<keyof ServerConfig, string[]>> = {
  databaseUrl: ['postgres:', 'postgresql:'],
  redisUrl: ['redis:', 'rediss:'],
  publicUrl: ['https:', 'http:'],
};

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function defaultServerConfig(cwd: string): ServerConfig {
  return {
    port: 3000,
    host: '127.0.0.1',
    dataDir: resolve(cwd, '.designdoc'),
    templatesDir: null,
    webDist: null,
    finalCommentDays: 0,
    rateLimitPerMinute: 6000,
    loginPerMinute: 10,
    bodyLimitBytes: 4 * 1024 * 1024,
    tlsCert: null,
    tlsKey: null,
    trustProxy: false,
    metricsPublic: true,
    logLevel: 'info',
    loadExamples: true,
    databaseUrl: null,
    redisUrl: null,
    publicUrl: null,
    webhookRetentionDays: 14,
    webhookDeadRetentionDays: 90,
    analysisThreads: Math.max(0, Math.min(4, availableParallelism() - 1)),
    heapGrowingPercent: 30,
  };
}

function convert(key: keyof ServerConfig, kind: Kind, raw: unknown, source: string, cwd: string): unknown {
  const fail = (expected: string): never => {
    throw new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `${source}: ${key} must be ${expected}, got ${JSON.stringify(raw)}.`,
      { location: { field: key } },
    );
  };
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (kind) {
    case 'port': {
      const n = typeof text === 'number' ? text : /^\d+$/.test(String(text)) ? Number(text) : NaN;
      return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : fail('a port number 0–65535');
    }
    case 'int': {
      const n = typeof text === 'number' ? text : /^\d+$/.test(String(text)) ? Number(text) : NaN;
      return Number.isInteger(n) && n >= 0 ? n : fail('a whole number ≥ 0');
    }
    case 'bool':
      if (text === true || text === 'true' || text === '1' || text === 'yes') return true;
      if (text === false || text === 'false' || text === '0' || text === 'no') return false;
      return fail('true or false');
    case 'level':
      return typeof text === 'string' && LEVELS.includes(text) ? text : fail(`one of ${LEVELS.join(', ')}`);
    case 'path':
      if (text === null) return null;
      return typeof text === 'string' && text !== ''
        ? isAbsolute(text)
          ? text
          : resolve(cwd, text)
        : fail('a path');
    case 'string':
      return typeof text === 'string' && text !== '' ? text : fail('a non-empty string');
    case 'url': {
      if (text === null) return null;
      const schemes = URL_SCHEMES[key] ?? [];
      let protocol = '';
      try {
        protocol = new URL(String(text)).protocol;
      } catch {
        // fall through to the message below
      }
      // The message never echoes the URL: it may hold a password.
      if (typeof text !== 'string' || !schemes.includes(protocol)) {
        throw new DesignDocError(
          'DD_E_CONFIG_INVALID',
          `${source}: ${key} must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}.`,
          { location: { field: key } },
        );
      }
      return text;
    }
  }
}

export interface ConfigSources {
  /** Parsed flags by flag name (`port`, `data`, …), values as strings or true. */
  flags: Record<string, string | boolean>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Explicit config file (`--config`); else `designdoc.server.json` in cwd when present. */
  configFile?: string | null;
}

/** Resolves and validates the configuration from its sources. */
export function loadServerConfig(sources: ConfigSources): ServerConfig {
  const config = defaultServerConfig(sources.cwd) as unknown as Record<string, unknown>;
  const file =
    sources.configFile ?? sources.env.DESIGNDOC_CONFIG ?? resolve(sources.cwd, 'designdoc.server.json');
  const explicit = Boolean(sources.configFile ?? sources.env.DESIGNDOC_CONFIG);
  if (existsSync(file)) {
    let data: unknown;
    let text: string;
    try {
      text = readRegularFileSync(file, file, 1024 * 1024).toString('utf8');
    } catch (error) {
      throw new DesignDocError('DD_E_CONFIG_INVALID', `${(error as DesignDocError).message}.`, {
        location: { file },
        cause: error,
      });
    }
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new DesignDocError('DD_E_CONFIG_INVALID', `not valid JSON (${(error as Error).message}).`, {
        location: { file },
        cause: error,
      });
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new DesignDocError('DD_E_CONFIG_INVALID', `expected a JSON object of settings.`, {
        location: { file },
      });
    }
    for (const [key, value] of Object.entries(data)) {
      const setting = SETTINGS[key as keyof ServerConfig];
      if (!setting) {
        throw new DesignDocError(
          'DD_E_CONFIG_INVALID',
          `unknown setting "${key}"; known: ${Object.keys(SETTINGS).join(', ')}.`,
          { location: { file, field: key } },
        );
      }
      config[key] = convert(key as keyof ServerConfig, setting.kind, value, file, sources.cwd);
    }
  } else if (explicit) {
    throw new DesignDocError('DD_E_FILE_NOT_FOUND', `config file not found: ${file}`, { location: { file } });
  }
  for (const [key, setting] of Object.entries(SETTINGS) as Array<
    [keyof ServerConfig, (typeof SETTINGS)[keyof ServerConfig]]
  >) {
    const value = sources.env[setting.env];
    if (value !== undefined && value !== '')
      config[key] = convert(key, setting.kind, value, `environment ${setting.env}`, sources.cwd);
  }
  for (const [key, setting] of Object.entries(SETTINGS) as Array<
    [keyof ServerConfig, (typeof SETTINGS)[keyof ServerConfig]]
  >) {
    const value = sources.flags[setting.flag];
    if (value !== undefined)
      config[key] = convert(key, setting.kind, value, `--${setting.flag}`, sources.cwd);
  }
  const result = config as unknown as ServerConfig;
  if ((result.tlsCert === null) !== (result.tlsKey === null)) {
    throw new DesignDocError(
      'DD_E_CONFIG_INVALID',
      'TLS needs both a certificate (--tls-cert) and a key (--tls-key).',
      { location: { field: 'tlsCert' } },
    );
  }
  if (
    result.webhookRetentionDays > 0 &&
    result.webhookDeadRetentionDays > 0 &&
    result.webhookDeadRetentionDays < result.webhookRetentionDays
  ) {
    // Dead letters are what an operator still has to act on; they never go before delivered ones.
    throw new DesignDocError(
      'DD_E_CONFIG_INVALID',
      `webhookDeadRetentionDays (${result.webhookDeadRetentionDays}) must be at least webhookRetentionDays (${result.webhookRetentionDays}), or 0 to keep dead-lettered deliveries until redelivered.`,
      { location: { field: 'webhookDeadRetentionDays' } },
    );
  }
  return result;
}

/** The flag names `serve` accepts (for usage errors). */
export const SERVER_FLAGS = Object.values(SETTINGS).map((s) => s.flag);
