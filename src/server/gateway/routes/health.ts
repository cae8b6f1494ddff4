/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ServiceContext } from '../../services/index.js';

export async function healthRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  registry: Registry,
  options: { metricsPublic: boolean },
): Promise<void> {
  app.get(
    '/healthz',
    { config: { policy: 'public' }, schema: { tags: ['operations'], summary: 'Liveness' } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { policy: 'public' },
      schema: { tags: ['operations'], summary: 'Readiness: the database answers' },
    },
    async (_request, reply) => {
      const database = await ctx.db.ping();
      return reply.status(database ? 200 : 503).send({
        status: database ? 'ready' : 'unavailable',
        database: database ? 'ok' : 'down',
        dialect: ctx.db.capabilities.name,
      });
    },
  );

  app.get(
    '/metrics',
    {
      // Document counts by status are the only business data here; a server whose port is
      // reachable from outside can ask for a read token instead (metricsPublic: false).
      config: { policy: options.metricsPublic ? 'public' : 'documents.list' },
      schema: { tags: ['operations'], summary: 'Prometheus metrics' },
    },
    async (_request, reply) => {
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
