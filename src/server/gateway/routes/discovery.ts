/** Across documents: search, structured queries, open questions, export index, templates. */
import type { FastifyInstance } from 'fastify';
import {
  exportDocuments,
  listOpenQuestions,
  queryDocuments,
  searchDocuments,
  type ServiceContext,
} from '../../services/index.js';
import { ExportQuery, SearchQuery, StructuredQuery } from '../schemas.js';

export async function discoveryRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  app.get<{ Querystring: SearchQuery }>(
    '/search',
    {
      config: { policy: 'documents.list' },
      schema: {
        tags: ['search'],
        summary: 'Full-text search (FTS5 syntax), ranked, with highlighted snippets',
        querystring: SearchQuery,
      },
    },
    async (request) => ({
      items: await searchDocuments(ctx, request.actor, request.query.q, request.query.limit),
    }),
  );

  app.get<{ Querystring: StructuredQuery }>(
    '/query',
    {
      config: { policy: 'documents.list' },
      schema: {
        tags: ['search'],
        summary: 'Structured query over extracted fields, items, questions, decisions',
        querystring: StructuredQuery,
      },
    },
    async (request) => ({
      items: await queryDocuments(ctx, request.actor, request.query as Parameters<typeof queryDocuments>[2]),
    }),
  );

  app.get(
    '/open-questions',
    {
      config: { policy: 'documents.list' },
      schema: { tags: ['search'], summary: 'Unchecked open questions across documents, with age' },
    },
    async (request) => ({ items: await listOpenQuestions(ctx, request.actor) }),
  );

  app.get<{ Querystring: ExportQuery }>(
    '/export',
    {
      config: { policy: 'documents.list' },
      schema: {
        tags: ['export'],
        summary: 'JSON index of every visible document (with markdown when asked)',
        querystring: ExportQuery,
      },
    },
    async (request) => ({
      items: await exportDocuments(ctx, request.actor, { withMarkdown: request.query.markdown === true }),
    }),
  );

  app.get(
    '/templates',
    {
      config: { policy: 'documents.list' },
      schema: { tags: ['templates'], summary: 'Templates and their approval slots' },
    },
    async () => ({
      items: [...ctx.templates.values()].map((t) => ({
        name: t.name,
        title: t.title,
        description: t.description,
        approvalSlots: t.approvalSlots,
        statuses: t.statuses,
      })),
    }),
  );
}
