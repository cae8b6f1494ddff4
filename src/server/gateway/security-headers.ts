/**
 * Security headers on every response: a strict CSP (API responses may not load or run anything;
 * server pages get inline styles only), nosniff, no framing, no referrer, HSTS behind TLS.
 */
import type { FastifyInstance } from 'fastify';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
export const APP_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function installSecurityHeaders(
  app: FastifyInstance,
  options: { tls: boolean; ownCspPrefixes: readonly string[] },
): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (options.tls) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (
      !reply.hasHeader('content-security-policy') &&
      !options.ownCspPrefixes.some((p) => request.url.startsWith(p))
    ) {
      const type = String(reply.getHeader('content-type') ?? '');
      // A 304 carries no content type, yet the browser merges its headers into the cached page:
      // decide by path too, or a revalidated index.html would get the API's deny-all policy.
      const page =
        type.startsWith('text/html') || (!request.url.startsWith('/api/') && reply.statusCode === 304);
      reply.header('content-security-policy', page ? APP_CSP : API_CSP);
    }
    if (request.url.startsWith('/api/'))
      reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
    return payload;
  });
}
