/**
 * The one authorisation chokepoint. Every route declares `config.policy` (checked when the route
 * is registered: a route without one stops the server from starting). Each request is
 * authenticated once (API token or session cookie), its target document loaded once, and the
 * policy asked once, before validation and the handler run.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DesignDocError } from '../../core/errors.js';
import {
  anonymousActor,
  authorize,
  findDocument,
  isNamedReviewer,
  resolveApiToken,
  resolveSession,
  type Actor,
  type ServiceContext,
} from '../services/index.js';
import { ACTIONS } from '../services/policy.js';

export const SESSION_COOKIE = 'designdoc_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How many times header `name` (lower case) was sent: rawHeaders alternates names and values. */
function headerCount(rawHeaders: readonly string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2)
    if ((rawHeaders[i] as string).length === name.length && (rawHeaders[i] as string).toLowerCase() === name)
      count++;
  return count;
}

async function authenticate(ctx: ServiceContext, request: FastifyRequest): Promise<Actor> {
  const ip = request.ip ?? null;
  const header = request.headers.authorization;
  if (header !== undefined) {
    // Node keeps the first Authorization header and drops the others: which credential was meant
    // is unknown, so two of them are refused (the raw header list still has every one).
    const count = headerCount(request.raw.rawHeaders, 'authorization');
    if (count > 1)
      throw new DesignDocError(
        'DD_E_VALIDATION',
        `The request has ${count} Authorization headers; send exactly one.`,
        { location: { field: 'Authorization' } },
      );
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m)
      throw new DesignDocError('DD_E_UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
    const actor = await resolveApiToken(ctx, m[1] as string, ip);
    if (!actor)
      throw new DesignDocError(
        'DD_E_UNAUTHENTICATED',
        'The API token is not valid (unknown, revoked, or its user is disabled).',
      );
    return actor;
  }
  const sessionId = request.cookies?.[SESSION_COOKIE];
  if (sessionId) {
    request.sessionId = sessionId;
    const actor = await resolveSession(ctx, sessionId, ip);
    if (actor) return actor;
  }
  return anonymousActor(ip);
}

/** Installs the chokepoint on `app` (call before any route is registered). */
export function installAuthorization(
  app: FastifyInstance,
  ctx: ServiceContext,
  publicPrefixes: readonly string[],
): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('document', null);
  app.decorateRequest('sessionId', null);

  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { policy?: string };
    if (config.policy === undefined) {
      if (publicPrefixes.some((prefix) => route.url.startsWith(prefix))) {
        route.config = { ...(route.config ?? {}), policy: 'public' } as NonNullable<typeof route.config>;
        return;
      }
      throw new Error(`Route ${String(route.method)} ${route.url} declares no authorisation policy.`);
    }
    if (!(config.policy in ACTIONS))
      throw new Error(`Route ${route.url} names an unknown policy "${config.policy}".`);
  });

  app.addHook('onRequest', async (request, reply) => {
    request.actor = await authenticate(ctx, request);
    if (request.actor.user) {
      // The completion log line is written through reply.log: both carry the user.
      request.log = request.log.child({ user: request.actor.user.username });
      reply.log = request.log;
    }
  });

  app.addHook('preValidation', async (request) => {
    const policy = request.routeOptions.config.policy ?? 'public';
    const rule = ACTIONS[policy];
    // Cookies ride along on cross-site requests; a cookie-authenticated write must prove it came
    // from a page of ours by echoing the session's CSRF token.
    if (
      policy !== 'public' &&
      request.actor.via === 'session' &&
      !SAFE_METHODS.has(request.method) &&
      request.headers[CSRF_HEADER] !== request.actor.csrfToken
    ) {
      throw new DesignDocError(
        'DD_E_FORBIDDEN',
        `A write with a session cookie needs the ${CSRF_HEADER} header returned at sign-in.`,
      );
    }
    let facts = null;
    if (rule.document) {
      const id = (request.params as { id?: string }).id;
      const document = id === undefined ? null : await findDocument(ctx, id);
      if (!document) {
        // Ask for a credential before saying whether the document exists.
        authorize(request.actor, 'documents.list', null);
        throw new DesignDocError('DD_E_NOT_FOUND', `No document has the id "${id ?? ''}".`, {
          location: { field: 'id' },
        });
      }
      request.document = document;
      const isReviewer =
        document.status === 'draft' && request.actor.user !== null
          ? await isNamedReviewer(ctx, request.actor, document)
          : false;
      facts = { document, isReviewer };
    }
    authorize(request.actor, policy, facts);
  });
}
