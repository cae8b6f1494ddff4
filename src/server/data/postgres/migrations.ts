/**
 * PostgreSQL migrations. The names and tables match the SQLite folder's so both engines move
 * through the same schema versions; the differences are engine idioms: `serial` keys, and a
 * `search_index` table whose weighted `tsvector` is a stored generated column under a GIN index
 * (title A, metadata B, body C — the weights `ts_rank` and column filters read), with the title
 * and metadata vectors also in the narrow `search_header_index` (0005).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { createEventTables } from '../event-tables.js';

export const postgresMigrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
        .addColumn('id', 'serial', (c) => c.primaryKey())
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
      // The English configuration stems like FTS5's porter tokenizer, so "caching" finds "cache".
      await sql`
        create table search_index (
          document_id integer primary key references documents(id) on delete cascade,
          title text not null,
          metadata text not null,
          body text not null,
          tsv tsvector generated always as (
            setweight(to_tsvector('english', title), 'A') ||
            setweight(to_tsvector('english', metadata), 'B') ||
            setweight(to_tsvector('english', body), 'C')
          ) stored
        )`.execute(db);
      await sql`create index search_index_tsv on search_index using gin (tsv)`.execute(db);
    },
  },
  '0002_events': {
    async up(db: Kysely<unknown>): Promise<void> {
      await createEventTables(db, { type: 'serial', build: (c) => c.primaryKey() });
    },
  },
  '0003_search_title_index': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Title matches are always ranking candidates (see the driver's search); this finds them
      // without reading the large body vectors.
      await sql`create index search_index_title on search_index using gin (to_tsvector('english', title))`.execute(
        db,
      );
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
  '0005_search_vectors': {
    async up(db: Kysely<unknown>): Promise<void> {
      // The weighted vector (about 7 KB for a 9 KB document) kept in the row instead of TOAST:
      // the planner prices a scan by the heap's pages and never saw the 4 µs each out-of-line
      // vector cost to fetch, so it chose index-order scans that checked 100,000 vectors to find
      // a rare word (0.6 s). In the row, a scan's price is its real price. CLUSTER rewrites the
      // rows already there (and lays them out in id order, the order search reads them in).
      await sql`alter table search_index set (toast_tuple_target = 8160)`.execute(db);
      await sql`alter table search_index alter column tsv set storage main`.execute(db);
      await sql`cluster search_index using search_index_pkey`.execute(db);
      // Title and metadata vectors in a narrow table of their own: search takes title candidates
      // (and every match of a `title:` / `metadata:` query) from here without touching the wide
      // rows above, and a phrase is checked against the stored vector, where the expression index
      // re-parsed every candidate's title (25 ms for 3,000 titles at 100,000 documents).
      await sql`
        create table search_header_index (
          document_id integer primary key references documents(id) on delete cascade,
          title_tsv tsvector not null,
          metadata_tsv tsvector not null
        )`.execute(db);
      await sql`
        insert into search_header_index (document_id, title_tsv, metadata_tsv)
        select document_id, to_tsvector('english', title), to_tsvector('english', metadata) from search_index`.execute(
        db,
      );
      await sql`create index search_header_index_title on search_header_index using gin (title_tsv)`.execute(
        db,
      );
      await sql`create index search_header_index_metadata on search_header_index using gin (metadata_tsv)`.execute(
        db,
      );
      await sql`drop index if exists search_index_title`.execute(db);
      await sql`analyze search_index`.execute(db);
      await sql`analyze search_header_index`.execute(db);
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
  '0008_findings_in_revisions': {
    async up(db: Kysely<unknown>): Promise<void> {
      // See the SQLite migration of the same name: one JSON column per revision instead of a row
      // per finding. Text, not jsonb: it is only ever read whole and parsed by the server.
      await sql`alter table revisions add column findings text not null default '[]'`.execute(db);
      await sql`update revisions r set findings = f.findings from (
          select document_id, revision, json_agg(json_build_object('ruleId', rule_id, 'rule', rule,
            'severity', severity, 'message', message, 'line', line, 'column', "column",
            'endLine', end_line, 'endColumn', end_column) order by line, "column", id)::text as findings
          from findings group by document_id, revision) f
        where r.document_id = f.document_id and r.number = f.revision`.execute(db);
      await sql`drop table findings`.execute(db);
    },
  },
};
