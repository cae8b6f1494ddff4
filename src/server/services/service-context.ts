/**
 * What every service function receives: the repository, the cache, the clock, the templates and
 * the tunables. Built once at start by `createServiceContext` and passed explicitly, so tests can
 * give a service a fixed clock and a fresh database without globals.
 */
import type { TemplateSchema } from '../../core/template/schema.js';
import type { Cache } from '../data/cache.js';
import type { Database } from '../data/database.js';
import type { AnalysisPool } from './analysis-pool.js';

export interface ServiceConfig {
  /** Final comment period after every slot approves, in days; 0 turns it off. */
  finalCommentDays: number;
  /** Session lifetime in hours. */
  sessionHours: number;
  /** Largest document accepted, in bytes. */
  maxDocumentBytes: number;
}

export const DEFAULT_SERVICE_CONFIG: ServiceConfig = {
  finalCommentDays: 0,
  sessionHours: 24 * 7,
  maxDocumentBytes: 2 * 1024 * 1024,
};

export interface ServiceContext {
  db: Database;
  cache: Cache;
  /** Now, as a Date; tests pass a fixed or stepping clock. */
  now: () => Date;
  /** Templates by name; `design-document` is always present. */
  templates: ReadonlyMap<string, TemplateSchema>;
  config: ServiceConfig;
  /** Worker threads for save-time analysis (a running server); absent: analysis runs inline. */
  analysis?: AnalysisPool;
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function today(ctx: ServiceContext): string {
  return ctx.now().toISOString().slice(0, 10);
}

export function nowIso(ctx: ServiceContext): string {
  return ctx.now().toISOString();
}
