/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ServiceContext } from '../../services/index.js';

export async function healthRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  registry: Registry,
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
    { config: { policy: 'public' }, schema: { tags: ['operations'], summary: 'Prometheus metrics' } },
    async (_request, reply) => {
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
