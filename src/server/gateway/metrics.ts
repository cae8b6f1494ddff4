/**
 * Prometheus metrics: request latency by route, cache hit ratio, database time, documents by
 * status, plus the default process metrics.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceContext } from '../services/index.js';

export function installMetrics(app: FastifyInstance, ctx: ServiceContext): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'designdoc_' });
  const latency = new Histogram({
    name: 'designdoc_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'designdoc_cache_hit_ratio',
    help: 'Cache hits / (hits + misses) since start',
    registers: [registry],
    collect() {
      const { hits, misses } = ctx.cache.stats();
      this.set(hits + misses === 0 ? 0 : hits / (hits + misses));
    },
  });
  new Counter({
    name: 'designdoc_cache_requests_total',
    help: 'Cache lookups by result',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      const { hits, misses } = ctx.cache.stats();
      this.reset();
      this.inc({ result: 'hit' }, hits);
      this.inc({ result: 'miss' }, misses);
    },
  });
  new Counter({
    name: 'designdoc_database_seconds_total',
    help: 'Time spent in database queries',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(ctx.db.queryTimeSeconds());
    },
  });
  new Gauge({
    name: 'designdoc_documents',
    help: 'Documents (not archived) by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await ctx.db.countDocumentsByStatus()) this.set({ status: row.status }, row.count);
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  return registry;
}
