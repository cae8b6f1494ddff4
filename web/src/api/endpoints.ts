/**
 * The calls the pages make, one function each. Paths and request bodies are checked against the
 * generated OpenAPI types; responses the server does not describe in detail get local types that
 * mirror the services' views.
 */
import { api, unwrap } from './client';

export type Lifecycle =
  | 'draft'
  | 'in-review'
  | 'approved'
  | 'implemented'
  | 'rejected'
  | 'withdrawn'
  | 'deferred'
  | 'superseded'
  | 'deprecated';
export const LIFECYCLE: Lifecycle[] = [
  'draft',
  'in-review',
  'approved',
  'implemented',
  'rejected',
  'withdrawn',
  'deferred',
  'superseded',
  'deprecated',
];

export interface DocumentView {
  id: string;
  title: string;
  template: string | null;
  type: string | null;
  status: string | null;
  statusRaw: string;
  author: string | null;
  labels: string[];
  revision: number;
  etag: string;
  score: number;
  errorCount: number;
  supersededBy: string | null;
  finalCommentEndsAt: string | null;
  archived: boolean;
  path: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Finding {
  ruleId: string;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface User {
  id?: number;
  username: string;
  displayName: string;
  email?: string | null;
  role: 'admin' | 'member' | 'viewer';
  groups?: string[];
  disabled?: boolean;
}

export interface Session {
  user: User;
  groups: string[];
  csrfToken: string | null;
}

export interface VerdictView {
  id: number;
  user: string;
  displayName: string;
  verdict: 'approved' | 'changes-requested' | 'blocking';
  revision: number;
  comment: string;
  createdAt: string;
  stale: boolean;
}

export interface SlotState {
  name: string;
  required: boolean;
  roster: string | null;
  covers: string[];
  assignees: { users: string[]; groups: string[] };
  verdicts: VerdictView[];
  approved: boolean;
  blocking: boolean;
}

export interface ReviewState {
  revision: number;
  slots: SlotState[];
  allApproved: boolean;
  blocking: boolean;
}

export interface CommentView {
  id: number;
  author: string;
  body: string;
  section: string | null;
  quote: string | null;
  revision: number;
  createdAt: string;
  resolved: boolean;
  resolvedBy: string | null;
  replies: CommentView[];
}

export interface RevisionInfo {
  revision: number;
  sha256: string;
  author: string | null;
  message: string;
  createdAt: string;
}

export interface RevisionDiff {
  from: number;
  to: number;
  patch: string;
  lines: { added: number; removed: number };
  sections: Array<{ section: string; title: string; change: 'added' | 'removed' | 'changed' }>;
}

export interface SearchHit {
  slug: string;
  title: string;
  status: string | null;
  /** Matches wrapped in <mark>, everything else HTML-escaped by the server. */
  snippet: string;
  rank: number;
}

export interface OpenQuestion {
  document: string;
  title: string;
  status: string | null;
  question: string;
  questionStatus: string;
  line: number;
  ageDays: number;
}

export interface Dashboard {
  myDrafts: DocumentView[];
  awaitingMyReview: Array<{ document: DocumentView; slots: string[] }>;
  recentlyApproved: DocumentView[];
  openQuestions: OpenQuestion[];
  stalled: Array<{ document: DocumentView; idleDays: number }>;
  byStatus: Array<{ status: string; count: number }>;
  stallDays: number;
}

export interface TemplateInfo {
  name: string;
  title: string;
  description: string;
  approvalSlots?: Array<{ name: string; roster: string | null; covers: string[]; required: boolean }>;
}

export interface Graph {
  nodes: Array<{ id: string; title: string; status: string | null }>;
  edges: Array<{ from: string; to: string; kind: string }>;
}

type ListQuery = Partial<
  Record<'status' | 'type' | 'template' | 'author' | 'label' | 'reviewer' | 'cursor', string>
> & { limit?: number };

export const endpoints = {
  login: (username: string, password: string) =>
    unwrap<{ user: User; csrfToken: string; expiresAt: string }>(
      api.POST('/api/v1/auth/login', { body: { username, password } }),
    ),
  logout: () => unwrap<void>(api.POST('/api/v1/auth/logout')),
  session: () => unwrap<Session>(api.GET('/api/v1/session')),
  dashboard: () => unwrap<Dashboard>(api.GET('/api/v1/dashboard', { params: { query: {} } })),
  listDocuments: (query: ListQuery) =>
    unwrap<{ items: DocumentView[]; nextCursor: string | null }>(
      api.GET('/api/v1/documents', { params: { query: query as never } }),
    ),
  getDocument: (id: string) =>
    unwrap<{ document: DocumentView; markdown: string }>(
      api.GET('/api/v1/documents/{id}', { params: { path: { id } } }),
    ),
  documentHtml: async (id: string, revision?: number): Promise<string> => {
    const response = await fetch(
      `/api/v1/documents/${encodeURIComponent(id)}/html${revision ? `?revision=${revision}` : ''}`,
      { credentials: 'same-origin' },
    );
    if (!response.ok) throw new Error(`Could not load the rendered document (HTTP ${response.status}).`);
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) return ((await response.json()) as { html: string }).html;
    return response.text();
  },
  markdownAt: (id: string, revision: number) =>
    unwrap<unknown>(
      api.GET('/api/v1/documents/{id}/markdown', {
        params: { path: { id }, query: { revision } },
        parseAs: 'text',
      }),
    ).then((t) => String(t)),
  createDocument: (body: { title?: string; template?: string; type?: string; markdown?: string }) =>
    unwrap<{ document: DocumentView }>(api.POST('/api/v1/documents', { body })),
  saveDocument: (id: string, markdown: string, baseRevision: number, message?: string) =>
    unwrap<{ document: DocumentView; findings: Finding[]; notices: string[] }>(
      api.PUT('/api/v1/documents/{id}', {
        params: { path: { id }, header: { 'if-match': `"${baseRevision}"` } as never },
        body: { markdown, ...(message ? { message } : {}) },
      }),
    ),
  findings: (id: string) =>
    unwrap<{ items: Finding[]; score: number; revision: number }>(
      api.GET('/api/v1/documents/{id}/findings', { params: { path: { id }, query: {} } }),
    ),
  revisions: (id: string) =>
    unwrap<{ items: RevisionInfo[] }>(
      api.GET('/api/v1/documents/{id}/revisions', { params: { path: { id } } }),
    ),
  diff: (id: string, from: number, to: number) =>
    unwrap<RevisionDiff>(
      api.GET('/api/v1/documents/{id}/diff', { params: { path: { id }, query: { from, to } } }),
    ),
  transition: (id: string, to: Lifecycle, reason?: string, supersededBy?: string) =>
    unwrap<{ document: DocumentView }>(
      api.POST('/api/v1/documents/{id}/transitions', {
        params: { path: { id } },
        body: { to, ...(reason ? { reason } : {}), ...(supersededBy ? { supersededBy } : {}) },
      }),
    ),
  archive: (id: string) =>
    unwrap<unknown>(api.POST('/api/v1/documents/{id}/archive', { params: { path: { id } } })),
  restore: (id: string) =>
    unwrap<unknown>(api.POST('/api/v1/documents/{id}/restore', { params: { path: { id } } })),
  reviews: (id: string) =>
    unwrap<ReviewState>(api.GET('/api/v1/documents/{id}/reviews', { params: { path: { id } } })),
  requestReview: (id: string, slot: string, users: string[], groups: string[]) =>
    unwrap<unknown>(
      api.POST('/api/v1/documents/{id}/review-requests', {
        params: { path: { id } },
        body: { slot, users, groups },
      }),
    ),
  verdict: (
    id: string,
    slot: string,
    verdict: 'approved' | 'changes-requested' | 'blocking',
    revision: number,
    comment?: string,
  ) =>
    unwrap<unknown>(
      api.POST('/api/v1/documents/{id}/verdicts', {
        params: { path: { id } },
        body: { slot, verdict, revision, ...(comment ? { comment } : {}) },
      }),
    ),
  comments: (id: string) =>
    unwrap<{ items: CommentView[] }>(
      api.GET('/api/v1/documents/{id}/comments', { params: { path: { id } } }),
    ),
  addComment: (id: string, body: { body: string; section?: string; quote?: string; parentId?: number }) =>
    unwrap<unknown>(api.POST('/api/v1/documents/{id}/comments', { params: { path: { id } }, body })),
  resolveComment: (id: string, commentId: number) =>
    unwrap<unknown>(
      api.POST('/api/v1/documents/{id}/comments/{commentId}/resolve', {
        params: { path: { id, commentId } },
      }),
    ),
  links: (id: string) => unwrap<Graph>(api.GET('/api/v1/documents/{id}/links', { params: { path: { id } } })),
  search: (q: string) =>
    unwrap<{ items: SearchHit[] }>(api.GET('/api/v1/search', { params: { query: { q, limit: 20 } } })),
  templates: () => unwrap<{ items: TemplateInfo[] }>(api.GET('/api/v1/templates')),
  lint: (markdown: string, template?: string) =>
    unwrap<{ findings: Finding[]; score: number; template: string | null }>(
      api.POST('/api/v1/lint', { body: { markdown, ...(template ? { template } : {}) } }),
    ),
  preview: (markdown: string, template?: string) =>
    unwrap<{ html: string }>(
      api.POST('/api/v1/preview', { body: { markdown, ...(template ? { template } : {}) } }),
    ),
  users: () => unwrap<{ items: User[] }>(api.GET('/api/v1/admin/users')),
  createUser: (body: {
    username: string;
    displayName?: string;
    role: 'admin' | 'member' | 'viewer';
    password?: string;
  }) => unwrap<User>(api.POST('/api/v1/admin/users', { body })),
  groups: () =>
    unwrap<{ items: Array<{ name: string; description?: string; members: string[] }> }>(
      api.GET('/api/v1/admin/groups'),
    ),
  createGroup: (name: string, description?: string) =>
    unwrap<unknown>(
      api.POST('/api/v1/admin/groups', { body: { name, ...(description ? { description } : {}) } }),
    ),
  addMember: (group: string, username: string) =>
    unwrap<unknown>(
      api.PUT('/api/v1/admin/groups/{group}/members/{username}', { params: { path: { group, username } } }),
    ),
  setRoster: (template: string, slot: string, group: string | null) =>
    unwrap<unknown>(
      api.PUT('/api/v1/admin/rosters/{template}/{slot}', {
        params: { path: { template, slot } },
        body: { group } as never,
      }),
    ),
  tokens: () =>
    unwrap<{
      items: Array<{
        id: number;
        name: string;
        scopes: string[];
        createdAt: string;
        lastUsedAt: string | null;
        revokedAt: string | null;
      }>;
    }>(api.GET('/api/v1/tokens')),
  createToken: (name: string, scopes: Array<'read' | 'write' | 'admin'>) =>
    unwrap<{ token: string; id?: number }>(api.POST('/api/v1/tokens', { body: { name, scopes } })),
  revokeToken: (tokenId: number) =>
    unwrap<unknown>(api.DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId } } })),
};
