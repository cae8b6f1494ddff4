/**
 * The HTTP gateway: Fastify with the authorisation chokepoint, validation, body and rate limits,
 * security headers, request ids, problem+json errors, OpenAPI, metrics and the routes. It only
 * translates HTTP to service calls and back.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Duplex } from 'node:stream';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type HTTPMethods,
} from 'fastify';
import { DesignDocError, ERROR_CODES } from '../../core/errors.js';
import { isWellFormed } from '../../core/well-formed.js';
import type { ServiceContext } from '../services/index.js';
import { installAuthorization } from './authorization.js';
import { installMetrics } from './metrics.js';
import { whereUtf8Fails } from '../../node/read-document-file.js';
import { sendProblem, toDesignDocError, unsupportedCharset, unsupportedMediaType } from './problem.js';
import { accountRoutes } from './routes/accounts.js';
import { discoveryRoutes } from './routes/discovery.js';
import { workspaceRoutes } from './routes/workspace.js';
import { webhookRoutes } from './routes/webhooks.js';
import { documentRoutes } from './routes/documents.js';
import { healthRoutes } from './routes/health.js';
import { pageRoutes } from './routes/pages.js';
import { reviewRoutes } from './routes/reviews.js';
import { OPTIONAL_BODY, Strict } from './schemas.js';
import { installSecurityHeaders } from './security-headers.js';
import { installValidation } from './validation.js';
import './fastify-types.js';

export interface GatewayOptions {
  /** pino logger options, or false for none. */
  logger?: FastifyServerOptions['logger'];
  /** Largest JSON body accepted, in bytes. */
  bodyLimit?: number;
  /** Requests per minute per client on the API (0 turns the general limit off). */
  rateLimitPerMinute?: number;
  /** Sign-in attempts per minute per address and username. */
  loginPerMinute?: number;
  /** Serve this built web UI at `/` when it exists. */
  webDist?: string | null;
  /** TLS is terminated here (Secure cookies, HSTS). */
  tls?: { key: Buffer; cert: Buffer } | null;
  trustProxy?: boolean;
  /** `/metrics` without signing in (default); false: signed-in callers and read tokens only. */
  metricsPublic?: boolean;
  /** Rate-limit counters shared by every instance (Redis); each process counts alone when absent. */
  rateLimitStore?: { redis: unknown; nameSpace: string } | null;
}

const REQUEST_ID = /^[\w.-]{1,64}$/;

/** A problem+json response written straight to the socket of a request HTTP could not parse. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return;
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const detail = tooLarge
    ? 'The request headers (or the URL) are larger than the server accepts.'
    : `The request is not valid HTTP (${error.code ?? 'unparseable'}).`;
  const body = JSON.stringify({
    type: 'https://designdoc.dev/problems/dd-e-validation',
    title: ERROR_CODES.DD_E_VALIDATION,
    status,
    detail,
    code: 'DD_E_VALIDATION',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/**
 * Records the methods routes are registered with (an onRoute hook: call before any route), and
 * returns the lookup of the methods whose routes match a request URL — Fastify's own router asked
 * once per known method. A catch-all (`/*`, the web UI's static files) matches every path and so
 * says nothing about this one: it is left out, and an unknown path stays a 404.
 */
function installMethodIndex(app: FastifyInstance): (url: string) => string[] {
  const methods = new Set<HTTPMethods>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) methods.add(String(method).toUpperCase() as HTTPMethods);
  });
  return (url) => {
    const allowed: string[] = [];
    for (const method of methods) {
      const found = app.findRoute({ method, url }) as { params?: Record<string, unknown> } | null;
      if (found !== null && !Object.hasOwn(found.params ?? {}, '*')) allowed.push(method);
    }
    return allowed.sort();
  };
}

/**
 * An API route that takes no query parameters refuses any (400 naming it), as a route with a
 * query schema refuses parameters it does not name: `GET /documents/{id}?revision=1` must not
 * answer the current revision as if it had been asked for it. Call before any route.
 */
