/**
 * The `Database` repository in portable Kysely queries, shared by every dialect. Engine-specific
 * work (migrations, full-text search, backup) is delegated to the dialect driver.
 */
import { sql, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import { DesignDocError } from '../../core/errors.js';
import type {
  AuditRecord,
  BackupOptions,
  CommentRecord,
  Database,
  DocumentDerived,
  DocumentFilter,
  DocumentPatch,
  DocumentRecord,
  ExtractHit,
  ExtractQuery,
  ExtractRecord,
  FindingRecord,
  GroupRecord,
  LinkKind,
  LinkRecord,
  NewDocument,
  Page,
  ReviewRequestRecord,
  RevisionPayload,
  RevisionRecord,
  Role,
  SearchHit,
  SessionRecord,
  TokenRecord,
  TokenScope,
  UserRecord,
  VerdictKind,
  VerdictRecord,
  Visibility,
} from './database.js';
import type { DialectDriver, RestrictDocuments } from './dialect.js';
import type { EventStore, NewEvent } from './events.js';
import { appendEventRows, KyselyEventStore } from './kysely-event-store.js';
import type { Tables } from './schema.js';
import { preparedQueriesOf, type PreparedQueries } from './prepared-queries.js';

type Row<T extends keyof Tables> = Selectable<Tables[T]>;

function toUser(row: Row<'users'>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role as Role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

function toGroup(row: Row<'groups'>): GroupRecord {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at };
}

function toToken(row: Row<'tokens'>): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    scopes: row.scopes.split(',').filter((s) => s !== '') as TokenScope[],
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function toDocument(row: Row<'documents'>): DocumentRecord {
  return {
    id: row.id,
    slug: row.slug,
    path: row.path,
    title: row.title,
    template: row.template,
    docType: row.doc_type,
    status: row.status,
    statusRaw: row.status_raw,
    authorId: row.author_id,
    labels: JSON.parse(row.labels) as string[],
    currentRevision: row.current_revision,
    score: row.score,
    errorCount: row.error_count,
    supersededBy: row.superseded_by,
    fcpEndsAt: row.fcp_ends_at,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVerdict(row: Row<'verdicts'>): VerdictRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    slot: row.slot,
    userId: row.user_id,
    verdict: row.verdict as VerdictKind,
    revision: row.revision,
    comment: row.comment,
    createdAt: row.created_at,
    liftedAt: row.lifted_at,
  };
}

function toComment(row: Row<'comments'>): CommentRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    parentId: row.parent_id,
    revision: row.revision,
    sectionId: row.section_id,
    quote: row.quote,
    body: row.body,
    authorId: row.author_id,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}

function toRequest(row: Row<'review_requests'>): ReviewRequestRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    slot: row.slot,
    userId: row.user_id,
    groupId: row.group_id,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
  };
}

function patchColumns(patch: DocumentPatch): Updateable<Tables['documents']> {
  const columns: Record<string, unknown> = {};
  if (patch.labels !== undefined) columns.labels = JSON.stringify(patch.labels);
  if (patch.fcpEndsAt !== undefined) columns.fcp_ends_at = patch.fcpEndsAt;
  if (patch.archivedAt !== undefined) columns.archived_at = patch.archivedAt;
  if (patch.path !== undefined) columns.path = patch.path;
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.statusRaw !== undefined) columns.status_raw = patch.statusRaw;
  if (patch.supersededBy !== undefined) columns.superseded_by = patch.supersededBy;
  return columns as Updateable<Tables['documents']>;
}

function derivedColumns(derived: DocumentDerived): Updateable<Tables['documents']> {
  return {
    title: derived.title,
    template: derived.template,
    doc_type: derived.docType,
    status: derived.status,
    status_raw: derived.statusRaw,
    score: derived.score,
    error_count: derived.errorCount,
    superseded_by: derived.supersededBy,
  };
}

/** Cursor = base64url of `updatedAt|id` of the last row returned. */
function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(parts.join('|'), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, number] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.lastIndexOf('|');
  const id = Number(text.slice(bar + 1));
  if (bar < 0 || !Number.isInteger(id)) {
    throw new DesignDocError('DD_E_VALIDATION', 'The cursor is not one this server issued.', {
      location: { field: 'cursor' },
    });
  }
  return [text.slice(0, bar), id];
}

