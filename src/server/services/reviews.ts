/**
 * The reviews service: review requests per approval slot (users or groups), verdicts bound to the
 * revision the reviewer read, rosters, no self-approval, the Approvals section written into the
 * markdown, the final comment period, and comments anchored to sections and quoted text.
 */
import { DesignDocError } from '../../core/errors.js';
import { normalizeHeading } from '../../core/section-kinds.js';
import {
  VERDICT_KINDS,
  type CommentRecord,
  type DocumentRecord,
  type VerdictKind,
} from '../data/database.js';
import { actorRole, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { flattenSections } from './document-analysis.js';
import {
  parseDocumentText,
  readRevisionText,
  requireDocument,
  requireRevision,
  writeServerRevision,
} from './documents.js';
import { withDocumentLock } from './document-lock.js';
import { transitionStatus } from './lifecycle.js';
import { rewriteApprovalSlot } from './lifecycle-text.js';
import {
  changedSections,
  findSlot,
  recordedApprovalLines,
  reviewState,
  rosterKey,
  slotsOf,
  touchesSlot,
} from './review-state.js';
import { nowIso, type ServiceContext } from './service-context.js';

function schemaOf(ctx: ServiceContext, record: DocumentRecord) {
  return record.template ? (ctx.templates.get(record.template) ?? null) : null;
}

async function requireSlot(ctx: ServiceContext, record: DocumentRecord, name: string) {
  const slots = await slotsOf(ctx, schemaOf(ctx, record));
  const slot = findSlot(slots, name);
  if (!slot) {
    const known =
      slots.map((s) => s.name).join(', ') || 'none (the document follows no template with approval slots)';
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `No approval slot is named "${name}"; this document's slots: ${known}.`,
      { location: { field: 'slot' } },
    );
  }
  return { slot, slots };
}

/**
 * Asks users and/or groups to review one slot. A draft moves to in-review (its Status line is
 * written) when its first review is requested. Reading who is asked already and adding the rest
 * happen under the document's row lock, so two requests never ask one reviewer twice.
 */
export async function requestReview(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  input: { slot: string; users?: string[]; groups?: string[] },
): Promise<DocumentRecord> {
  const known = await requireDocument(ctx, slug);
  const users = input.users ?? [];
  const groups = input.groups ?? [];
  if (users.length + groups.length === 0) {
    throw new DesignDocError('DD_E_VALIDATION', 'Name at least one user or group to review.', {
      location: { field: 'users' },
    });
  }
  return withDocumentLock(ctx, known, async (tx, locked) => {
    let record = locked;
    const { slot } = await requireSlot(tx, record, input.slot);
    const existing = await tx.db.listReviewRequests(record.id);
    const at = nowIso(tx);
    for (const username of users) {
      const user = await tx.db.getUserByName(username.toLowerCase());
      if (!user)
        throw new DesignDocError('DD_E_VALIDATION', `No user is named "${username}".`, {
          location: { field: 'users' },
        });
      if (user.id === record.authorId) {
        throw new DesignDocError(
          'DD_E_VALIDATION',
          `"${username}" wrote the document and cannot review it.`,
          {
            location: { field: 'users' },
          },
        );
      }
      if (
        existing.some((r) => r.userId === user.id && normalizeHeading(r.slot) === normalizeHeading(slot.name))
      )
        continue;
      existing.push(
        await tx.db.addReviewRequest({
          documentId: record.id,
          slot: slot.name,
          userId: user.id,
          groupId: null,
          requestedBy: actor.user?.id ?? null,
          createdAt: at,
        }),
      );
    }
    for (const name of groups) {
      const group = await tx.db.getGroupByName(name.toLowerCase());
      if (!group)
        throw new DesignDocError('DD_E_VALIDATION', `No group is named "${name}".`, {
          location: { field: 'groups' },
        });
      if (
        existing.some(
          (r) => r.groupId === group.id && normalizeHeading(r.slot) === normalizeHeading(slot.name),
        )
      )
        continue;
      existing.push(
        await tx.db.addReviewRequest({
          documentId: record.id,
          slot: slot.name,
          userId: null,
          groupId: group.id,
          requestedBy: actor.user?.id ?? null,
          createdAt: at,
        }),
      );
    }
    await recordAudit(tx, actor, 'review.request', `document:${slug}`, { slot: slot.name, users, groups });
    if (record.status === 'draft' || record.status === null) {
      // Joins this transaction and its lock.
      record = await transitionStatus(tx, actor, slug, {
        to: 'in-review',
        reason: `review requested (${slot.name})`,
      });
    }
    return record;
  });
}

