/**
 * The one repository interface every layer above the data layer talks to. Services never see SQL,
 * Kysely or which engine is underneath: `openDatabase()` in this folder's entry picks a dialect
 * and hands back a `Database`. Records are plain values; revisions are immutable once written.
 */

import type { EventStore, NewEvent } from './events.js';

export type Role = 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'member', 'viewer'];

export type TokenScope = 'read' | 'write' | 'admin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin'];

export type VerdictKind = 'approved' | 'changes-requested' | 'blocking';
export const VERDICT_KINDS: readonly VerdictKind[] = ['approved', 'changes-requested', 'blocking'];

export type LinkKind = 'supersedes' | 'depends-on' | 'plan-specification' | 'relates-to';
export const LINK_KINDS: readonly LinkKind[] = [
  'supersedes',
  'depends-on',
  'plan-specification',
  'relates-to',
];

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  passwordHash: string | null;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

export interface GroupRecord {
  id: number;
  name: string;
  description: string;
  createdAt: string;
}

export interface SessionRecord {
  idHash: string;
  userId: number;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  ip: string | null;
}

export interface TokenRecord {
  id: number;
  userId: number;
  name: string;
  tokenHash: string;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface DocumentRecord {
  id: number;
  slug: string;
  /** Relative path the document was imported from (export writes it back there), or null. */
  path: string | null;
  title: string;
  template: string;
  docType: string | null;
  /** Lifecycle state, or null when the document's status is not recognised. */
  status: string | null;
  statusRaw: string;
  authorId: number | null;
  labels: string[];
  currentRevision: number;
  score: number;
  errorCount: number;
  supersededBy: string | null;
  fcpEndsAt: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RevisionRecord {
  documentId: number;
  number: number;
  text: string;
  sha256: string;
  authorId: number | null;
  message: string;
  /** Section title (lower case) → content hash, for approval staleness. */
  sectionHashes: Record<string, string>;
  createdAt: string;
}

export interface FindingRecord {
  ruleId: string;
  rule: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A field, question or item extracted from the current revision, for structured queries. */
export interface ExtractRecord {
  kind: 'field' | 'item' | 'question' | 'section' | 'decision' | 'component';
  section: string;
  label: string;
  value: string;
  checked: boolean | null;
  line: number;
}

/** An extract as a save stores it, with its content key (`extract-content-key.ts`). */
export interface StoredExtract extends ExtractRecord {
  contentKey: string;
}

export interface ReviewRequestRecord {
  id: number;
  documentId: number;
  slot: string;
  userId: number | null;
  groupId: number | null;
  requestedBy: number | null;
  createdAt: string;
}

export interface VerdictRecord {
  id: number;
  documentId: number;
  slot: string;
  userId: number;
  verdict: VerdictKind;
  revision: number;
  comment: string;
  createdAt: string;
  liftedAt: string | null;
}

export interface CommentRecord {
  id: number;
  documentId: number;
  parentId: number | null;
  revision: number;
  sectionId: string | null;
  quote: string | null;
  body: string;
  authorId: number;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: number | null;
}

export interface AuditRecord {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  target: string;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface LinkRecord {
  fromId: number;
  toId: number;
  kind: LinkKind;
  createdAt: string;
}

/** Everything a save stores beside the text: derived from parse + lint by the documents service. */
export interface RevisionPayload {
  text: string;
  sha256: string;
  authorId: number | null;
  message: string;
  sectionHashes: Record<string, string>;
  createdAt: string;
  findings: FindingRecord[];
  extracts: StoredExtract[];
  /** Flattened metadata text for the search index. */
  searchMetadata: string;
}

/** Columns of a document that follow from its current text, refreshed on every save. */
export interface DocumentDerived {
  title: string;
  template: string;
  docType: string | null;
  status: string | null;
  statusRaw: string;
  score: number;
  errorCount: number;
  supersededBy: string | null;
}

export interface NewDocument extends DocumentDerived {
  slug: string;
  path: string | null;
  authorId: number | null;
  labels: string[];
}

/** Fields a write may change besides the text. */
export type DocumentPatch = Partial<
  Pick<
    DocumentRecord,
    'labels' | 'fcpEndsAt' | 'archivedAt' | 'path' | 'status' | 'statusRaw' | 'supersededBy'
  >
>;

/** Who may see what: the same rule for lists, search and graph (drafts stay with their people). */
export interface Visibility {
  /** Admins see everything. */
  all: boolean;
  userId: number | null;
}

export interface DocumentFilter {
  status?: string;
  type?: string;
  template?: string;
  authorId?: number;
  label?: string;
  /** Documents with a review request naming this user directly or through a group. */
  reviewerId?: number;
  archived?: 'exclude' | 'include' | 'only';
  visibility: Visibility;
  /**
   * `recent` (the default): newest change first. `created`: oldest document first, an order a save
   * does not change, so paging through every document while others save misses none (exports).
   */
  order?: 'recent' | 'created';
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null at the end. */
  nextCursor: string | null;
}

export interface ExtractQuery {
  /** Extract kind, e.g. `field`, `question`. */
  kind?: ExtractRecord['kind'];
  /** Section title, case-insensitive substring. */
  section?: string;
  /** Label, case-insensitive exact. */
  label?: string;
  /** Case-insensitive substring of the value. */
  contains?: string;
  checked?: boolean;
  visibility: Visibility;
  limit: number;
}

export interface ExtractHit extends ExtractRecord {
  documentId: number;
  slug: string;
  title: string;
  status: string | null;
  updatedAt: string;
}

export interface SearchHit {
  documentId: number;
  slug: string;
  title: string;
  status: string | null;
  /** The engine's rank (lower is better for bm25). */
  rank: number;
  /** A highlighted excerpt; matches wrapped in `<mark>`…`</mark>`, everything else HTML-escaped. */
  snippet: string;
}

export interface BackupOptions {
  /** Environment for an external backup tool (PATH to find pg_dump, PG* settings); default the process's. */
  env?: NodeJS.ProcessEnv;
  /**
   * Leave out the free pages of the SQLite file (`VACUUM INTO`: the copy is rebuilt, smaller and
   * slower to write). A pg_dump archive holds no free space, so PostgreSQL ignores it.
   */
  compact?: boolean;
}

/** What an engine can do; services branch on these, never on the dialect's name. */
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** `INSERT … RETURNING` is available. */
  readonly supportsReturning: boolean;
  /**
   * What `backupTo()` writes, online and consistent: the SQLite database file itself (its backup
   * API), or a pg_dump custom-format archive (needs `pg_dump` on PATH; restored with pg_restore).
   */
  readonly backupFormat: 'sqlite' | 'pg_dump';
  /** Full-text engine behind `search()`. */
  readonly fullText: 'fts5' | 'tsvector';
  /** Several server processes may share the database. */
  readonly multiInstance: boolean;
}

export interface Database {
  readonly capabilities: DialectCapabilities;

  // transactions, events
  /**
   * Runs `work` in one transaction: every call on the repository it receives commits or rolls back
   * together (a service writes its change and the change's events this way).
   */
  transaction<T>(work: (db: Database) => Promise<T>): Promise<T>;
  /**
   * Inside `transaction()`: locks the document's row until commit (`SELECT … FOR NO KEY UPDATE`
   * on PostgreSQL; on SQLite the transaction holds the one connection, which serialises it whole)
   * and returns it fresh, so a read-check-write on one document cannot interleave with another.
   * Null when absent.
   */
  lockDocument(id: number): Promise<DocumentRecord | null>;
  /** Writes events to the outbox — inside the caller's transaction when called on a `transaction()` repository. */
  appendEvents(events: readonly NewEvent[]): Promise<void>;
  /** Webhooks, deliveries and the worker's claims over the outbox. */
  readonly events: EventStore;

  // users, groups
  createUser(user: Omit<UserRecord, 'id'>): Promise<UserRecord>;
  getUser(id: number): Promise<UserRecord | null>;
  getUserByName(username: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(
    id: number,
    patch: Partial<Pick<UserRecord, 'role' | 'displayName' | 'passwordHash' | 'disabledAt' | 'email'>>,
  ): Promise<void>;
  countUsers(): Promise<number>;
  createGroup(group: Omit<GroupRecord, 'id'>): Promise<GroupRecord>;
  getGroupByName(name: string): Promise<GroupRecord | null>;
  getGroup(id: number): Promise<GroupRecord | null>;
  listGroups(): Promise<GroupRecord[]>;
  addGroupMember(groupId: number, userId: number): Promise<void>;
  removeGroupMember(groupId: number, userId: number): Promise<void>;
  listGroupMembers(groupId: number): Promise<UserRecord[]>;
  listUserGroups(userId: number): Promise<GroupRecord[]>;

  // sessions, tokens
  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteUserSessions(userId: number): Promise<void>;
  createToken(token: Omit<TokenRecord, 'id'>): Promise<TokenRecord>;
  getTokenByHash(tokenHash: string): Promise<TokenRecord | null>;
  getToken(id: number): Promise<TokenRecord | null>;
  listTokens(userId?: number): Promise<TokenRecord[]>;
  revokeToken(id: number, at: string): Promise<void>;
  touchToken(id: number, at: string): Promise<void>;

  // documents and revisions
  /** Creates a document with revision 1 (findings, extracts and search index in the same transaction). */
  createDocument(doc: NewDocument, revision: RevisionPayload): Promise<DocumentRecord>;
  /**
   * Appends revision `baseRevision + 1` if and only if `baseRevision` is still current and the
   * document is not archived; returns null (and writes nothing) otherwise — another write got
   * there first, or an archive did.
   */
  appendRevision(
    documentId: number,
    baseRevision: number,
    derived: DocumentDerived,
    revision: RevisionPayload,
    patch?: DocumentPatch,
  ): Promise<DocumentRecord | null>;
  /** Changes fields that are not the text (labels, archive, final comment period). */
  updateDocument(documentId: number, patch: DocumentPatch, updatedAt: string): Promise<DocumentRecord>;
  getDocument(id: number): Promise<DocumentRecord | null>;
  getDocumentBySlug(slug: string): Promise<DocumentRecord | null>;
  getDocumentByPath(path: string): Promise<DocumentRecord | null>;
  listDocuments(filter: DocumentFilter, cursor: string | null, limit: number): Promise<Page<DocumentRecord>>;
  countDocumentsByStatus(): Promise<Array<{ status: string; count: number }>>;
  getRevision(documentId: number, number: number): Promise<RevisionRecord | null>;
  /** The SHA-256 of one revision's text (without reading the text), or null when there is none. */
  getRevisionSha256(documentId: number, number: number): Promise<string | null>;
  listRevisions(documentId: number): Promise<Array<Omit<RevisionRecord, 'text' | 'sectionHashes'>>>;
  listFindings(documentId: number, revision: number): Promise<FindingRecord[]>;
  queryExtracts(query: ExtractQuery): Promise<ExtractHit[]>;
  search(query: string, options: { visibility: Visibility; limit: number }): Promise<SearchHit[]>;

  // reviews and comments
  addReviewRequest(request: Omit<ReviewRequestRecord, 'id'>): Promise<ReviewRequestRecord>;
  listReviewRequests(documentId: number): Promise<ReviewRequestRecord[]>;
  deleteReviewRequest(id: number): Promise<void>;
  addVerdict(verdict: Omit<VerdictRecord, 'id' | 'liftedAt'>): Promise<VerdictRecord>;
  listVerdicts(documentId: number): Promise<VerdictRecord[]>;
  liftVerdict(id: number, at: string): Promise<void>;
  addComment(comment: Omit<CommentRecord, 'id' | 'resolvedAt' | 'resolvedBy'>): Promise<CommentRecord>;
  getComment(id: number): Promise<CommentRecord | null>;
  listComments(documentId: number): Promise<CommentRecord[]>;
  resolveComment(id: number, userId: number, at: string): Promise<void>;

  // links
  addLink(link: LinkRecord): Promise<void>;
  removeLink(fromId: number, toId: number, kind: LinkKind): Promise<void>;
  listLinks(documentIds?: number[]): Promise<LinkRecord[]>;

  // audit, settings
  appendAudit(entry: Omit<AuditRecord, 'id'>): Promise<void>;
  listAudit(cursor: string | null, limit: number): Promise<Page<AuditRecord>>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;

  // operations
  /** True when the engine answers a trivial query (readiness). */
  ping(): Promise<boolean>;
  /** Online, consistent copy of the whole database into `file`, in `capabilities.backupFormat`. */
  backupTo(file: string, options?: BackupOptions): Promise<void>;
  /** Cumulative time spent in the engine, for metrics. */
  queryTimeSeconds(): number;
  close(): Promise<void>;
}
