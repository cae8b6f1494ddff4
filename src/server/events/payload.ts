/**
 * What a webhook receives for an event: designdoc's own JSON envelope, or a Slack-compatible
 * message (`{"text": …}`, mrkdwn links) that an incoming-webhook URL of Slack, Mattermost or
 * Rocket.Chat posts as is.
 */
import type { EventRecord, WebhookFormat } from '../data/events.js';

/** The JSON envelope every `json` webhook receives. */
export interface EventEnvelope {
  id: string;
  type: string;
  createdAt: string;
  actor: string | null;
  document: { id: string; url: string | null } | null;
  data: Record<string, unknown>;
}

export function eventEnvelope(event: EventRecord, publicUrl: string | null): EventEnvelope {
  return {
    id: `evt_${event.id}`,
    type: event.kind,
    createdAt: event.createdAt,
    actor: event.actor,
    document:
      event.documentSlug === null
        ? null
        : { id: event.documentSlug, url: documentUrl(publicUrl, event.documentSlug) },
    data: event.data,
  };
}

function documentUrl(publicUrl: string | null, slug: string): string | null {
  return publicUrl === null ? null : `${publicUrl.replace(/\/+$/, '')}/documents/${encodeURIComponent(slug)}`;
}

/** Slack's three control characters; everything else in mrkdwn text is literal. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const VERBS: Record<string, string> = {
  'document.created': 'created',
  'document.revised': 'revised',
  'document.status_changed': 'changed the status of',
  'review.requested': 'requested a review of',
  'review.approved': 'approved',
  'review.changes_requested': 'requested changes to',
  'concern.raised': 'raised a blocking concern on',
  'concern.lifted': 'lifted a concern on',
  'comment.added': 'commented on',
  'approval.stale': 'made an approval stale on',
};

/** One line a person reads in a chat channel. */
export function slackText(event: EventRecord, publicUrl: string | null): string {
  const who = event.actor === null ? 'designdoc' : `*${slackEscape(event.actor)}*`;
  const title =
    typeof event.data.title === 'string' ? event.data.title : (event.documentSlug ?? 'a document');
  const url = event.documentSlug === null ? null : documentUrl(publicUrl, event.documentSlug);
  const target = url === null ? `_${slackEscape(title)}_` : `<${url}|${slackEscape(title)}>`;
  const details: string[] = [];
  if (typeof event.data.slot === 'string') details.push(slackEscape(event.data.slot));
  if (typeof event.data.from === 'string' && typeof event.data.to === 'string')
    details.push(`${slackEscape(event.data.from)} → ${slackEscape(event.data.to)}`);
  if (typeof event.data.revision === 'number') details.push(`revision ${event.data.revision}`);
  return `${who} ${VERBS[event.kind] ?? event.kind} ${target}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** The request body for `format`. */
export function webhookBody(event: EventRecord, format: WebhookFormat, publicUrl: string | null): string {
  if (format === 'slack') return JSON.stringify({ text: slackText(event, publicUrl) });
  return JSON.stringify(eventEnvelope(event, publicUrl));
}