export interface VerdictInput {
  slot: string;
  verdict: string;
  /** The revision the reviewer read. */
  revision: number;
  comment?: string;
}

/**
 * Records a verdict in a slot, bound to the revision read. Refused for the document's author,
 * for someone outside the slot's roster (or, without a roster, not asked to review it), on a
 * document not in review, and when a section the slot covers changed after the revision read.
 * The slot's entries in the Approvals section are rewritten to match. Every check and the writes
 * run under the document's row lock: a save or a transition that lands first is seen, and one
 * that comes later waits and then finds the revision it was based on gone.
 */
export async function recordVerdict(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  input: VerdictInput,
): Promise<DocumentRecord> {
  const known = await requireDocument(ctx, slug);
  const user = actor.user;
  if (!user) throw new DesignDocError('DD_E_UNAUTHENTICATED', 'Sign in to review.');
  if (!(VERDICT_KINDS as readonly string[]).includes(input.verdict)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `Unknown verdict "${input.verdict}"; expected one of ${VERDICT_KINDS.join(', ')}.`,
      { location: { field: 'verdict' } },
    );
  }
  const verdict = input.verdict as VerdictKind;
  return withDocumentLock(ctx, known, async (tx, record) => {
    if (record.authorId === user.id) {
      throw new DesignDocError('DD_E_FORBIDDEN', 'Authors cannot approve or review their own document.');
    }
    const { slot, slots } = await requireSlot(tx, record, input.slot);
    if (slot.roster !== null) {
      if (!actor.groups.includes(slot.roster)) {
        throw new DesignDocError(
          'DD_E_FORBIDDEN',
          `Only members of the "${slot.roster}" group may review the ${slot.name} slot.`,
        );
      }
    } else if (actorRole(actor) !== 'admin') {
      const requests = await tx.db.listReviewRequests(record.id);
      const groupIds = new Set((await tx.db.listUserGroups(user.id)).map((g) => g.id));
      const asked = requests.some(
        (r) =>
          normalizeHeading(r.slot) === normalizeHeading(slot.name) &&
          (r.userId === user.id || (r.groupId !== null && groupIds.has(r.groupId))),
      );
      if (!asked)
        throw new DesignDocError(
          'DD_E_FORBIDDEN',
          `You were not asked to review the ${slot.name} slot of "${slug}".`,
        );
    }
    if (record.status !== 'in-review' || record.archivedAt !== null) {
      throw new DesignDocError(
        'DD_E_CONFLICT',
        record.archivedAt !== null
          ? `Document "${slug}" is archived; verdicts are recorded during review.`
          : `Document "${slug}" is ${record.status ?? 'without a status'}, not in review; verdicts are recorded during review.`,
      );
    }
    if (!Number.isInteger(input.revision) || input.revision < 1 || input.revision > record.currentRevision) {
      throw new DesignDocError(
        'DD_E_VALIDATION',
        `Revision ${input.revision} does not exist; the document is at revision ${record.currentRevision}.`,
        {
          location: { field: 'revision' },
        },
      );
    }
    if (input.revision !== record.currentRevision) {
      const [read, current] = await Promise.all([
        requireRevision(tx, record, input.revision),
        requireRevision(tx, record, record.currentRevision),
      ]);
      if (touchesSlot(slot, slots, changedSections(read.sectionHashes, current.sectionHashes))) {
        throw new DesignDocError(
          'DD_E_CONFLICT',
          `Sections the ${slot.name} slot covers changed after revision ${input.revision}; review revision ${record.currentRevision}.`,
          { details: { currentRevision: record.currentRevision, baseRevision: input.revision, stale: true } },
        );
      }
    }
    if (
      slot.covers.includes('*') &&
      /^approved by$/.test(normalizeHeading(slot.name)) &&
      verdict === 'approved'
    ) {
      const state = await reviewState(tx, record);
      const pending = state.slots
        .filter((s) => s.required && s.name !== slot.name && !s.approved)
        .map((s) => s.name);
      if (pending.length > 0) {
        throw new DesignDocError(
          'DD_E_TRANSITION_REFUSED',
          `The final sign-off waits for: ${pending.join(', ')}.`,
          { details: { reasons: pending } },
        );
      }
    }
    await tx.db.addVerdict({
      documentId: record.id,
      slot: slot.name,
      userId: user.id,
      verdict,
      revision: input.revision,
      comment: input.comment?.trim() ?? '',
      createdAt: nowIso(tx),
    });
    const lines = await slotLines(tx, record, slot.name);
    let updated = await writeServerRevision(
      tx,
      actor,
      record,
      (doc) => rewriteApprovalSlot(doc, slot.name, lines),
      `${slot.name}: ${verdict} by ${user.username} (rev ${input.revision})`,
      verdict === 'blocking' ? { fcpEndsAt: null } : {},
    );
    if (tx.config.finalCommentDays > 0 && updated.fcpEndsAt === null && verdict !== 'blocking') {
      const state = await reviewState(tx, updated);
      if (state.allApproved) {
        const ends = new Date(tx.now().getTime() + tx.config.finalCommentDays * 86_400_000).toISOString();
        updated = await tx.db.updateDocument(updated.id, { fcpEndsAt: ends }, nowIso(tx));
        await tx.cache.delete(`doc:${slug}`);
        await recordAudit(tx, actor, 'review.fcp.start', `document:${slug}`, { endsAt: ends });
      }
    }
    await recordAudit(tx, actor, `review.${verdict}`, `document:${slug}`, {
      slot: slot.name,
      revision: input.revision,
    });
    return updated;
  });
}