/** A `documents as d` restriction to what `visibility` may see: not drafts of other people. */
function restrictTo(visibility: Visibility): RestrictDocuments {
  return (query) => {
    if (visibility.all) return query;
    const uid = visibility.userId ?? -1;
    return query.where((eb) =>
      eb.or([
        eb('d.status', 'is', null),
        eb('d.status', '!=', 'draft'),
        eb('d.author_id', '=', uid),
        eb.exists(
          eb
            .selectFrom('review_requests as rr')
            .select('rr.id')
            .whereRef('rr.document_id', '=', 'd.id')
            .where((inner) =>
              inner.or([
                inner('rr.user_id', '=', uid),
                inner(
                  'rr.group_id',
                  'in',
                  inner.selectFrom('group_members').select('group_id').where('user_id', '=', uid),
                ),
              ]),
            ),
        ),
      ]),
    );
  };
}

/** The shared repository over one dialect driver. */
export class KyselyDatabase implements Database {
  readonly capabilities;
  private readonly db: Kysely<Tables>;
  private readonly prepared: PreparedQueries;

  readonly events: EventStore;

  constructor(
    private readonly driver: DialectDriver,
    private readonly queryTime: { seconds: number },
    /** Set on the repository `transaction()` hands out: every query runs in that transaction. */
    transaction?: Kysely<Tables>,
  ) {
    this.capabilities = driver.capabilities;
    this.db = transaction ?? driver.kysely;
    this.prepared = preparedQueriesOf(driver);
    this.events = new KyselyEventStore(this.db, this.capabilities);
  }

