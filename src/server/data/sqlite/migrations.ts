/**
 * SQLite migrations. Each dialect folder owns its migrations (issue 5 adds PostgreSQL's beside
 * these); the names are shared so both engines move through the same schema versions.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { createEventTables } from '../event-tables.js';

export const sqliteMigrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .execute();
      await db.schema
        .createTable('groups')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('group_members')
        .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('documents')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('path', 'text', (c) => c.unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        .addColumn('doc_type', 'text')
        .addColumn('status', 'text')
        .addColumn('status_raw', 'text', (c) => c.notNull())
        .addColumn('author_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('current_revision', 'integer', (c) => c.notNull())
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('error_count', 'integer', (c) => c.notNull())
        .addColumn('superseded_by', 'text')
        .addColumn('fcp_ends_at', 'text')
        .addColumn('archived_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('documents_updated')
        .on('documents')
        .columns(['updated_at', 'id'])
        .execute();
      await db.schema.createIndex('documents_status').on('documents').column('status').execute();
      await db.schema.createIndex('documents_author').on('documents').column('author_id').execute();
      await db.schema
        .createTable('revisions')
        .addColumn('document_id', 'integer', (c) =>
          c.notNull().references('documents.id').onDelete('cascade'),
        )
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('author_id', 'integer')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('section_hashes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('revisions_pk', ['document_id', 'number'])
        .execute();
      await db.schema
        .createTable('findings')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('document_id', 'integer', (c) =>
          c.notNull().references('documents.id').onDelete('cascade'),
        )
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('column', 'integer', (c) => c.notNull())
        .addColumn('end_line', 'integer', (c) => c.notNull())
        .addColumn('end_column', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('findings_revision')
        .on('findings')
        .columns(['document_id', 'revision'])
        .execute();
      await db.schema
        .createTable('extracts')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('document_id', 'integer', (c) =>
          c.notNull().references('documents.id').onDelete('cascade'),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('section', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('checked', 'integer')
        .addColumn('line', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('extracts_document').on('extracts').column('document_id').execute();
      await db.schema.createIndex('extracts_kind_label').on('extracts').columns(['kind', 'label']).execute();
      await db.schema
        .createTable('review_requests')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('document_id', 'integer', (c) =>
          c.notNull().references('documents.id').onDelete('cascade'),
        )
        .addColumn('slot', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('group_id', 'integer', (c) => c.references('groups.id').onDelete('cascade'))
        .addColumn('requested_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('review_requests_document')
        .on('review_requests')
        .column('document_id')
        .execute();
      await db.schema.createIndex('review_requests_user').on('review_requests').column('user_id').execute();
      await db.schema
        .createTable('verdicts')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('document_id', 'integer', (c) =>
          c.notNull().references('documents.id').onDelete('cascade'),
        )
        .addColumn('slot', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text')
        .execute();
      await db.schema.createIndex('verdicts_document').on('verdicts').column('document_id').execute();
      await db.schema
        .createTable('comments')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('document_id', 'integer', (c) =>
          c.notNull().references('documents.id').onDelete('cascade'),
        )
        .addColumn('parent_id', 'integer', (c) => c.references('comments.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('section_id', 'text')
        .addColumn('quote', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'integer')
        .execute();
      await db.schema.createIndex('comments_document').on('comments').column('document_id').execute();
      await db.schema
        .createTable('audit')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('links')
        .addColumn('from_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('to_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('links_pk', ['from_id', 'to_id', 'kind'])
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      // Porter stemming so "caching" finds "cache"; the index keeps its own copy of the text so
      // snippet() can highlight without reading the revisions table.
      await sql`create virtual table documents_fts using fts5(title, metadata, body, tokenize = 'porter unicode61 remove_diacritics 2')`.execute(
        db,
      );
    },
  },
  '0002_events': {
    async up(db: Kysely<unknown>): Promise<void> {
      await createEventTables(db, { type: 'integer', build: (c) => c.primaryKey().autoIncrement() });
    },
  },
  '0004_outbox_retention': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Retention asks "does any delivery still refer to this event?" for every candidate event;
      // deleting an event also cascades through this column.
      await db.schema
        .createIndex('webhook_deliveries_event')
        .on('webhook_deliveries')
        .columns(['event_id', 'webhook_id'])
        .execute();
    },
  },
  '0006_extract_content_keys': {
    async up(db: Kysely<unknown>): Promise<void> {
      // A save keeps the extracts whose content is unchanged; comparing one key per row, instead of
      // reading back every row's text, was most of what replacing them cost. Rows from before this
      // migration have none, match nothing, and are replaced on their document's next save.
      await db.schema.alterTable('extracts').addColumn('content_key', 'text').execute();
    },
  },
  '0007_search_pending': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Documents saved but not yet in documents_fts (see deferred-search-index.ts). The body is
      // read from the current revision when indexed; title and metadata are derived at save time.
      await db.schema
        .createTable('search_pending')
        .addColumn('document_id', 'integer', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0008_findings_in_revisions': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Findings are only ever read for one revision, whole: one JSON column on the revision row
      // replaces a row each (about 30 per save, with their index), which was a sixth of a save's
      // database time. Existing findings move over in their reading order.
      await sql`alter table revisions add column findings text not null default '[]'`.execute(db);
      await sql`update revisions set findings = (
          select json_group_array(json_object('ruleId', rule_id, 'rule', rule, 'severity', severity,
            'message', message, 'line', line, 'column', "column", 'endLine', end_line,
            'endColumn', end_column) order by line, "column", id)
          from findings f where f.document_id = revisions.document_id and f.revision = revisions.number)
        where exists (select 1 from findings f where f.document_id = revisions.document_id and f.revision = revisions.number)`.execute(
        db,
      );
      await sql`drop table findings`.execute(db);
    },
  },
  '0009_search_prefix_index': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Prefix queries (`cach*`) of two to four characters get their own index entries. Without
      // them FTS5 gathers every matching term's whole position list before it can return a row —
      // for the match, again for bm25 and again for the snippet: 15 ms for `cach*` and 220 ms for
      // `ca*` at 100,000 documents, against 6 and 11 ms with them. The price: an index about three
      // times the size and about 1 ms more per indexed save (see BENCHMARKS.md, Search).
      // FTS5 cannot add the option to a table, so the index is rebuilt: about a minute per
      // 100,000 documents, once.
      await sql`create virtual table documents_fts_prefixed using fts5(title, metadata, body, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4')`.execute(
        db,
      );
      await sql`insert into documents_fts_prefixed (rowid, title, metadata, body) select rowid, title, metadata, body from documents_fts`.execute(
        db,
      );
      await sql`drop table documents_fts`.execute(db);
      await sql`alter table documents_fts_prefixed rename to documents_fts`.execute(db);
    },
  },
  '0010_search_automerge': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Every indexing transaction adds a segment to the full-text index, and FTS5 merges a
      // level's segments once it holds `automerge` of them (4 by default). Merging at 8 rewrites
      // each entry fewer times: indexing a save costs about a fifth less, a query about 6% more
      // (more segments to look in; measured on the 10,000-document benchmark database, see
      // BENCHMARKS.md). The setting is stored with the index.
      await sql`insert into documents_fts (documents_fts, rank) values ('automerge', 8)`.execute(db);
    },
  },
};