/** The slot's lines as the server writes them: each reviewer's latest verdict, oldest first. */
async function slotLines(ctx: ServiceContext, record: DocumentRecord, slotName: string): Promise<string[]> {
  const recorded = await recordedApprovalLines(ctx, await ctx.db.listVerdicts(record.id));
  const wanted = normalizeHeading(slotName);
  return recorded.find((r) => normalizeHeading(r.slot) === wanted)?.lines ?? [];
}

/** Sets (or clears, with null) the group allowed to review a slot of a template. */
export async function setSlotRoster(
  ctx: ServiceContext,
  actor: Actor,
  template: string,
  slotName: string,
  group: string | null,
): Promise<void> {
  const schema = ctx.templates.get(template);
  if (!schema)
    throw new DesignDocError('DD_E_TEMPLATE_NOT_FOUND', `No template is named "${template}".`, {
      location: { field: 'template' },
    });
  const slot = findSlot(schema.approvalSlots, slotName);
  if (!slot)
    throw new DesignDocError('DD_E_VALIDATION', `Template "${template}" has no slot "${slotName}".`, {
      location: { field: 'slot' },
    });
  if (group !== null && !(await ctx.db.getGroupByName(group.toLowerCase()))) {
    throw new DesignDocError('DD_E_VALIDATION', `No group is named "${group}".`, {
      location: { field: 'group' },
    });
  }
  await ctx.db.setSetting(rosterKey(template, slot.name), group === null ? '' : group.toLowerCase());
  await recordAudit(ctx, actor, 'review.roster', `template:${template}`, { slot: slot.name, group });
}

/**
 * Ends final comment periods that ran out with nothing blocking: the document becomes approved
 * (as the system). Run on a timer by the server; returns the ids it approved.
 */
