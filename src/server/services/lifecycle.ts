/**
 * The lifecycle: checked transitions between statuses, each written into the document's own
 * Status line by the server. Approved needs every required slot approved on what the current
 * revision says, no blocking concern, no unchecked open question and no error-severity finding.
 */
import { DesignDocError } from '../../core/errors.js';
import { isUnresolvedQuestion } from '../../core/lint/unresolved-questions.js';
import { LIFECYCLE, type Lifecycle } from '../../core/model.js';
import type { DocumentRecord } from '../data/database.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import {
  listFindings,
  readRevisionText,
  requireDocument,
  parseDocumentText,
  requireVisibleDocument,
  writeServerRevision,
} from './documents.js';
import { withDocumentLock } from './document-lock.js';
import { rewriteStatus } from './lifecycle-text.js';
import { reviewState } from './review-state.js';
import { nowIso, type ServiceContext } from './service-context.js';

/** Where each status may go next. */
export const TRANSITIONS: Readonly<Record<Lifecycle, readonly Lifecycle[]>> = {
  draft: ['in-review', 'withdrawn', 'deferred'],
  'in-review': ['draft', 'approved', 'rejected', 'withdrawn', 'deferred'],
  approved: ['implemented', 'in-review', 'superseded', 'deprecated', 'withdrawn'],
  implemented: ['superseded', 'deprecated'],
  rejected: ['draft'],
  withdrawn: ['draft'],
  deferred: ['draft', 'in-review'],
  superseded: [],
  deprecated: [],
};

export interface TransitionInput {
  to: string;
  reason?: string;
  /** For `superseded`: the id of the document that supersedes this one. */
  supersededBy?: string;
}

/** Why the document may not become approved now; empty when it may. */
export async function approvalBlockers(ctx: ServiceContext, record: DocumentRecord): Promise<string[]> {
  const reasons: string[] = [];
  const state = await reviewState(ctx, record);
  for (const slot of state.slots) {
    if (slot.blocking) {
      const who = slot.verdicts.filter((v) => v.verdict === 'blocking').map((v) => v.user);
      reasons.push(`${slot.name}: unresolved blocking concern from ${who.join(', ')}.`);
    } else if (slot.required && !slot.approved) {
      const stale = slot.verdicts.filter((v) => v.verdict === 'approved' && v.stale);
      reasons.push(
        stale.length > 0
          ? `${slot.name}: the approval by ${stale.map((v) => `${v.user} (rev ${v.revision})`).join(', ')} is stale — a section it covers has changed.`
          : `${slot.name}: not approved on the current revision.`,
      );
    }
  }
  const text = await readRevisionText(ctx, record);
  // The same questions the linter's status rule (DD014) counts: unticked task items not settled.
  // A parse is all that takes (the findings are stored with the revision).
  const doc = parseDocumentText(record, text);
  const open = doc.openQuestions.filter(isUnresolvedQuestion);
  if (open.length > 0)
    reasons.push(
      `${open.length} open question(s) unchecked, first at line ${open[0]?.range.start.line}: "${open[0]?.text.slice(0, 80)}".`,
    );
  const errors = (await listFindings(ctx, record)).filter((f) => f.severity === 'error');
  if (errors.length > 0)
    reasons.push(
      `${errors.length} error finding(s), first at line ${errors[0]?.line}: ${errors[0]?.message} [${errors[0]?.ruleId}]`,
    );
  if (record.fcpEndsAt !== null && record.fcpEndsAt > nowIso(ctx))
    reasons.push(`The final comment period ends at ${record.fcpEndsAt}.`);
  else if (record.fcpEndsAt === null && ctx.config.finalCommentDays > 0 && state.allApproved) {
    reasons.push('The final comment period has not started.');
  }
  return reasons;
}

/**
 * Moves a document to another status if the move is allowed and its conditions hold; writes the
 * new Status into the markdown as a new revision. Refusals are DD_E_TRANSITION_REFUSED with every
 * reason in `details.reasons`. The checks and the write run under the document's row lock, so of
 * two conflicting transitions (or a transition and a verdict that would block it) only one passes.
 */
export async function transitionStatus(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  input: TransitionInput,
): Promise<DocumentRecord> {
  const known = await requireDocument(ctx, slug);
  if (!(LIFECYCLE as readonly string[]).includes(input.to)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `Unknown status "${input.to}"; expected one of ${LIFECYCLE.join(', ')}.`,
      { location: { field: 'to' } },
    );
  }
  const to = input.to as Lifecycle;
  return withDocumentLock(ctx, known, async (tx, record) => {
    if (record.archivedAt !== null) {
      throw new DesignDocError(
        'DD_E_TRANSITION_REFUSED',
        `Document "${slug}" is archived; restore it first.`,
        {
          details: { reasons: ['archived'] },
        },
      );
    }
    const from: Lifecycle = (record.status as Lifecycle | null) ?? 'draft';
    const refuse = (reasons: string[]): never => {
      throw new DesignDocError(
        'DD_E_TRANSITION_REFUSED',
        `Cannot move "${slug}" from ${from} to ${to}: ${reasons.join(' ')}`,
        {
          details: { from, to, reasons },
        },
      );
    };
    if (from === to) refuse([`It is already ${to}.`]);
    if (!TRANSITIONS[from].includes(to)) {
      const next = TRANSITIONS[from];
      refuse([next.length > 0 ? `From ${from} it can move to ${next.join(', ')}.` : `${from} is final.`]);
    }
    if (to === 'approved') {
      const reasons = await approvalBlockers(tx, record);
      if (reasons.length > 0) refuse(reasons);
    }
    let supersededBy: string | null = null;
    if (to === 'superseded') {
      if (!input.supersededBy) refuse(['Name the document that supersedes it (supersededBy).']);
      const successor = await requireVisibleDocument(tx, actor, input.supersededBy as string, 'supersededBy');
      if (successor.id === record.id) refuse(['A document cannot supersede itself.']);
      supersededBy = successor.title;
      await tx.db.addLink({
        fromId: successor.id,
        toId: record.id,
        kind: 'supersedes',
        createdAt: nowIso(tx),
      });
    }
    const reason = input.reason?.trim() ?? '';
    const updated = await writeServerRevision(
      tx,
      actor,
      record,
      (doc) => rewriteStatus(doc, to, supersededBy),
      `Status: ${from} → ${to}${reason ? ` — ${reason}` : ''}`,
      { status: to, supersededBy, ...(to === 'in-review' || to === 'draft' ? { fcpEndsAt: null } : {}) },
    );
    await recordAudit(tx, actor, 'document.transition', `document:${slug}`, {
      from,
      to,
      reason,
      revision: updated.currentRevision,
      supersededBy: input.supersededBy ?? null,
    });
    return updated;
  });
}
