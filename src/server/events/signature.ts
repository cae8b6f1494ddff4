/**
 * Webhook signatures: HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`, sent as
 * `X-Designdoc-Signature: v1=<hex>` beside `X-Designdoc-Timestamp: <unix seconds>`. Signing the
 * timestamp with the body lets a receiver refuse replays of an old delivery; `v1=` leaves room to
 * rotate the scheme. docs/webhooks.md gives the same recipe for receivers in other languages.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-designdoc-signature';
export const TIMESTAMP_HEADER = 'x-designdoc-timestamp';

/** A new webhook secret: 32 random bytes, base64url, prefixed so it is recognisable in a vault. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * True when `signature` is a valid `v1=` signature of `body` at `timestamp` and the timestamp is
 * within `toleranceSeconds` of `now` (replay protection). Compares in constant time.
 */
export function verifySignature(
  secret: string,
  signature: string,
  timestamp: string | number,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const ts =
    typeof timestamp === 'number' ? timestamp : /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!Number.isFinite(ts)) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - ts) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, ts, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