function refuseUnknownQueries(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const schema = (route.schema ?? {}) as { querystring?: unknown };
    if (schema.querystring === undefined) route.schema = { ...schema, querystring: Strict({}) };
  });
}

/** A JSON `\u` escape of a surrogate: only then can a parsed string hold an unpaired one. */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** The path (`labels.1`) of the first string in `value` with an unpaired surrogate, or null. */
function unpairedSurrogateAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : path || 'body';
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = unpairedSurrogateAt(item, path === '' ? key : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** Builds (does not start) the gateway over a service context. */
export async function buildGateway(
  ctx: ServiceContext,
  options: GatewayOptions = {},
): Promise<FastifyInstance> {
  const tls = options.tls ?? null;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ...(tls ? { https: tls } : {}),
    // A URL Fastify cannot decode (`/%FF`) never reaches the error handler: answer it here, in
    // the same problem+json as every other refusal.
    frameworkErrors: (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(
        request,
        reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff'),
        error.code === 'FST_ERR_BAD_URL'
          ? new DesignDocError('DD_E_VALIDATION', 'The URL is not valid: malformed percent-encoding.', {
              cause: error,
            })
          : toDesignDocError(error, request.headers['content-type']),
      ),
    // Requests too broken to route (a bad request line, duplicate Content-Length, headers over the
    // limit) are answered on the socket, still as problem+json.
    clientErrorHandler: answerClientError,
  } as FastifyServerOptions) as unknown as FastifyInstance;

  installValidation(app);
  const allowedMethods = installMethodIndex(app);
  refuseUnknownQueries(app);

  // JSON and markdown bodies are decoded strictly: invalid UTF-8 is refused, never replaced.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (request.routeOptions.config.bodyType === 'markdown') {
      done(unsupportedMediaType(request.headers['content-type'], 'text/markdown'), undefined);
      return;
    }
    const charset = unsupportedCharset(request.headers['content-type']);
    if (charset) {
      done(charset, undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch (error) {
      done(
        new DesignDocError(
          'DD_E_INVALID_UTF8',
          `The request body is not valid UTF-8 (${whereUtf8Fails(body as Buffer)}).`,
          { cause: error },
        ),
        undefined,
      );
      return;
    }
    // RFC 8259 §8.1: a parser may ignore a byte order mark, and the error it would make is invisible.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') {
      done(new DesignDocError('DD_E_VALIDATION', 'The JSON body is empty.'), undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      done(
        new DesignDocError('DD_E_VALIDATION', `The body is not valid JSON: ${(error as Error).message}.`, {
          cause: error,
        }),
        undefined,
      );
      return;
    }
    // Escapes (`"\ud800"`) can make strings no UTF-8 can hold; the bytes were checked above.
    const unpaired = LONE_SURROGATE_ESCAPE.test(text) ? unpairedSurrogateAt(value, '') : null;
    if (unpaired !== null) {
      done(
        new DesignDocError(
          'DD_E_INVALID_UTF8',
          `The field "${unpaired}" holds an unpaired surrogate and cannot be stored as UTF-8.`,
          { location: { field: unpaired } },
        ),
        undefined,
      );
      return;
    }
    done(null, value);
  });
  // Markdown and form bodies only where a route reads them (its config's bodyType).
  app.addContentTypeParser(['text/markdown', 'text/plain'], { parseAs: 'buffer' }, (request, body, done) => {
    if (request.routeOptions.config.bodyType === 'markdown')
      done(unsupportedCharset(request.headers['content-type']), body);
    else done(unsupportedMediaType(request.headers['content-type'], 'application/json'), undefined);
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body, done) => {
      if (request.routeOptions.config.bodyType === 'form')
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      else done(unsupportedMediaType(request.headers['content-type'], 'application/json'), undefined);
    },
  );

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((error, request, reply) => {
    const coded = toDesignDocError(
      error,
      request.headers['content-type'],
      request.routeOptions.config.bodyType === 'markdown' ? 'text/markdown' : 'application/json',
      request.routeOptions.bodyLimit,
    );
    if (coded.code === 'DD_E_INTERNAL') request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, coded);
  });
  const spaIndex = options.webDist ? join(options.webDist, 'index.html') : null;
  const serveSpa = spaIndex !== null && existsSync(spaIndex);
  app.setNotFoundHandler({ preHandler: async () => undefined }, (request, reply) => {
    // Client-side routes of the web UI (/d/x, /documents…) all load the SPA's index.html.
    const path = request.url.split('?')[0] ?? '';
    if (
      serveSpa &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !path.startsWith('/api/') &&
      !/\.[a-z0-9]+$/i.test(path)
    ) {
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .sendFile('index.html');
    }
    // The path is a route, only not for this method: 405 with the methods it has (RFC 9110 §15.5.6).
    const allowed = allowedMethods(request.url);
    if (allowed.length > 0) {
      return sendProblem(
        request,
        reply.header('allow', allowed.join(', ')),
        new DesignDocError(
          'DD_E_METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${path}; it allows ${allowed.join(', ')}.`,
          { details: { allowed } },
        ),
      );
    }
    return sendProblem(
      request,
      reply,
      new DesignDocError('DD_E_NOT_FOUND', `No route ${request.method} ${path}.`),
    );
  });

  installSecurityHeaders(app, { tls: tls !== null, ownCspPrefixes: ['/api/docs'] });
  await app.register(fastifyCookie);
  installAuthorization(app, ctx, ['/api/docs', '/assets/', '/*', '/index.html']);
  const registry = installMetrics(app, ctx);
  await app.register(fastifyRateLimit, {
    ...(options.rateLimitStore
      ? {
          redis: options.rateLimitStore.redis,
          nameSpace: options.rateLimitStore.nameSpace,
          skipOnError: true,
        }
      : {}),
    global: (options.rateLimitPerMinute ?? 6000) > 0,
    max: options.rateLimitPerMinute ?? 6000,
    timeWindow: '1 minute',
    keyGenerator: (request) => request.actor?.user?.username ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Too many requests; retry after ${Math.ceil(context.ttl / 1000)} s.`), {
        statusCode: 429,
      }),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'designdoc API',
        version: '1.0.0',
        description:
          'Design documents, reviews and approvals. Errors are application/problem+json with stable codes.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (dd_…)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'designdoc_session',
            description: 'Session cookie; writes also need x-csrf-token',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // @fastify/swagger marks every request body required; an action that takes no fields accepts
    // none at all (NoFieldsBody), and the description says so.
    transformObject: (document) => {
      const spec = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
      for (const operations of Object.values((spec as { paths?: object }).paths ?? {}))
        for (const operation of Object.values(operations as Record<string, unknown>)) {
          const body = (operation as { requestBody?: { required?: boolean; content?: object } }).requestBody;
          const schemas = Object.values(body?.content ?? {}).map(
            (media) => (media as { schema?: object }).schema,
          );
          if (body && schemas.some((schema) => (schema as Record<string, unknown>)?.[OPTIONAL_BODY] === true))
            body.required = false;
        }
      return spec;
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list' },
  });

  await app.register(async (api) => {
    await healthRoutes(api, ctx, registry, { metricsPublic: options.metricsPublic ?? true });
  });
  await app.register(
    async (api) => {
      await documentRoutes(api, ctx);
      await reviewRoutes(api, ctx);
      await discoveryRoutes(api, ctx);
      await workspaceRoutes(api, ctx);
      await webhookRoutes(api, ctx);
      await accountRoutes(api, ctx, {
        secureCookies: tls !== null,
        loginPerMinute: options.loginPerMinute ?? 10,
      });
    },
    { prefix: '/api/v1' },
  );
  app.get('/api/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const webDist = options.webDist ?? null;
  if (webDist !== null && existsSync(webDist)) {
    // Loaded only when there is a built UI to serve: it is a large part of start-up otherwise.
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: true });
  } else {
    await app.register(async (pages) => pageRoutes(pages, ctx, { secureCookies: tls !== null }));
  }
  return app;
}