export async function settleFinalCommentPeriods(ctx: ServiceContext, actor: Actor): Promise<string[]> {
  const approved: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await ctx.db.listDocuments(
      // Oldest first: an order the transitions made meanwhile cannot reshuffle.
      { status: 'in-review', visibility: { all: true, userId: null }, order: 'created' },
      cursor,
      200,
    );
    for (const record of page.items) {
      if (record.fcpEndsAt === null || record.fcpEndsAt > nowIso(ctx)) continue;
      try {
        await transitionStatus(ctx, actor, record.slug, {
          to: 'approved',
          reason: 'final comment period ended',
        });
        approved.push(record.slug);
      } catch (error) {
        if (!(error instanceof DesignDocError)) throw error;
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return approved;
}

// ---- comments ---------------------------------------------------------------------------------

export interface CommentInput {
  body: string;
  /** Section anchor (the section's id in the current revision). */
  section?: string;
  /** Text quoted from the document; must appear in the section (or the document). */
  quote?: string;
  parentId?: number;
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

export async function addComment(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  input: CommentInput,
): Promise<CommentRecord> {
  const record = await requireDocument(ctx, slug);
  const user = actor.user;
  if (!user) throw new DesignDocError('DD_E_UNAUTHENTICATED', 'Sign in to comment.');
  const body = input.body.trim();
  if (body === '')
    throw new DesignDocError('DD_E_VALIDATION', 'The comment is empty.', { location: { field: 'body' } });
  let sectionId: string | null = input.section ?? null;
  let quote: string | null = input.quote ?? null;
  let parentId: number | null = null;
  if (input.parentId !== undefined) {
    const parent = await ctx.db.getComment(input.parentId);
    if (!parent || parent.documentId !== record.id) {
      throw new DesignDocError('DD_E_VALIDATION', `No comment ${input.parentId} on "${slug}" to reply to.`, {
        location: { field: 'parentId' },
      });
    }
    parentId = parent.parentId ?? parent.id;
    sectionId ??= parent.sectionId;
  }
  if (sectionId !== null || quote !== null) {
    const text = await readRevisionText(ctx, record);
    // The sections' ids and ranges are the parse's: no lint needed to anchor a comment.
    const doc = parseDocumentText(record, text);
    let scope = text;
    if (sectionId !== null) {
      const section = flattenSections(doc.sections).find((s) => s.id === sectionId);
      if (!section)
        throw new DesignDocError('DD_E_VALIDATION', `No section "${sectionId}" in the current revision.`, {
          location: { field: 'section' },
        });
      scope = text.slice(section.range.start.offset, section.range.end.offset);
    }
    if (quote !== null) {
      quote = quote.trim();
      if (quote === '' || !scope.includes(quote)) {
        throw new DesignDocError(
          'DD_E_VALIDATION',
          'The quoted text is not in the section (or the document) as it stands.',
          { location: { field: 'quote' } },
        );
      }
    }
  }
  const comment = await ctx.db.addComment({
    documentId: record.id,
    parentId,
    revision: record.currentRevision,
    sectionId,
    quote,
    body,
    authorId: user.id,
    createdAt: nowIso(ctx),
  });
  await recordAudit(ctx, actor, 'comment.create', `document:${slug}`, {
    comment: comment.id,
    section: sectionId,
  });
  return comment;
}

/** Marks a thread resolved: by the comment's author, the document's author or an admin. */
export async function resolveComment(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  commentId: number,
): Promise<void> {
  const record = await requireDocument(ctx, slug);
  const comment = await ctx.db.getComment(commentId);
  if (!comment || comment.documentId !== record.id) {
    throw new DesignDocError('DD_E_NOT_FOUND', `No comment ${commentId} on "${slug}".`, {
      location: { field: 'commentId' },
    });
  }
  const uid = actor.user?.id;
  if (actorRole(actor) !== 'admin' && uid !== comment.authorId && uid !== record.authorId) {
    throw new DesignDocError(
      'DD_E_FORBIDDEN',
      'Only the comment’s author, the document’s author or an admin may resolve it.',
    );
  }
  await ctx.db.resolveComment(comment.id, uid ?? 0, nowIso(ctx));
  await recordAudit(ctx, actor, 'comment.resolve', `document:${slug}`, { comment: commentId });
}

/** Comment threads of a document, oldest first, replies nested under their thread. */
export async function listComments(ctx: ServiceContext, record: DocumentRecord): Promise<CommentView[]> {
  const rows = await ctx.db.listComments(record.id);
  const names = new Map<number, string>();
  const name = async (id: number | null) => {
    if (id === null) return null;
    if (!names.has(id)) names.set(id, (await ctx.db.getUser(id))?.username ?? `#${id}`);
    return names.get(id) as string;
  };
  const views = new Map<number, CommentView>();
  const threads: CommentView[] = [];
  for (const row of rows) {
    const view: CommentView = {
      id: row.id,
      author: (await name(row.authorId)) as string,
      body: row.body,
      section: row.sectionId,
      quote: row.quote,
      revision: row.revision,
      createdAt: row.createdAt,
      resolved: row.resolvedAt !== null,
      resolvedBy: await name(row.resolvedBy),
      replies: [],
    };
    views.set(row.id, view);
    const parent = row.parentId === null ? undefined : views.get(row.parentId);
    if (parent) parent.replies.push(view);
    else threads.push(view);
  }
  return threads;
}
