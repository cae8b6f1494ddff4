/** `/api/v1/documents…`: create, read, save, list, diff, archive, links, export. */
import { LRUCache } from 'lru-cache';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DesignDocError } from '../../../core/errors.js';
import type { DocumentRecord } from '../../data/database.js';
import {
  archiveDocument,
  createDocument,
  diffRevisions,
  documentGraph,
  etagOf,
  linkDocuments,
  listDocuments,
  listFindings,
  listRevisions,
  presentDocument,
  readRevisionText,
  restoreDocument,
  saveRevision,
  setLabels,
  transitionStatus,
  unlinkDocuments,
  type ServiceContext,
} from '../../services/index.js';
import { decodeMarkdown } from '../../services/folder-sync.js';
import { baseRevisionFromIfMatch, ifNoneMatchMatches } from '../preconditions.js';
import { renderDocumentHtml } from '../render-document.js';
import {
  CreateDocumentBody,
  DiffQuery,
  DocumentId,
  DocumentWithText,
  IdParams,
  LabelsBody,
  LinkBody,
  ListQuery,
  NoFieldsBody,
  RevisionQuery,
  SaveDocumentBody,
  SaveMarkdownQuery,
  SaveResponse,
  Strict,
  TransitionBody,
} from '../schemas.js';

const tags = ['documents'];

function doc(request: FastifyRequest): DocumentRecord {
  return request.document as DocumentRecord;
}

/** The save's base from If-Match (or the body): a revision, or `*` — whatever is current then. */
function baseRevisionOf(
  request: FastifyRequest,
  bodyBase: number | undefined,
): { baseRevision: number; unconditional?: true } {
  const header = request.headers['if-match'];
  const base = baseRevisionFromIfMatch(
    typeof header === 'string' ? header : undefined,
    bodyBase,
    doc(request).currentRevision,
  );
  return base === null
    ? { baseRevision: doc(request).currentRevision, unconditional: true }
    : { baseRevision: base };
}

async function sendDocument(
  ctx: ServiceContext,
  reply: FastifyReply,
  record: DocumentRecord,
  status = 200,
): Promise<FastifyReply> {
  return reply
    .status(status)
    .header('etag', etagOf(record))
    .send({ document: await presentDocument(ctx, record) });
}

