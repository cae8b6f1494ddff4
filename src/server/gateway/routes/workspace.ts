/**
 * `/api/v1` routes the web UI's workspace needs: the session's CSRF token after a reload, the
 * dashboard, and lint + preview of unsaved text (pure computation over the caller's own input:
 * nothing is stored, nothing is read from other documents).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { findTemplate } from '../../../core/template/index.js';
import { analyzeOffThread, presentUser, type ServiceContext } from '../../services/index.js';
import { renderText } from '../../services/render-text.js';
import { buildDashboard } from '../../services/dashboard.js';
import { Finding, Strict } from '../schemas.js';

const tags = ['workspace'];

const DraftBody = Strict({
  markdown: Type.String({ maxLength: 4 * 1024 * 1024 }),
  template: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

const DashboardQuery = Strict({ stallDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) });

export async function workspaceRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  app.get(
    '/session',
    {
      config: { policy: 'self' },
      schema: { tags, summary: 'The signed-in user and the CSRF token for cookie-authenticated writes' },
    },
    async (request) => ({
      user: await presentUser(ctx, request.actor.user as NonNullable<typeof request.actor.user>),
      groups: request.actor.groups,
      csrfToken: request.actor.csrfToken,
    }),
  );

  app.get<{ Querystring: { stallDays?: number } }>(
    '/dashboard',
    {
      config: { policy: 'documents.list' },
      schema: {
        tags,
        summary: 'Drafts, reviews awaiting the caller, open questions, stalled reviews',
        querystring: DashboardQuery,
      },
    },
    async (request) =>
      buildDashboard(
        ctx,
        request.actor,
        request.query.stallDays === undefined ? {} : { stallDays: request.query.stallDays },
      ),
  );

  app.post<{ Body: { markdown: string; template?: string } }>(
    '/lint',
    {
      config: { policy: 'self' },
      schema: {
        tags,
        summary: 'Lint unsaved markdown against its template (nothing is stored)',
        body: DraftBody,
        response: {
          200: Type.Object({
            findings: Type.Array(Finding),
            score: Type.Integer(),
            template: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const named = request.body.template ?? null;
      // An unknown name is an error, as when a document is created, not a silent detection.
      const templateName = named === null ? null : findTemplate([...ctx.templates.values()], named).name;
      // Off the request thread when the server has analysis threads: the editor asks after
      // every pause in typing, and a large draft takes a second or more.
      const analysis = await analyzeOffThread(ctx, request.body.markdown, {
        fileName: null,
        templateName,
        fallbackTitle: '',
      });
      return {
        findings: analysis.findings,
        score: analysis.derived.score,
        template: analysis.derived.template === '' ? null : analysis.derived.template,
      };
    },
  );

  app.post<{ Body: { markdown: string; template?: string } }>(
    '/preview',
    {
      config: { policy: 'self' },
      schema: {
        tags,
        summary: 'Render unsaved markdown to sanitised HTML (nothing is stored)',
        body: DraftBody,
        response: { 200: Type.Object({ html: Type.String() }) },
      },
    },
    async (request) => {
      // An unknown name is an error, as when a document is created, not a silent detection. The
      // template does not change the HTML: rendering parses only.
      if (request.body.template !== undefined)
        findTemplate([...ctx.templates.values()], request.body.template);
      return { html: await renderText(ctx, request.body.markdown, null) };
    },
  );
}
