/**
 * The repository with its changes' events: every write that is a domain change (a document
 * created or revised, a status changed, a review requested, a verdict, a comment) appends its
 * event to the outbox inside the same transaction as the write. Emitting here rather than in each
 * service means no code path can commit a change without its event, or an event without its
 * change — including writes inside a caller's `transaction()`, which get the same wrapping.
 *
 * A concern is lifted the way the reviews service models it: the reviewer's newer verdict on the
 * slot replaces the blocking one. `approval.stale` needs the template's slot coverage, which only
 * the services know; it is not emitted here.
 */
import type { Database, DocumentPatch, DocumentRecord, VerdictKind } from './database.js';
import type { EventKind, NewEvent } from './events.js';

const VERDICT_EVENTS: Record<VerdictKind, EventKind> = {
  approved: 'review.approved',
  'changes-requested': 'review.changes_requested',
  blocking: 'concern.raised',
};

async function username(db: Database, id: number | null): Promise<string | null> {
  if (id === null) return null;
  return (await db.getUser(id))?.username ?? null;
}

function about(
  record: Pick<DocumentRecord, 'id' | 'slug' | 'title'>,
  kind: EventKind,
  actor: string | null,
  at: string,
  data: Record<string, unknown>,
): NewEvent {
  return {
    kind,
    documentId: record.id,
    documentSlug: record.slug,
    actor,
    createdAt: at,
    data: { title: record.title, ...data },
  };
}

function statusEvent(
  before: DocumentRecord,
  after: DocumentRecord,
  actor: string | null,
  at: string,
): NewEvent[] {
  if (before.status === after.status) return [];
  return [
    about(after, 'document.status_changed', actor, at, {
      from: before.status,
      to: after.status,
      revision: after.currentRevision,
    }),
  ];
}

/** Wraps `db` so its domain writes append their events in the same transaction. */
export function withEvents(db: Database): Database {
  const overrides: Partial<Database> = {
    transaction: (work) => db.transaction((tx) => work(withEvents(tx))),

    createDocument: (doc, revision) =>
      db.transaction(async (tx) => {
        const record = await tx.createDocument(doc, revision);
        await tx.appendEvents([
          about(record, 'document.created', await username(tx, revision.authorId), revision.createdAt, {
            revision: 1,
            status: record.status,
          }),
        ]);
        return record;
      }),

    appendRevision: (documentId, baseRevision, derived, revision, patch) =>
      db.transaction(async (tx) => {
        // The row lock gives the true "before" for the status event; the compare-and-set still decides.
        const before = await tx.lockDocument(documentId);
        const record = await tx.appendRevision(documentId, baseRevision, derived, revision, patch);
        if (record === null || before === null) return record;
        const actor = await username(tx, revision.authorId);
        await tx.appendEvents([
          about(record, 'document.revised', actor, revision.createdAt, {
            revision: record.currentRevision,
            message: revision.message,
          }),
          ...statusEvent(before, record, actor, revision.createdAt),
        ]);
        return record;
      }),

    updateDocument: (documentId: number, patch: DocumentPatch, updatedAt: string) =>
      db.transaction(async (tx) => {
        const before = await tx.lockDocument(documentId);
        const record = await tx.updateDocument(documentId, patch, updatedAt);
        if (before !== null) await tx.appendEvents(statusEvent(before, record, null, updatedAt));
        return record;
      }),

    addReviewRequest: (request) =>
      db.transaction(async (tx) => {
        const created = await tx.addReviewRequest(request);
        const record = await tx.getDocument(request.documentId);
        if (record) {
          const reviewer = await username(tx, request.userId);
          const group =
            request.groupId === null ? null : ((await tx.getGroup(request.groupId))?.name ?? null);
          await tx.appendEvents([
            about(record, 'review.requested', await username(tx, request.requestedBy), request.createdAt, {
              slot: request.slot,
              reviewer,
              group,
            }),
          ]);
        }
        return created;
      }),

    addVerdict: (verdict) =>
      db.transaction(async (tx) => {
        // A newer verdict from the same reviewer on the same slot replaces the older one: when the
        // older one was a blocking concern and the new one is not, the concern is lifted.
        const sameSlot = (slot: string) => slot.trim().toLowerCase() === verdict.slot.trim().toLowerCase();
        const previous = (await tx.listVerdicts(verdict.documentId))
          .filter((v) => v.userId === verdict.userId && sameSlot(v.slot) && v.liftedAt === null)
          .at(-1);
        const created = await tx.addVerdict(verdict);
        const record = await tx.getDocument(verdict.documentId);
        if (record) {
          const actor = await username(tx, verdict.userId);
          const data = { slot: verdict.slot, revision: verdict.revision, comment: verdict.comment };
          const lifted = previous?.verdict === 'blocking' && verdict.verdict !== 'blocking';
          await tx.appendEvents([
            ...(lifted ? [about(record, 'concern.lifted', actor, verdict.createdAt, data)] : []),
            about(record, VERDICT_EVENTS[verdict.verdict], actor, verdict.createdAt, data),
          ]);
        }
        return created;
      }),

    addComment: (comment) =>
      db.transaction(async (tx) => {
        const created = await tx.addComment(comment);
        const record = await tx.getDocument(comment.documentId);
        if (record) {
          await tx.appendEvents([
            about(record, 'comment.added', await username(tx, comment.authorId), comment.createdAt, {
              commentId: created.id,
              parentId: comment.parentId,
              section: comment.sectionId,
              revision: comment.revision,
            }),
          ]);
        }
        return created;
      }),
  };
  return new Proxy(db, {
    get(target, property, receiver) {
      if (Object.prototype.hasOwnProperty.call(overrides, property))
        return overrides[property as keyof Database];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
