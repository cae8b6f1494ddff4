/**
 * Server-rendered pages for when the web UI is not built: the documents the caller may see, a
 * document rendered by the core renderer, and a sign-in form. Plain HTML forms, no script.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import { escapeHtml } from '../../../core/render/index.js';
import { PAGE_CSS } from '../../../core/render/page-styles.js';
import type { DocumentRecord } from '../../data/database.js';
import {
  listDocuments,
  presentDocument,
  signIn,
  signOut,
  type ServiceContext,
} from '../../services/index.js';
import { isDesignDocError } from '../../../core/errors.js';
import { SESSION_COOKIE } from '../authorization.js';
import { renderDocumentHtml } from '../render-document.js';
import { PAGE_CSP } from '../security-headers.js';
import { IdParams, Strict } from '../schemas.js';

function page(reply: FastifyReply, title: string, body: string, status = 200): FastifyReply {
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title><style>${PAGE_CSS}\n.dd-list td,.dd-list th{padding:.25rem .6rem;text-align:left}.dd-nav{display:flex;gap:1rem;align-items:center;justify-content:space-between}</style>`,
    '</head><body><main class="dd-document">',
    body,
    '</main></body></html>',
  ].join('');
  return reply
    .status(status)
    .header('content-security-policy', PAGE_CSP)
    .type('text/html; charset=utf-8')
    .send(html);
}

function nav(username: string | null, csrf: string | null): string {
  const right = username
    ? `<form method="post" action="/logout"><input type="hidden" name="csrf" value="${escapeHtml(csrf ?? '')}">Signed in as <strong>${escapeHtml(username)}</strong> <button>Sign out</button></form>`
    : '<a href="/login">Sign in</a>';
  return `<nav class="dd-nav"><a href="/"><strong>designdoc</strong></a><span>${right}</span></nav><hr>`;
}

const LoginForm = Strict({
  username: Type.String({ maxLength: 64 }),
  password: Type.String({ maxLength: 1024 }),
});

export async function pageRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  options: { secureCookies: boolean },
): Promise<void> {
  app.get('/', { config: { policy: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const actor = request.actor;
    if (!actor.user) {
      return page(
        reply,
        'designdoc',
        `${nav(null, null)}<h1>designdoc</h1><p>Design documents, reviews and approvals. <a href="/login">Sign in</a> to see the documents, or use the <a href="/api/docs">API</a>.</p>`,
      );
    }
    const list = await listDocuments(ctx, actor, { limit: 200 });
    const rows = await Promise.all(
      list.items.map(async (record) => {
        const view = await presentDocument(ctx, record);
        return `<tr><td><a href="/d/${escapeHtml(view.id)}">${escapeHtml(view.title)}</a></td><td>${escapeHtml(view.status ?? view.statusRaw ?? '')}</td><td>${escapeHtml(view.template ?? '')}</td><td>${view.score}</td><td>${escapeHtml(view.author ?? '')}</td><td>${escapeHtml(view.updatedAt.slice(0, 10))}</td></tr>`;
      }),
    );
    const table = rows.length
      ? `<table class="dd-list"><thead><tr><th>Title</th><th>Status</th><th>Template</th><th>Score</th><th>Author</th><th>Updated</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
      : '<p>No documents yet.</p>';
    return page(
      reply,
      'designdoc — documents',
      `${nav(actor.user.username, actor.csrfToken)}<h1>Documents</h1>${table}`,
    );
  });

  app.get<{ Params: IdParams }>(
    '/d/:id',
    { config: { policy: 'document.read' }, schema: { hide: true, params: IdParams } },
    async (request, reply) => {
      const record = request.document as DocumentRecord;
      const html = await renderDocumentHtml(ctx, record);
      const meta = `<p><small>Revision ${record.currentRevision} · score ${record.score} · <a href="/api/v1/documents/${escapeHtml(record.slug)}/markdown">markdown</a></small></p>`;
      return page(
        reply,
        record.title,
        `${nav(request.actor.user?.username ?? null, request.actor.csrfToken)}${meta}${html}`,
      );
    },
  );

  const form = (message: string) =>
    `${nav(null, null)}<h1>Sign in</h1>${message}<form method="post" action="/login"><p><label>Username <input name="username" autocomplete="username" required></label></p><p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p><p><button>Sign in</button></p></form>`;

  app.get('/login', { config: { policy: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    page(reply, 'Sign in', form('')),
  );

  app.post<{ Body: { username: string; password: string } }>(
    '/login',
    {
      config: {
        policy: 'public',
        bodyType: 'form',
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request) =>
            `${request.ip}|${String((request.body as { username?: string } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
      schema: { hide: true, body: LoginForm },
    },
    async (request, reply) => {
      try {
        const session = await signIn(ctx, {
          username: request.body.username,
          password: request.body.password,
          ip: request.ip,
        });
        reply.setCookie(SESSION_COOKIE, session.sessionId, {
          httpOnly: true,
          sameSite: 'strict',
          secure: options.secureCookies || request.protocol === 'https',
          path: '/',
          expires: new Date(session.expiresAt),
        });
        return reply.redirect('/', 303);
      } catch (error) {
        if (isDesignDocError(error) && error.code === 'DD_E_UNAUTHENTICATED') {
          return page(reply, 'Sign in', form(`<p role="alert">${escapeHtml(error.message)}</p>`), 401);
        }
        throw error;
      }
    },
  );

  app.post<{ Body: { csrf?: string } }>(
    '/logout',
    {
      config: { policy: 'public', bodyType: 'form' },
      schema: { hide: true, body: Strict({ csrf: Type.Optional(Type.String({ maxLength: 200 })) }) },
    },
    async (request, reply) => {
      // The chokepoint checks CSRF on headers; a plain form carries it in the body instead.
      if (
        request.sessionId &&
        request.actor.csrfToken !== null &&
        request.body.csrf === request.actor.csrfToken
      ) {
        await signOut(ctx, request.actor, request.sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
      return reply.redirect('/', 303);
    },
  );
}