  /** A transaction of its own, or the enclosing one when this repository is transaction-bound. */
  private inTransaction<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this.db);
    return this.driver.transaction ? this.driver.transaction(work) : this.db.transaction().execute(work);
  }

  transaction<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.inTransaction((trx) => work(new KyselyDatabase(this.driver, this.queryTime, trx)));
  }

  async lockDocument(id: number): Promise<DocumentRecord | null> {
    const locking = this.capabilities.multiInstance;
    const { rows } = await this.prepared.run(this.db, `lock-document:${locking}`, [id], (p) => {
      const query = this.db.selectFrom('documents').selectAll().where('id', '=', p<number>(0));
      // NO KEY UPDATE: lockers still exclude each other, but inserts that only reference the row (a
      // comment, a review request) need not wait for them.
      return locking ? query.forNoKeyUpdate() : query;
    });
    return rows[0] ? toDocument(rows[0]) : null;
  }

  async appendEvents(events: readonly NewEvent[]): Promise<void> {
    await appendEventRows(this.db, this.capabilities, events);
  }

  queryTimeSeconds(): number {
    return this.queryTime.seconds;
  }

  private async insertOne<T extends keyof Tables>(
    db: Kysely<Tables>,
    table: T,
    values: Record<string, unknown>,
  ): Promise<number> {
    // RETURNING is a capability; engines without it fall back to the insert id.
    if (this.capabilities.supportsReturning) {
      const row = await db
        .insertInto(table)
        .values(values as never)
        .returning(sql<number>`id`.as('id'))
        .executeTakeFirstOrThrow();
      return Number((row as { id: number }).id);
    }
    const result = await db
      .insertInto(table)
      .values(values as never)
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  private async guardUnique<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (this.driver.isUniqueViolation(error)) {
        throw new DesignDocError('DD_E_CONFLICT', `${what} already exists.`, { cause: error });
      }
      throw error;
    }
  }

  // users, groups ---------------------------------------------------------------------------

  async createUser(user: Omit<UserRecord, 'id'>): Promise<UserRecord> {
    const id = await this.guardUnique(`A user named "${user.username}"`, () =>
      this.insertOne(this.db, 'users', {
        username: user.username,
        display_name: user.displayName,
        email: user.email,
        password_hash: user.passwordHash,
        role: user.role,
        created_at: user.createdAt,
        disabled_at: user.disabledAt,
      }),
    );
    return { ...user, id };
  }

  async getUser(id: number): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async getUserByName(username: string): Promise<UserRecord | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
  }

  async updateUser(
    id: number,
    patch: Partial<Pick<UserRecord, 'role' | 'displayName' | 'passwordHash' | 'disabledAt' | 'email'>>,
  ): Promise<void> {
    const columns: Record<string, unknown> = {};
    if (patch.role !== undefined) columns.role = patch.role;
    if (patch.displayName !== undefined) columns.display_name = patch.displayName;
    if (patch.passwordHash !== undefined) columns.password_hash = patch.passwordHash;
    if (patch.disabledAt !== undefined) columns.disabled_at = patch.disabledAt;
    if (patch.email !== undefined) columns.email = patch.email;
    if (Object.keys(columns).length === 0) return;
    await this.db.updateTable('users').set(columns).where('id', '=', id).execute();
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createGroup(group: Omit<GroupRecord, 'id'>): Promise<GroupRecord> {
    const id = await this.guardUnique(`A group named "${group.name}"`, () =>
      this.insertOne(this.db, 'groups', {
        name: group.name,
        description: group.description,
        created_at: group.createdAt,
      }),
    );
    return { ...group, id };
  }

  async getGroupByName(name: string): Promise<GroupRecord | null> {
    const row = await this.db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toGroup(row) : null;
  }

  async getGroup(id: number): Promise<GroupRecord | null> {
    const row = await this.db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toGroup(row) : null;
  }

  async listGroups(): Promise<GroupRecord[]> {
    return (await this.db.selectFrom('groups').selectAll().orderBy('name').execute()).map(toGroup);
  }

  async addGroupMember(groupId: number, userId: number): Promise<void> {
    const existing = await this.db
      .selectFrom('group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!existing)
      await this.db.insertInto('group_members').values({ group_id: groupId, user_id: userId }).execute();
  }

  async removeGroupMember(groupId: number, userId: number): Promise<void> {
    await this.db
      .deleteFrom('group_members')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .execute();
  }

  async listGroupMembers(groupId: number): Promise<UserRecord[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll('users')
      .innerJoin('group_members', 'group_members.user_id', 'users.id')
      .where('group_members.group_id', '=', groupId)
      .orderBy('users.username')
      .execute();
    return rows.map(toUser);
  }

  async listUserGroups(userId: number): Promise<GroupRecord[]> {
    const rows = await this.db
      .selectFrom('groups')
      .selectAll('groups')
      .innerJoin('group_members', 'group_members.group_id', 'groups.id')
      .where('group_members.user_id', '=', userId)
      .orderBy('groups.name')
      .execute();
    return rows.map(toGroup);
  }

  // sessions, tokens ------------------------------------------------------------------------

  async createSession(session: SessionRecord): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        ip: session.ip,
      })
      .execute();
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return row
      ? {
          idHash: row.id_hash,
          userId: row.user_id,
          csrfToken: row.csrf_token,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          ip: row.ip,
        }
      : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteUserSessions(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async createToken(token: Omit<TokenRecord, 'id'>): Promise<TokenRecord> {
    const id = await this.insertOne(this.db, 'tokens', {
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      scopes: token.scopes.join(','),
      created_at: token.createdAt,
      last_used_at: token.lastUsedAt,
      revoked_at: token.revokedAt,
    });
    return { ...token, id };
  }

  async getTokenByHash(tokenHash: string): Promise<TokenRecord | null> {
    const row = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row ? toToken(row) : null;
  }

  async getToken(id: number): Promise<TokenRecord | null> {
    const row = await this.db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toToken(row) : null;
  }

  async listTokens(userId?: number): Promise<TokenRecord[]> {
    let query = this.db.selectFrom('tokens').selectAll().orderBy('id');
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    return (await query.execute()).map(toToken);
  }

  async revokeToken(id: number, at: string): Promise<void> {
    await this.db
      .updateTable('tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async touchToken(id: number, at: string): Promise<void> {
    await this.db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  // documents -------------------------------------------------------------------------------

  /** Many rows of one table: the dialect's fast path when it has one, else multi-row inserts. */
  private async insertMany(
    trx: Kysely<Tables>,
    table: 'extracts',
    columns: readonly string[],
    rows: ReadonlyArray<readonly unknown[]>,
  ): Promise<void> {
    if (rows.length === 0) return;
    if (this.driver.bulkInsert) {
      await this.driver.bulkInsert(table, columns, rows);
      return;
    }
    for (const chunk of chunks(rows, 80)) {
      const values = chunk.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));
      await trx
        .insertInto(table)
        .values(values as never)
        .execute();
    }
  }

  /**
   * Extracts describe the current revision only (queries never look at old ones), so a save replaces
   * them — by difference: an edit changes a few of a document's hundred-odd extracts, and deleting
   * and re-inserting them all (three B-trees each) was most of a save's database time. Rows whose
   * content is unchanged stay; those that only moved get their line updated.
   */
  private async replaceExtracts(
    trx: Kysely<Tables>,
    documentId: number,
    extracts: RevisionPayload['extracts'],
  ): Promise<void> {
    const { rows: existing } = await this.prepared.run(trx, 'extract-keys', [documentId], (p) =>
      trx
        .selectFrom('extracts')
        .select(['id', 'line', 'content_key'])
        .where('document_id', '=', p<number>(0)),
    );
    const unmatched = new Map<string, Array<{ id: number; line: number }>>();
    const removed: number[] = [];
    for (const row of existing) {
      if (row.content_key === null) {
        removed.push(row.id);
        continue;
      }
      const list = unmatched.get(row.content_key);
      if (list) list.push({ id: row.id, line: row.line });
      else unmatched.set(row.content_key, [{ id: row.id, line: row.line }]);
    }
    const inserts: Array<readonly unknown[]> = [];
    const moves: Array<{ id: number; line: number }> = [];
    for (const e of extracts) {
      const checked = e.checked === null ? null : e.checked ? 1 : 0;
      const kept = unmatched.get(e.contentKey)?.shift();
      if (kept === undefined)
        inserts.push([documentId, e.kind, e.section, e.label, e.value, checked, e.line, e.contentKey]);
      else if (kept.line !== e.line) moves.push({ id: kept.id, line: e.line });
    }
    for (const rows of unmatched.values()) for (const row of rows) removed.push(row.id);
    for (const ids of chunks(removed, 500)) await trx.deleteFrom('extracts').where('id', 'in', ids).execute();
    // An edit high in a document moves every extract below it: one statement per chunk, not per row.
    for (const chunk of chunks(moves, 200))
      await trx
        .updateTable('extracts')
        .set({
          line: sql<number>`case id ${sql.join(
            chunk.map((move) => sql`when ${move.id} then cast(${move.line} as integer)`),
            sql` `,
          )} end`,
        })
        .where(
          'id',
          'in',
          chunk.map((move) => move.id),
        )
        .execute();
    await this.insertMany(
      trx,
      'extracts',
      ['document_id', 'kind', 'section', 'label', 'value', 'checked', 'line', 'content_key'],
      inserts,
    );
  }

  private async writeRevisionRows(
    trx: Kysely<Tables>,
    documentId: number,
    number: number,
    revision: RevisionPayload,
    title: string,
  ): Promise<void> {
    const args = [
      documentId,
      number,
      revision.text,
      revision.sha256,
      revision.authorId,
      revision.message,
      JSON.stringify(revision.sectionHashes),
      JSON.stringify(inReadingOrder(revision.findings)),
      revision.createdAt,
    ];
    await this.prepared.run(trx, 'insert-revision', args, (p) =>
      trx.insertInto('revisions').values({
        document_id: p<number>(0),
        number: p<number>(1),
        text: p<string>(2),
        sha256: p<string>(3),
        author_id: p<number | null>(4),
        message: p<string>(5),
        section_hashes: p<string>(6),
        findings: p<string>(7),
        created_at: p<string>(8),
      }),
    );
    await this.replaceExtracts(trx, documentId, revision.extracts);
    await this.driver.indexDocument(trx, documentId, {
      title,
      metadata: revision.searchMetadata,
      body: revision.text,
    });
  }

  async createDocument(doc: NewDocument, revision: RevisionPayload): Promise<DocumentRecord> {
    return this.guardUnique(`A document with the id "${doc.slug}"`, () =>
      this.inTransaction(async (trx) => {
        const id = await this.insertOne(trx, 'documents', {
          slug: doc.slug,
          path: doc.path,
          author_id: doc.authorId,
          labels: JSON.stringify(doc.labels),
          current_revision: 1,
          fcp_ends_at: null,
          archived_at: null,
          created_at: revision.createdAt,
          updated_at: revision.createdAt,
          ...derivedColumns(doc),
        });
        await this.writeRevisionRows(trx, id, 1, revision, doc.title);
        const row = await trx
          .selectFrom('documents')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return toDocument(row);
      }),
    );
  }

  async appendRevision(
    documentId: number,
    baseRevision: number,
    derived: DocumentDerived,
    revision: RevisionPayload,
    patch: DocumentPatch = {},
  ): Promise<DocumentRecord | null> {
    return this.inTransaction(async (trx) => {
      // The conditional update is the concurrency check: exactly one writer per base revision
      // moves current_revision forward, on every engine, without holding a lock across requests.
      const update = trx
        .updateTable('documents')
        .set({
          ...derivedColumns(derived),
          ...patchColumns(patch),
          current_revision: baseRevision + 1,
          updated_at: revision.createdAt,
        })
        .where('id', '=', documentId)
        .where('current_revision', '=', baseRevision)
        // Archived documents take no revisions; checked here so an archive racing a save wins cleanly.
        .where('archived_at', 'is', null);
      if (this.capabilities.supportsReturning) {
        // The updated row comes back with the update: nothing below changes it.
        const row = await update.returningAll().executeTakeFirst();
        if (row === undefined) return null;
        await this.writeRevisionRows(trx, documentId, baseRevision + 1, revision, derived.title);
        return toDocument(row);
      }
      const result = await update.executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return null;
      await this.writeRevisionRows(trx, documentId, baseRevision + 1, revision, derived.title);
      const row = await trx
        .selectFrom('documents')
        .selectAll()
        .where('id', '=', documentId)
        .executeTakeFirstOrThrow();
      return toDocument(row);
    });
  }

  async updateDocument(documentId: number, patch: DocumentPatch, updatedAt: string): Promise<DocumentRecord> {
    await this.db
      .updateTable('documents')
      .set({ ...patchColumns(patch), updated_at: updatedAt })
      .where('id', '=', documentId)
      .execute();
    const row = await this.db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', documentId)
      .executeTakeFirstOrThrow();
    return toDocument(row);
  }

  async getDocument(id: number): Promise<DocumentRecord | null> {
    const { rows } = await this.prepared.run(this.db, 'document-by-id', [id], (p) =>
      this.db.selectFrom('documents').selectAll().where('id', '=', p<number>(0)),
    );
    return rows[0] ? toDocument(rows[0]) : null;
  }

  async getDocumentBySlug(slug: string): Promise<DocumentRecord | null> {
    const { rows } = await this.prepared.run(this.db, 'document-by-slug', [slug], (p) =>
      this.db.selectFrom('documents').selectAll().where('slug', '=', p<string>(0)),
    );
    return rows[0] ? toDocument(rows[0]) : null;
  }

  async getDocumentByPath(path: string): Promise<DocumentRecord | null> {
    const row = await this.db.selectFrom('documents').selectAll().where('path', '=', path).executeTakeFirst();
    return row ? toDocument(row) : null;
  }

  async listDocuments(
    filter: DocumentFilter,
    cursor: string | null,
    limit: number,
  ): Promise<Page<DocumentRecord>> {
    let query = this.db.selectFrom('documents as d').selectAll('d');
    query = restrictTo(filter.visibility)(query);
    const archived = filter.archived ?? 'exclude';
    if (archived === 'exclude') query = query.where('d.archived_at', 'is', null);
    if (archived === 'only') query = query.where('d.archived_at', 'is not', null);
    if (filter.status !== undefined) query = query.where('d.status', '=', filter.status);
    if (filter.type !== undefined)
      query = query.where(sql`lower(d.doc_type)`, '=', filter.type.toLowerCase());
    if (filter.template !== undefined) query = query.where('d.template', '=', filter.template);
    if (filter.authorId !== undefined) query = query.where('d.author_id', '=', filter.authorId);
    if (filter.label !== undefined) {
      // Labels are a JSON array of strings; the quoted form matches one whole label portably.
      query = query.where(likeContains(sql.ref('d.labels'), JSON.stringify(filter.label)));
    }
    if (filter.reviewerId !== undefined) {
      const uid = filter.reviewerId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('review_requests as r2')
            .select('r2.id')
            .whereRef('r2.document_id', '=', 'd.id')
            .where((inner) =>
              inner.or([
                inner('r2.user_id', '=', uid),
                inner(
                  'r2.group_id',
                  'in',
                  inner.selectFrom('group_members').select('group_id').where('user_id', '=', uid),
                ),
              ]),
            ),
        ),
      );
    }
    // A cursor holds where the last page ended: `created|id` oldest first, `updatedAt|id` newest.
    const created = filter.order === 'created';
    if (cursor !== null) {
      const [position, id] = decodeCursor(cursor);
      if ((position === 'created') !== created)
        throw new DesignDocError('DD_E_VALIDATION', 'The cursor belongs to another order of the list.', {
          location: { field: 'cursor' },
        });
      query = created
        ? query.where('d.id', '>', id)
        : query.where((eb) =>
            eb.or([
              eb('d.updated_at', '<', position),
              eb.and([eb('d.updated_at', '=', position), eb('d.id', '<', id)]),
            ]),
          );
    }
    const ordered = created
      ? query.orderBy('d.id', 'asc')
      : query.orderBy('d.updated_at', 'desc').orderBy('d.id', 'desc');
    const rows = await ordered.limit(limit + 1).execute();
    const items = rows.slice(0, limit).map(toDocument);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last ? encodeCursor([created ? 'created' : last.updatedAt, last.id]) : null,
    };
  }

  async countDocumentsByStatus(): Promise<Array<{ status: string; count: number }>> {
    const rows = await this.db
      .selectFrom('documents')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('archived_at', 'is', null)
      .groupBy('status')
      .execute();
    return rows.map((r) => ({ status: r.status ?? 'unknown', count: Number(r.n) }));
  }

  async getRevisionSha256(documentId: number, number: number): Promise<string | null> {
    const { rows } = await this.prepared.run(this.db, 'revision-sha256', [documentId, number], (p) =>
      this.db
        .selectFrom('revisions')
        .select('sha256')
        .where('document_id', '=', p<number>(0))
        .where('number', '=', p<number>(1)),
    );
    return rows[0]?.sha256 ?? null;
  }

  async getRevision(documentId: number, number: number): Promise<RevisionRecord | null> {
    const row = await this.db
      .selectFrom('revisions')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('number', '=', number)
      .executeTakeFirst();
    return row
      ? {
          documentId: row.document_id,
          number: row.number,
          text: row.text,
          sha256: row.sha256,
          authorId: row.author_id,
          message: row.message,
          sectionHashes: JSON.parse(row.section_hashes) as Record<string, string>,
          createdAt: row.created_at,
        }
      : null;
  }

  async listRevisions(documentId: number): Promise<Array<Omit<RevisionRecord, 'text' | 'sectionHashes'>>> {
    const rows = await this.db
      .selectFrom('revisions')
      .select(['document_id', 'number', 'sha256', 'author_id', 'message', 'created_at'])
      .where('document_id', '=', documentId)
      .orderBy('number')
      .execute();
    return rows.map((r) => ({
      documentId: r.document_id,
      number: r.number,
      sha256: r.sha256,
      authorId: r.author_id,
      message: r.message,
      createdAt: r.created_at,
    }));
  }

  async listFindings(documentId: number, revision: number): Promise<FindingRecord[]> {
    const row = await this.db
      .selectFrom('revisions')
      .select('findings')
      .where('document_id', '=', documentId)
      .where('number', '=', revision)
      .executeTakeFirst();
    return row ? (JSON.parse(row.findings) as FindingRecord[]) : [];
  }

  async queryExtracts(q: ExtractQuery): Promise<ExtractHit[]> {
    let query = this.db
      .selectFrom('extracts as e')
      .innerJoin('documents as d', 'd.id', 'e.document_id')
      .select([
        'e.kind',
        'e.section',
        'e.label',
        'e.value',
        'e.checked',
        'e.line',
        'd.id as documentId',
        'd.slug',
        'd.title',
        'd.status',
        'd.updated_at',
      ])
      .where('d.archived_at', 'is', null);
    query = restrictTo(q.visibility)(query as never) as unknown as typeof query;
    if (q.kind !== undefined) query = query.where('e.kind', '=', q.kind);
    if (q.section !== undefined)
      query = query.where(likeContains(sql`lower(e.section)`, q.section.toLowerCase()));
    if (q.label !== undefined) query = query.where(sql`lower(e.label)`, '=', q.label.toLowerCase());
    if (q.contains !== undefined)
      query = query.where(likeContains(sql`lower(e.value)`, q.contains.toLowerCase()));
    if (q.checked !== undefined) query = query.where('e.checked', '=', q.checked ? 1 : 0);
    const rows = await query
      .orderBy('d.updated_at', 'asc')
      .orderBy('d.id')
      .orderBy('e.line')
      .orderBy('e.kind')
      .orderBy('e.label')
      .orderBy('e.value')
      .limit(q.limit)
      .execute();
    return rows.map((r) => ({
      kind: r.kind as ExtractRecord['kind'],
      section: r.section,
      label: r.label,
      value: r.value,
      checked: r.checked === null ? null : r.checked === 1,
      line: r.line,
      documentId: r.documentId,
      slug: r.slug,
      title: r.title,
      status: r.status,
      updatedAt: r.updated_at,
    }));
  }

  async search(query: string, options: { visibility: Visibility; limit: number }): Promise<SearchHit[]> {
    return this.driver.search(this.db, query, options.limit, restrictTo(options.visibility));
  }

  // reviews, comments -------------------------------------------------------------------------

  async addReviewRequest(request: Omit<ReviewRequestRecord, 'id'>): Promise<ReviewRequestRecord> {
    const id = await this.insertOne(this.db, 'review_requests', {
      document_id: request.documentId,
      slot: request.slot,
      user_id: request.userId,
      group_id: request.groupId,
      requested_by: request.requestedBy,
      created_at: request.createdAt,
    });
    return { ...request, id };
  }

  async listReviewRequests(documentId: number): Promise<ReviewRequestRecord[]> {
    return (
      await this.db
        .selectFrom('review_requests')
        .selectAll()
        .where('document_id', '=', documentId)
        .orderBy('id')
        .execute()
    ).map(toRequest);
  }

  async deleteReviewRequest(id: number): Promise<void> {
    await this.db.deleteFrom('review_requests').where('id', '=', id).execute();
  }

  async addVerdict(verdict: Omit<VerdictRecord, 'id' | 'liftedAt'>): Promise<VerdictRecord> {
    const id = await this.insertOne(this.db, 'verdicts', {
      document_id: verdict.documentId,
      slot: verdict.slot,
      user_id: verdict.userId,
      verdict: verdict.verdict,
      revision: verdict.revision,
      comment: verdict.comment,
      created_at: verdict.createdAt,
      lifted_at: null,
    });
    return { ...verdict, id, liftedAt: null };
  }

  async listVerdicts(documentId: number): Promise<VerdictRecord[]> {
    const { rows } = await this.prepared.run(this.db, 'verdicts-of-document', [documentId], (p) =>
      this.db.selectFrom('verdicts').selectAll().where('document_id', '=', p<number>(0)).orderBy('id'),
    );
    return rows.map(toVerdict);
  }

  async liftVerdict(id: number, at: string): Promise<void> {
    await this.db.updateTable('verdicts').set({ lifted_at: at }).where('id', '=', id).execute();
  }

  async addComment(comment: Omit<CommentRecord, 'id' | 'resolvedAt' | 'resolvedBy'>): Promise<CommentRecord> {
    const id = await this.insertOne(this.db, 'comments', {
      document_id: comment.documentId,
      parent_id: comment.parentId,
      revision: comment.revision,
      section_id: comment.sectionId,
      quote: comment.quote,
      body: comment.body,
      author_id: comment.authorId,
      created_at: comment.createdAt,
      resolved_at: null,
      resolved_by: null,
    });
    return { ...comment, id, resolvedAt: null, resolvedBy: null };
  }

  async getComment(id: number): Promise<CommentRecord | null> {
    const row = await this.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toComment(row) : null;
  }

  async listComments(documentId: number): Promise<CommentRecord[]> {
    return (
      await this.db
        .selectFrom('comments')
        .selectAll()
        .where('document_id', '=', documentId)
        .orderBy('id')
        .execute()
    ).map(toComment);
  }

  async resolveComment(id: number, userId: number, at: string): Promise<void> {
    await this.db
      .updateTable('comments')
      .set({ resolved_at: at, resolved_by: userId })
      .where('id', '=', id)
      .execute();
  }

  // links ---------------------------------------------------------------------------------------

  async addLink(link: LinkRecord): Promise<void> {
    // One statement, so two requests adding the same link cannot both insert it.
    await this.db
      .insertInto('links')
      .values({ from_id: link.fromId, to_id: link.toId, kind: link.kind, created_at: link.createdAt })
      .onConflict((oc) =>
        oc.columns(['from_id', 'to_id', 'kind']).doUpdateSet({ created_at: link.createdAt }),
      )
      .execute();
  }

  async removeLink(fromId: number, toId: number, kind: LinkKind): Promise<void> {
    await this.db
      .deleteFrom('links')
      .where('from_id', '=', fromId)
      .where('to_id', '=', toId)
      .where('kind', '=', kind)
      .execute();
  }

  async listLinks(documentIds?: number[]): Promise<LinkRecord[]> {
    let query = this.db.selectFrom('links').selectAll();
    if (documentIds !== undefined) {
      if (documentIds.length === 0) return [];
      query = query.where((eb) => eb.or([eb('from_id', 'in', documentIds), eb('to_id', 'in', documentIds)]));
    }
    const rows = await query.orderBy('created_at').execute();
    return rows.map((r) => ({
      fromId: r.from_id,
      toId: r.to_id,
      kind: r.kind as LinkKind,
      createdAt: r.created_at,
    }));
  }

  // audit, settings ----------------------------------------------------------------------------

  async appendAudit(entry: Omit<AuditRecord, 'id'>): Promise<void> {
    const args = [
      entry.at,
      entry.actorId,
      entry.actorName,
      entry.action,
      entry.target,
      entry.ip,
      JSON.stringify(entry.details),
    ];
    await this.prepared.run(this.db, 'insert-audit', args, (p) =>
      this.db.insertInto('audit').values({
        at: p<string>(0),
        actor_id: p<number | null>(1),
        actor_name: p<string>(2),
        action: p<string>(3),
        target: p<string>(4),
        ip: p<string | null>(5),
        details: p<string>(6),
      }),
    );
  }

  async listAudit(cursor: string | null, limit: number): Promise<Page<AuditRecord>> {
    let query = this.db.selectFrom('audit').selectAll();
    if (cursor !== null) query = query.where('id', '<', decodeCursor(cursor)[1]);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      target: r.target,
      ip: r.ip,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(['audit', last.id]) : null };
  }

  async getSetting(key: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? row.value : null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.inTransaction(async (trx) => {
      await trx.deleteFrom('settings').where('key', '=', key).execute();
      await trx.insertInto('settings').values({ key, value }).execute();
    });
  }

  // operations ---------------------------------------------------------------------------------

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  backupTo(file: string, options?: BackupOptions): Promise<void> {
    return this.driver.backupTo(file, options);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/** `column LIKE '%text%'` with wildcards in `text` taken literally (ESCAPE is standard SQL). */
function likeContains(column: RawBuilder<unknown>, text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[%_\\]/g, '\\$&')}%`;
  return sql<boolean>`${column} like ${pattern} escape '\\'`;
}

/**
 * What identifies an extract's content (not its line): equal keys, equal rows. SHA-256, so that no
 * text a user writes can make two different extracts compare equal.
 */
/** Findings by line, then column, as a revision stores them and listFindings returns them. */
function inReadingOrder(findings: readonly FindingRecord[]): FindingRecord[] {
  return [...findings].sort((a, b) => a.line - b.line || a.column - b.column);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
