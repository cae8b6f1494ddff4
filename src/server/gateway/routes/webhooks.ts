/** Webhooks (admin): create, list, change, delete, the delivery log, and redelivery. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  redeliverWebhookDelivery,
  updateWebhook,
} from '../../events/webhooks-service.js';
import type { ServiceContext } from '../../services/index.js';
import { NoFieldsBody, Strict } from '../schemas.js';

const tags = ['webhooks'];
const Format = Type.Union([Type.Literal('json'), Type.Literal('slack')]);
const WebhookBody = Strict({
  url: Type.String({ minLength: 1, maxLength: 2000 }),
  events: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 32 })),
  format: Type.Optional(Format),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  active: Type.Optional(Type.Boolean()),
});
type WebhookBody = Static<typeof WebhookBody>;
const WebhookPatch = Type.Partial(WebhookBody, { additionalProperties: false, minProperties: 1 });
type WebhookPatch = Static<typeof WebhookPatch>;
const IdParams = Strict({ id: Type.Integer({ minimum: 1 }) });
const LimitQuery = Strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });

export async function webhookRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  app.get(
    '/webhooks',
    { config: { policy: 'admin' }, schema: { tags, summary: 'Webhooks (secrets are never shown again)' } },
    async () => ({
      items: await listWebhooks(ctx),
    }),
  );

  app.post<{ Body: WebhookBody }>(
    '/webhooks',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Create a webhook; the response holds its signing secret, once',
        body: WebhookBody,
      },
    },
    async (request, reply) => reply.status(201).send(await createWebhook(ctx, request.actor, request.body)),
  );

  app.patch<{ Params: { id: number }; Body: WebhookPatch }>(
    '/webhooks/:id',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Change a webhook', params: IdParams, body: WebhookPatch },
    },
    async (request) => updateWebhook(ctx, request.actor, request.params.id, request.body),
  );

  app.delete<{ Params: { id: number } }>(
    '/webhooks/:id',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log',
        params: IdParams,
        body: NoFieldsBody,
      },
    },
    async (request, reply) => {
      await deleteWebhook(ctx, request.actor, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { id: number }; Querystring: { limit?: number } }>(
    '/webhooks/:id/deliveries',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'The delivery log, newest first, with every attempt',
        params: IdParams,
        querystring: LimitQuery,
      },
    },
    async (request) => ({
      items: await listWebhookDeliveries(ctx, request.params.id, request.query.limit ?? 50),
    }),
  );

  app.post<{ Params: { id: number } }>(
    '/webhooks/deliveries/:id/redeliver',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Send a delivery’s event again (a new delivery)',
        params: IdParams,
        body: NoFieldsBody,
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send({ delivery: await redeliverWebhookDelivery(ctx, request.actor, request.params.id) }),
  );
}
