/** Reviews, verdicts and comments of a document. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { DocumentRecord } from '../../data/database.js';
import {
  addComment,
  listComments,
  presentDocument,
  recordVerdict,
  requestReview,
  resolveComment,
  reviewState,
  type ServiceContext,
} from '../../services/index.js';
import { etagOf } from '../../services/index.js';
import {
  CommentBody,
  DocumentId,
  IdParams,
  NoFieldsBody,
  ReviewRequestBody,
  Strict,
  VerdictBody,
} from '../schemas.js';

const tags = ['reviews'];

export async function reviewRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  app.get<{ Params: IdParams }>(
    '/documents/:id/reviews',
    {
      config: { policy: 'document.read' },
      schema: { tags, summary: 'Approval slots, assignees, verdicts (with staleness)', params: IdParams },
    },
    async (request) => reviewState(ctx, request.document as DocumentRecord),
  );

  app.post<{ Params: IdParams; Body: ReviewRequestBody }>(
    '/documents/:id/review-requests',
    {
      config: { policy: 'document.edit' },
      schema: {
        tags,
        summary: 'Ask users or groups to review a slot (a draft moves to in-review)',
        params: IdParams,
        body: ReviewRequestBody,
      },
    },
    async (request, reply) => {
      const record = await requestReview(ctx, request.actor, request.params.id, request.body);
      return reply
        .status(201)
        .header('etag', etagOf(record))
        .send({ document: await presentDocument(ctx, record), reviews: await reviewState(ctx, record) });
    },
  );

  app.post<{ Params: IdParams; Body: VerdictBody }>(
    '/documents/:id/verdicts',
    {
      config: { policy: 'document.review' },
      schema: {
        tags,
        summary: 'Approve, request changes or raise a blocking concern on the revision read',
        params: IdParams,
        body: VerdictBody,
      },
    },
    async (request, reply) => {
      const record = await recordVerdict(ctx, request.actor, request.params.id, request.body);
      return reply
        .status(201)
        .header('etag', etagOf(record))
        .send({ document: await presentDocument(ctx, record), reviews: await reviewState(ctx, record) });
    },
  );

  app.get<{ Params: IdParams }>(
    '/documents/:id/comments',
    {
      config: { policy: 'document.read' },
      schema: { tags: ['comments'], summary: 'Comment threads', params: IdParams },
    },
    async (request) => ({ items: await listComments(ctx, request.document as DocumentRecord) }),
  );

  app.post<{ Params: IdParams; Body: CommentBody }>(
    '/documents/:id/comments',
    {
      config: { policy: 'document.review' },
      schema: {
        tags: ['comments'],
        summary: 'Comment on a section or quoted text, or reply',
        params: IdParams,
        body: CommentBody,
      },
    },
    async (request, reply) => {
      const comment = await addComment(ctx, request.actor, request.params.id, request.body);
      return reply.status(201).send({
        id: comment.id,
        revision: comment.revision,
        section: comment.sectionId,
        quote: comment.quote,
        parentId: comment.parentId,
      });
    },
  );

  const ResolveParams = Strict({ id: DocumentId, commentId: Type.Integer({ minimum: 1 }) });
  app.post<{ Params: { id: string; commentId: number } }>(
    '/documents/:id/comments/:commentId/resolve',
    {
      config: { policy: 'document.review' },
      schema: { tags: ['comments'], summary: 'Resolve a thread', params: ResolveParams, body: NoFieldsBody },
    },
    async (request, reply) => {
      await resolveComment(ctx, request.actor, request.params.id, request.params.commentId);
      return reply.status(204).send();
    },
  );
}
