/**
 * The dashboard: what needs the caller now. Drafts they own, reviews waiting on them (by slot),
 * recently approved documents, open questions across documents with their age, reviews that have
 * stalled, and document counts by status — each item links to its document.
 */
import type { DocumentRecord } from '../data/database.js';
import type { Actor } from './actor.js';
import { listDocuments, listOpenQuestions, presentDocument, type DocumentView } from './documents.js';
import { reviewState } from './review-state.js';
import type { ServiceContext } from './service-context.js';

export interface AwaitingReview {
  document: DocumentView;
  slots: string[];
}

export interface Dashboard {
  myDrafts: DocumentView[];
  awaitingMyReview: AwaitingReview[];
  recentlyApproved: DocumentView[];
  openQuestions: Awaited<ReturnType<typeof listOpenQuestions>>;
  stalled: Array<{ document: DocumentView; idleDays: number }>;
  byStatus: Array<{ status: string; count: number }>;
  stallDays: number;
}

const DAY = 86_400_000;

async function all(
  ctx: ServiceContext,
  actor: Actor,
  query: Parameters<typeof listDocuments>[2],
  max: number,
): Promise<DocumentRecord[]> {
  const out: DocumentRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDocuments(ctx, actor, {
      ...query,
      ...(cursor ? { cursor } : {}),
      limit: Math.min(200, max - out.length),
    });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < max);
  return out;
}

/** Builds the caller's dashboard; `stallDays` is how long a review may sit without activity. */
export async function buildDashboard(
  ctx: ServiceContext,
  actor: Actor,
  options: { stallDays?: number } = {},
): Promise<Dashboard> {
  const stallDays = options.stallDays ?? 7;
  const username = actor.user?.username;
  const now = ctx.now().getTime();
  const present = (records: DocumentRecord[]) => Promise.all(records.map((r) => presentDocument(ctx, r)));

  const drafts = username ? await all(ctx, actor, { author: username, status: 'draft' }, 50) : [];
  const inReview = await all(ctx, actor, { status: 'in-review' }, 500);
  const approved = await all(ctx, actor, { status: 'approved' }, 10);

  const awaiting: AwaitingReview[] = [];
  if (actor.user) {
    for (const record of inReview) {
      if (record.authorId === actor.user.id) continue;
      const state = await reviewState(ctx, record);
      const slots = state.slots
        .filter((slot) => {
          const asked =
            slot.assignees.users.includes(actor.user?.username ?? '') ||
            slot.assignees.groups.some((g) => actor.groups.includes(g));
          if (!asked) return false;
          const mine = slot.verdicts.find((v) => v.user === actor.user?.username);
          return !mine || mine.stale || mine.revision !== state.revision;
        })
        .map((slot) => slot.name);
      if (slots.length > 0) awaiting.push({ document: await presentDocument(ctx, record), slots });
    }
  }

  const stalled = await Promise.all(
    inReview
      .map((record) => ({ record, idleDays: Math.floor((now - Date.parse(record.updatedAt)) / DAY) }))
      .filter((s) => s.idleDays >= stallDays)
      .map(async (s) => ({ document: await presentDocument(ctx, s.record), idleDays: s.idleDays })),
  );

  return {
    myDrafts: await present(drafts),
    awaitingMyReview: awaiting,
    recentlyApproved: await present(approved),
    openQuestions: (await listOpenQuestions(ctx, actor)).sort((a, b) => b.ageDays - a.ageDays).slice(0, 50),
    stalled,
    byStatus: await ctx.db.countDocumentsByStatus(),
    stallDays,
  };
}
