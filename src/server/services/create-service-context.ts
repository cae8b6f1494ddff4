/** Builds the service context from the data layer, the cache and the loaded templates. */
import type { TemplateSchema } from '../../core/template/schema.js';
import { loadTemplates } from '../../node/templates.js';
import type { Cache } from '../data/cache.js';
import type { Database } from '../data/database.js';
import { DEFAULT_SERVICE_CONFIG, type ServiceConfig, type ServiceContext } from './service-context.js';

export interface CreateServiceContextOptions {
  db: Database;
  cache: Cache;
  templatesDir?: string | null;
  config?: Partial<ServiceConfig>;
  now?: () => Date;
  /** Already compiled templates (tests); skips loading. */
  templates?: readonly TemplateSchema[];
}

export async function createServiceContext(options: CreateServiceContextOptions): Promise<ServiceContext> {
  const schemas = options.templates ?? (await loadTemplates({ templatesDir: options.templatesDir ?? null }));
  return {
    db: options.db,
    cache: options.cache,
    now: options.now ?? (() => new Date()),
    templates: new Map(schemas.map((s) => [s.name, s])),
    config: { ...DEFAULT_SERVICE_CONFIG, ...options.config },
  };
}
