/**
 * The tables as Kysely sees them. Column types are the lowest common denominator of the dialects
 * (integers, text, ISO timestamps as text, JSON as text) so one set of queries serves SQLite now
 * and PostgreSQL later; anything a dialect does differently lives in its folder.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string | null;
  role: string;
  created_at: string;
  disabled_at: string | null;
}

export interface GroupsTable {
  id: Generated<number>;
  name: string;
  description: string;
  created_at: string;
}

export interface GroupMembersTable {
  group_id: number;
  user_id: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
}

export interface TokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface DocumentsTable {
  id: Generated<number>;
  slug: string;
  path: string | null;
  title: string;
  template: string;
  doc_type: string | null;
  status: string | null;
  status_raw: string;
  author_id: number | null;
  labels: string;
  current_revision: number;
  score: number;
  error_count: number;
  superseded_by: string | null;
  fcp_ends_at: string | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RevisionsTable {
  document_id: number;
  number: number;
  text: string;
  sha256: string;
  author_id: number | null;
  message: string;
  section_hashes: string;
  /** The revision's lint findings: a JSON array of FindingRecord, by line and column. */
  findings: string;
  created_at: string;
}

export interface ExtractsTable {
  id: Generated<number>;
  document_id: number;
  kind: string;
  section: string;
  label: string;
  value: string;
  checked: number | null;
  line: number;
  /** Hash of kind, section, label, value and checked; null on rows older than the column. */
  content_key: string | null;
}

export interface ReviewRequestsTable {
  id: Generated<number>;
  document_id: number;
  slot: string;
  user_id: number | null;
  group_id: number | null;
  requested_by: number | null;
  created_at: string;
}

export interface VerdictsTable {
  id: Generated<number>;
  document_id: number;
  slot: string;
  user_id: number;
  verdict: string;
  revision: number;
  comment: string;
  created_at: string;
  lifted_at: string | null;
}

export interface CommentsTable {
  id: Generated<number>;
  document_id: number;
  parent_id: number | null;
  revision: number;
  section_id: string | null;
  quote: string | null;
  body: string;
  author_id: number;
  created_at: string;
  resolved_at: string | null;
  resolved_by: number | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  target: string;
  ip: string | null;
  details: string;
}

export interface LinksTable {
  from_id: number;
  to_id: number;
  kind: string;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** Every table, keyed by name: the type parameter of `Kysely<Tables>`. */
export interface Tables {
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  documents: DocumentsTable;
  revisions: RevisionsTable;
  extracts: ExtractsTable;
  review_requests: ReviewRequestsTable;
  verdicts: VerdictsTable;
  comments: CommentsTable;
  audit: AuditTable;
  links: LinksTable;
  settings: SettingsTable;
}
