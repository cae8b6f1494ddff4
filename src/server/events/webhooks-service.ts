/**
 * Managing webhooks (admin): create (the secret is returned once), list, change, delete, the
 * delivery log with every attempt, and redelivery. No HTTP here: the gateway's webhook routes call
 * these and map their `DesignDocError`s to statuses like every other service.
 */
import { DesignDocError } from '../../core/errors.js';
import {
  EVENT_KINDS,
  type AttemptRecord,
  type DeliveryRecord,
  type WebhookFormat,
  type WebhookRecord,
} from '../data/events.js';
import type { Actor } from '../services/actor.js';
import { recordAudit } from '../services/audit.js';
import { nowIso, type ServiceContext } from '../services/service-context.js';
import { newWebhookSecret } from './signature.js';

/** A webhook as the API shows it: never its secret. */
export type WebhookView = Omit<WebhookRecord, 'secret'>;

export interface WebhookInput {
  url: string;
  events?: string[];
  format?: WebhookFormat;
  description?: string;
  active?: boolean;
}

function present(webhook: WebhookRecord): WebhookView {
  const { secret: _secret, ...view } = webhook;
  return view;
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DesignDocError('DD_E_VALIDATION', `The webhook URL "${url}" is not a URL.`, {
      location: { field: 'url' },
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `The webhook URL must be http:// or https://, got ${parsed.protocol}//.`,
      { location: { field: 'url' } },
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      'Put no credentials in the webhook URL; receivers verify the signature instead.',
      { location: { field: 'url' } },
    );
  }
  return parsed.toString();
}

function checkEvents(events: string[] | undefined): string[] {
  const wanted = events ?? ['*'];
  if (wanted.length === 0)
    throw new DesignDocError('DD_E_VALIDATION', 'Name at least one event type, or "*" for all.', {
      location: { field: 'events' },
    });
  for (const kind of wanted) {
    if (kind !== '*' && !(EVENT_KINDS as readonly string[]).includes(kind)) {
      throw new DesignDocError(
        'DD_E_VALIDATION',
        `"${kind}" is not an event type; known: *, ${EVENT_KINDS.join(', ')}.`,
        { location: { field: 'events' } },
      );
    }
  }
  return [...new Set(wanted)];
}

async function requireWebhook(ctx: ServiceContext, id: number): Promise<WebhookRecord> {
  const webhook = await ctx.db.events.getWebhook(id);
  if (!webhook)
    throw new DesignDocError('DD_E_NOT_FOUND', `No webhook has the id ${id}.`, { location: { field: 'id' } });
  return webhook;
}

/** Creates a webhook; the response is the only time its signing secret is shown. */
export async function createWebhook(
  ctx: ServiceContext,
  actor: Actor,
  input: WebhookInput,
): Promise<{ webhook: WebhookView; secret: string }> {
  const secret = newWebhookSecret();
  const webhook = await ctx.db.events.createWebhook({
    url: checkUrl(input.url),
    secret,
    events: checkEvents(input.events),
    format: input.format ?? 'json',
    active: input.active ?? true,
    description: input.description ?? '',
    createdAt: nowIso(ctx),
  });
  await recordAudit(ctx, actor, 'webhook.create', `webhook:${webhook.id}`, {
    url: webhook.url,
    events: webhook.events,
    format: webhook.format,
  });
  return { webhook: present(webhook), secret };
}

export async function listWebhooks(ctx: ServiceContext): Promise<WebhookView[]> {
  return (await ctx.db.events.listWebhooks()).map(present);
}

export async function updateWebhook(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  input: Partial<WebhookInput>,
): Promise<WebhookView> {
  await requireWebhook(ctx, id);
  await ctx.db.events.updateWebhook(id, {
    ...(input.url !== undefined ? { url: checkUrl(input.url) } : {}),
    ...(input.events !== undefined ? { events: checkEvents(input.events) } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  });
  await recordAudit(ctx, actor, 'webhook.update', `webhook:${id}`, { fields: Object.keys(input) });
  return present(await requireWebhook(ctx, id));
}

export async function deleteWebhook(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  await requireWebhook(ctx, id);
  await ctx.db.events.deleteWebhook(id);
  await recordAudit(ctx, actor, 'webhook.delete', `webhook:${id}`);
}

export interface DeliveryView extends DeliveryRecord {
  attemptLog: AttemptRecord[];
}

/** The newest deliveries of a webhook with every attempt of each. */
export async function listWebhookDeliveries(
  ctx: ServiceContext,
  id: number,
  limit = 50,
): Promise<DeliveryView[]> {
  await requireWebhook(ctx, id);
  const deliveries = await ctx.db.events.listDeliveries(id, limit);
  return Promise.all(
    deliveries.map(async (d) => ({ ...d, attemptLog: await ctx.db.events.listAttempts(d.id) })),
  );
}

/** Sends a delivery's event again as a new delivery (the old one keeps its log). */
export async function redeliverWebhookDelivery(
  ctx: ServiceContext,
  actor: Actor,
  deliveryId: number,
): Promise<DeliveryRecord> {
  const delivery = await ctx.db.events.redeliver(deliveryId, nowIso(ctx));
  await recordAudit(ctx, actor, 'webhook.redeliver', `webhook:${delivery.webhookId}`, {
    delivery: deliveryId,
    newDelivery: delivery.id,
  });
  return delivery;
}