export async function documentRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  // Hot document bodies as bytes, for this server's database only: a string body is measured and
  // encoded again on every response. Keys carry the revision and updatedAt, so an entry is never
  // served stale on any instance, and the shared cache stays the source of the string.
  const bodyBytes = new LRUCache<string, Buffer>({
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (bytes) => Math.max(1, bytes.length),
  });
  app.get<{ Querystring: ListQuery }>(
    '/documents',
    {
      config: { policy: 'documents.list' },
      schema: { tags, summary: 'List documents the caller may see', querystring: ListQuery },
    },
    async (request) => {
      const page = await listDocuments(ctx, request.actor, request.query);
      return {
        items: await Promise.all(page.items.map((r) => presentDocument(ctx, r))),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post<{ Body: CreateDocumentBody }>(
    '/documents',
    {
      config: { policy: 'documents.create' },
      schema: {
        tags,
        summary: 'Create a document from a template or from markdown',
        body: CreateDocumentBody,
      },
    },
    async (request, reply) => {
      const record = await createDocument(ctx, request.actor, request.body);
      reply.header('location', `/api/v1/documents/${record.slug}`);
      return sendDocument(ctx, reply, record, 201);
    },
  );

  app.get<{ Params: IdParams }>(
    '/documents/:id',
    {
      config: { policy: 'document.read' },
      schema: {
        tags,
        summary: 'A document and its current markdown',
        params: IdParams,
        response: { 200: DocumentWithText },
      },
    },
    async (request, reply) => {
      const record = doc(request);
      const etag = etagOf(record);
      // RFC 9110 §13.1.2: the weak comparison, a list, or `*`.
      if (ifNoneMatchMatches(request.headers['if-none-match'], etag))
        return reply.status(304).header('etag', etag).send();
      // The body of a revision changes only with labels or archiving (updatedAt): cache the
      // serialised JSON so a hot read costs no serialisation of a large markdown string.
      const key = `body:${record.id}:${record.currentRevision}:${record.updatedAt}`;
      let bytes = bodyBytes.get(key);
      if (bytes === undefined) {
        let body = await ctx.cache.get(key);
        if (body === undefined) {
          const markdown = await readRevisionText(ctx, record);
          body = JSON.stringify({ document: await presentDocument(ctx, record), markdown });
          await ctx.cache.set(key, body);
        }
        bytes = Buffer.from(body, 'utf8');
        bodyBytes.set(key, bytes);
      }
      return reply.header('etag', etag).type('application/json; charset=utf-8').send(bytes);
    },
  );

  app.put<{ Params: IdParams; Body: SaveDocumentBody }>(
    '/documents/:id',
    {
      config: { policy: 'document.edit' },
      schema: {
        tags,
        summary: 'Save a new revision (If-Match required: 412 when it is not the current revision)',
        params: IdParams,
        body: SaveDocumentBody,
        response: { 200: SaveResponse },
      },
    },
    async (request, reply) => {
      const result = await saveRevision(ctx, request.actor, doc(request).slug, {
        markdown: request.body.markdown,
        ...baseRevisionOf(request, request.body.baseRevision),
        ...(request.body.message !== undefined ? { message: request.body.message } : {}),
        ...(request.body.allowEmpty !== undefined ? { allowEmpty: request.body.allowEmpty } : {}),
      });
      return reply.header('etag', etagOf(result.record)).send({
        document: await presentDocument(ctx, result.record),
        findings: result.findings,
        notices: result.notices,
      });
    },
  );

  app.get<{ Params: IdParams; Querystring: RevisionQuery }>(
    '/documents/:id/markdown',
    {
      config: { policy: 'document.read' },
      schema: {
        tags,
        summary: 'The markdown of the current (or a given) revision',
        params: IdParams,
        querystring: RevisionQuery,
      },
    },
    async (request, reply) => {
      const record = doc(request);
      const text = await readRevisionText(ctx, record, request.query.revision);
      return reply
        .type('text/markdown; charset=utf-8')
        .header('etag', request.query.revision ? `"${request.query.revision}"` : etagOf(record))
        .send(text);
    },
  );

  app.put<{ Params: IdParams; Querystring: SaveMarkdownQuery; Body: Buffer }>(
    '/documents/:id/markdown',
    {
      config: { policy: 'document.edit', bodyType: 'markdown' },
      schema: {
        tags,
        summary:
          'Save a new revision from a raw text/markdown body (If-Match required; ?message= and ?allowEmpty=true as in the JSON save)',
        params: IdParams,
        querystring: SaveMarkdownQuery,
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        throw new DesignDocError('DD_E_VALIDATION', 'Send the document as a text/markdown body.');
      const markdown = decodeMarkdown(request.body, 'The request body');
      const result = await saveRevision(ctx, request.actor, doc(request).slug, {
        markdown,
        ...baseRevisionOf(request, undefined),
        ...(request.query.message !== undefined ? { message: request.query.message } : {}),
        ...(request.query.allowEmpty !== undefined ? { allowEmpty: request.query.allowEmpty } : {}),
        allowEmptyHint: 'add ?allowEmpty=true',
      });
      return reply.header('etag', etagOf(result.record)).send({
        document: await presentDocument(ctx, result.record),
        findings: result.findings,
        notices: result.notices,
      });
    },
  );

  app.get<{ Params: IdParams; Querystring: RevisionQuery }>(
    '/documents/:id/html',
    {
      config: { policy: 'document.read' },
      schema: {
        tags,
        summary: 'The rendered, sanitised HTML fragment of a revision',
        params: IdParams,
        querystring: RevisionQuery,
      },
    },
    async (request, reply) => {
      const record = doc(request);
      const html = await renderDocumentHtml(ctx, record, request.query.revision);
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );

  app.get<{ Params: IdParams; Querystring: RevisionQuery }>(
    '/documents/:id/export',
    {
      config: { policy: 'document.read' },
      schema: {
        tags: ['export'],
        summary: 'Download the markdown of a document',
        params: IdParams,
        querystring: RevisionQuery,
      },
    },
    async (request, reply) => {
      const record = doc(request);
      const text = await readRevisionText(ctx, record, request.query.revision);
      const name = (record.path ?? `${record.slug}.md`).split('/').pop() as string;
      return reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
        .send(text);
    },
  );

  app.get<{ Params: IdParams }>(
    '/documents/:id/revisions',
    {
      config: { policy: 'document.read' },
      schema: { tags, summary: 'Every revision of a document', params: IdParams },
    },
    async (request) => ({ items: await listRevisions(ctx, doc(request)) }),
  );

  app.get<{ Params: IdParams; Querystring: RevisionQuery }>(
    '/documents/:id/findings',
    {
      config: { policy: 'document.read' },
      schema: {
        tags,
        summary: 'Lint findings stored with a revision',
        params: IdParams,
        querystring: RevisionQuery,
      },
    },
    async (request) => {
      const record = doc(request);
      return {
        revision: request.query.revision ?? record.currentRevision,
        score: record.score,
        items: await listFindings(ctx, record, request.query.revision),
      };
    },
  );

  app.get<{ Params: IdParams; Querystring: DiffQuery }>(
    '/documents/:id/diff',
    {
      config: { policy: 'document.read' },
      schema: {
        tags,
        summary: 'Line and section differences between two revisions',
        params: IdParams,
        querystring: DiffQuery,
      },
    },
    async (request) => diffRevisions(ctx, doc(request), request.query.from, request.query.to),
  );

  app.post<{ Params: IdParams; Body: TransitionBody }>(
    '/documents/:id/transitions',
    {
      config: { policy: 'document.edit' },
      schema: {
        tags: ['lifecycle'],
        summary: 'Change the status (checked; written into the markdown)',
        params: IdParams,
        body: TransitionBody,
      },
    },
    async (request, reply) =>
      sendDocument(ctx, reply, await transitionStatus(ctx, request.actor, doc(request).slug, request.body)),
  );

  app.post<{ Params: IdParams }>(
    '/documents/:id/archive',
    {
      config: { policy: 'document.edit' },
      schema: { tags, summary: 'Archive (soft delete)', params: IdParams, body: NoFieldsBody },
    },
    async (request, reply) =>
      sendDocument(ctx, reply, await archiveDocument(ctx, request.actor, doc(request).slug)),
  );

  app.post<{ Params: IdParams }>(
    '/documents/:id/restore',
    {
      config: { policy: 'document.edit' },
      schema: { tags, summary: 'Restore an archived document', params: IdParams, body: NoFieldsBody },
    },
    async (request, reply) =>
      sendDocument(ctx, reply, await restoreDocument(ctx, request.actor, doc(request).slug)),
  );

  app.put<{ Params: IdParams; Body: LabelsBody }>(
    '/documents/:id/labels',
    {
      config: { policy: 'document.edit' },
      schema: { tags, summary: 'Replace the labels', params: IdParams, body: LabelsBody },
    },
    async (request, reply) =>
      sendDocument(ctx, reply, await setLabels(ctx, request.actor, doc(request).slug, request.body.labels)),
  );

  app.get<{ Params: IdParams }>(
    '/documents/:id/links',
    {
      config: { policy: 'document.read' },
      schema: { tags: ['links'], summary: 'Links from and to a document', params: IdParams },
    },
    async (request) => documentGraph(ctx, request.actor, doc(request).slug),
  );

  app.post<{ Params: IdParams; Body: LinkBody }>(
    '/documents/:id/links',
    {
      config: { policy: 'document.edit' },
      schema: { tags: ['links'], summary: 'Link to another document', params: IdParams, body: LinkBody },
    },
    async (request, reply) => {
      await linkDocuments(ctx, request.actor, doc(request).slug, request.body.to, request.body.kind);
      return reply.status(201).send(await documentGraph(ctx, request.actor, doc(request).slug));
    },
  );

  const UnlinkParams = Strict({ id: DocumentId, kind: LinkBody.properties.kind, to: DocumentId });
  app.delete<{ Params: { id: string; kind: string; to: string } }>(
    '/documents/:id/links/:kind/:to',
    {
      config: { policy: 'document.edit' },
      schema: { tags: ['links'], summary: 'Remove a link', params: UnlinkParams, body: NoFieldsBody },
    },
    async (request, reply) => {
      await unlinkDocuments(ctx, request.actor, doc(request).slug, request.params.to, request.params.kind);
      return reply.status(204).send();
    },
  );

  app.get(
    '/graph',
    {
      config: { policy: 'documents.list' },
      schema: { tags: ['links'], summary: 'The link graph across visible documents' },
    },
    async (request) => documentGraph(ctx, request.actor, null),
  );
}
