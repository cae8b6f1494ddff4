/**
 * TypeBox schemas of the API: request validation (unknown fields refused) and the OpenAPI
 * document are generated from the same definitions.
 */
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';

/** An object schema that refuses fields it does not name. */
export function Strict<T extends TProperties>(
  properties: T,
  options: { description?: string } = {},
): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/**
 * Marks a body schema as optional: a request may send no body at all (the OpenAPI document says
 * `requestBody.required: false`). A body that is sent is still checked against the schema.
 */
export const OPTIONAL_BODY = 'x-designdoc-optional-body';

/** The body of an action that takes no fields: no body, or `{}`; any field is refused. */
export const NoFieldsBody = Type.Object(
  {},
  {
    additionalProperties: false,
    description: 'This action takes no fields: send no body, or {}.',
    [OPTIONAL_BODY]: true,
  },
);

export const DocumentId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,99}$',
  description: 'Document id (slug)',
});
export const IdParams = Strict({ id: DocumentId });
export type IdParams = Static<typeof IdParams>;

export const Lifecycle = Type.Union(
  [
    'draft',
    'in-review',
    'approved',
    'implemented',
    'rejected',
    'withdrawn',
    'deferred',
    'superseded',
    'deprecated',
  ].map((s) => Type.Literal(s)),
);

export const DocumentView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  template: Type.Union([Type.String(), Type.Null()]),
  type: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.String(), Type.Null()]),
  statusRaw: Type.String(),
  author: Type.Union([Type.String(), Type.Null()]),
  labels: Type.Array(Type.String()),
  revision: Type.Integer(),
  etag: Type.String(),
  score: Type.Integer(),
  errorCount: Type.Integer(),
  supersededBy: Type.Union([Type.String(), Type.Null()]),
  finalCommentEndsAt: Type.Union([Type.String(), Type.Null()]),
  archived: Type.Boolean(),
  path: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const Finding = Type.Object({
  ruleId: Type.String(),
  rule: Type.String(),
  severity: Type.String(),
  message: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
  endLine: Type.Integer(),
  endColumn: Type.Integer(),
});

export const DocumentWithText = Type.Object({
  document: DocumentView,
  markdown: Type.String(),
});

export const SaveResponse = Type.Object({
  document: DocumentView,
  findings: Type.Array(Finding),
  notices: Type.Array(Type.String()),
});

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.String(),
    requestId: Type.String(),
    field: Type.Optional(Type.String()),
    details: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { description: 'application/problem+json (RFC 9457)' },
);

export const CreateDocumentBody = Strict({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  template: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  type: Type.Optional(Type.String({ maxLength: 100 })),
  markdown: Type.Optional(Type.String()),
  id: Type.Optional(DocumentId),
  labels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 })),
});
export type CreateDocumentBody = Static<typeof CreateDocumentBody>;

export const SaveDocumentBody = Strict({
  markdown: Type.String(),
  baseRevision: Type.Optional(Type.Integer({ minimum: 1 })),
  message: Type.Optional(Type.String({ maxLength: 500 })),
  allowEmpty: Type.Optional(Type.Boolean()),
});
export type SaveDocumentBody = Static<typeof SaveDocumentBody>;

/** What a raw text/markdown save cannot carry in its body: the revision message and allowEmpty. */
export const SaveMarkdownQuery = Strict({
  message: Type.Optional(Type.String({ maxLength: 500 })),
  allowEmpty: Type.Optional(Type.Boolean()),
});
export type SaveMarkdownQuery = Static<typeof SaveMarkdownQuery>;

export const ListQuery = Strict({
  status: Type.Optional(Lifecycle),
  type: Type.Optional(Type.String({ maxLength: 100 })),
  template: Type.Optional(Type.String({ maxLength: 100 })),
  author: Type.Optional(Type.String({ maxLength: 64 })),
  label: Type.Optional(Type.String({ maxLength: 50 })),
  reviewer: Type.Optional(Type.String({ maxLength: 64 })),
  archived: Type.Optional(
    Type.Union([Type.Literal('exclude'), Type.Literal('include'), Type.Literal('only')]),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type ListQuery = Static<typeof ListQuery>;

export const TransitionBody = Strict({
  to: Lifecycle,
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
  supersededBy: Type.Optional(DocumentId),
});
export type TransitionBody = Static<typeof TransitionBody>;

export const ReviewRequestBody = Strict({
  slot: Type.String({ minLength: 1, maxLength: 100 }),
  users: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  groups: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
});
export type ReviewRequestBody = Static<typeof ReviewRequestBody>;

export const VerdictBody = Strict({
  slot: Type.String({ minLength: 1, maxLength: 100 }),
  verdict: Type.Union([
    Type.Literal('approved'),
    Type.Literal('changes-requested'),
    Type.Literal('blocking'),
  ]),
  revision: Type.Integer({ minimum: 1 }),
  comment: Type.Optional(Type.String({ maxLength: 10_000 })),
});
export type VerdictBody = Static<typeof VerdictBody>;

export const CommentBody = Strict({
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
  section: Type.Optional(Type.String({ maxLength: 200 })),
  quote: Type.Optional(Type.String({ maxLength: 2000 })),
  parentId: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type CommentBody = Static<typeof CommentBody>;

export const LinkBody = Strict({
  to: DocumentId,
  kind: Type.Union([
    Type.Literal('supersedes'),
    Type.Literal('depends-on'),
    Type.Literal('plan-specification'),
    Type.Literal('relates-to'),
  ]),
});
export type LinkBody = Static<typeof LinkBody>;

export const LabelsBody = Strict({
  labels: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 }),
});
export type LabelsBody = Static<typeof LabelsBody>;

export const DiffQuery = Strict({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) });
export type DiffQuery = Static<typeof DiffQuery>;

export const RevisionQuery = Strict({ revision: Type.Optional(Type.Integer({ minimum: 1 })) });
export type RevisionQuery = Static<typeof RevisionQuery>;

export const SearchQuery = Strict({
  q: Type.String({ minLength: 1, maxLength: 256 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const StructuredQuery = Strict({
  kind: Type.Optional(
    Type.Union(['field', 'item', 'question', 'section', 'decision', 'component'].map((k) => Type.Literal(k))),
  ),
  section: Type.Optional(Type.String({ maxLength: 200 })),
  label: Type.Optional(Type.String({ maxLength: 200 })),
  contains: Type.Optional(Type.String({ maxLength: 200 })),
  checked: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type StructuredQuery = Static<typeof StructuredQuery>;

export const LoginBody = Strict({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const TokenBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]), {
    minItems: 1,
    maxItems: 3,
  }),
  username: Type.Optional(Type.String({ maxLength: 64 })),
});
export type TokenBody = Static<typeof TokenBody>;

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Literal('viewer')]);

export const CreateUserBody = Strict({
  username: Type.String({ minLength: 2, maxLength: 64 }),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.Optional(Type.String({ maxLength: 200 })),
  role: Role,
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Strict({
  role: Type.Optional(Role),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })),
  disabled: Type.Optional(Type.Boolean()),
});
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const CreateGroupBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  description: Type.Optional(Type.String({ maxLength: 500 })),
});
export type CreateGroupBody = Static<typeof CreateGroupBody>;

export const RosterBody = Strict({ group: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]) });
export type RosterBody = Static<typeof RosterBody>;

export const CursorQuery = Strict({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type CursorQuery = Static<typeof CursorQuery>;

export const ExportQuery = Strict({ markdown: Type.Optional(Type.Boolean()) });
export type ExportQuery = Static<typeof ExportQuery>;
