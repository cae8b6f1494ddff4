/**
 * `approval.stale` events for a save: the approvals that were current at the base revision and that
 * the new revision makes stale (it changes a section their slot covers). The coverage rule is the
 * reviews service's own (`touchesSlot`), so the event and the review state never disagree.
 */
import type { Database, DocumentRecord } from '../data/database.js';
import type { NewEvent } from '../data/events.js';
import { changedSections, findSlot, latestVerdicts, slotsOf, touchesSlot } from '../services/review-state.js';
import type { ServiceContext } from '../services/service-context.js';

/**
 * The events for approvals on `saved` that `newHashes` (the saved revision's section hashes)
 * made stale and that were not stale at `baseRevision`. Reads through `db` (the save's transaction).
 */
export async function staleApprovalEvents(
  ctx: ServiceContext,
  db: Database,
  saved: DocumentRecord,
  baseRevision: number,
  newHashes: Record<string, string>,
  actor: string | null,
  at: string,
): Promise<NewEvent[]> {
  const schema = saved.template ? (ctx.templates.get(saved.template) ?? null) : null;
  if (schema === null || schema.approvalSlots.length === 0) return [];
  // Every read goes through the save's transaction: on SQLite a query outside it would wait for
  // the one connection the transaction holds. Most saves are of documents nobody has approved
  // yet: the verdicts come first, and the slots' roster settings are read only when there are some.
  const approvals = latestVerdicts(await db.listVerdicts(saved.id)).filter((v) => v.verdict === 'approved');
  if (approvals.length === 0) return [];
  const slots = await slotsOf({ ...ctx, db }, schema);
  const hashes = new Map<number, Record<string, string>>();
  const hashesAt = async (revision: number) => {
    let found = hashes.get(revision);
    if (!found) {
      found = (await db.getRevision(saved.id, revision))?.sectionHashes ?? {};
      hashes.set(revision, found);
    }
    return found;
  };
  const base = await hashesAt(baseRevision);
  const events: NewEvent[] = [];
  for (const approval of approvals) {
    const slot = findSlot(slots, approval.slot);
    if (!slot) continue;
    const approvedAt = await hashesAt(approval.revision);
    const staleBefore = touchesSlot(slot, slots, changedSections(approvedAt, base));
    const staleNow = touchesSlot(slot, slots, changedSections(approvedAt, newHashes));
    if (staleBefore || !staleNow) continue;
    const reviewer = (await db.getUser(approval.userId))?.username ?? null;
    events.push({
      kind: 'approval.stale',
      documentId: saved.id,
      documentSlug: saved.slug,
      actor,
      createdAt: at,
      data: {
        title: saved.title,
        slot: approval.slot,
        reviewer,
        approvedRevision: approval.revision,
        revision: saved.currentRevision,
      },
    });
  }
  return events;
}
