/**
 * Where a document's review stands: per approval slot, who is asked, the latest verdict of each
 * reviewer, whether it still counts (an approval goes stale when a section its slot covers has
 * changed since the revision it was given on), and whether the slot is approved.
 */
import { formatApprovalEntry } from '../../core/approval-entry.js';
import { normalizeHeading } from '../../core/section-kinds.js';
import type { SchemaApprovalSlot, TemplateSchema } from '../../core/template/schema.js';
import type { DocumentRecord, VerdictKind, VerdictRecord } from '../data/database.js';
import { OWN_TEXT } from './document-analysis.js';
import type { ServiceContext } from './service-context.js';

export interface VerdictView {
  id: number;
  user: string;
  displayName: string;
  verdict: VerdictKind;
  revision: number;
  comment: string;
  createdAt: string;
  /** A section the slot covers changed after `revision`: shown, no longer counted. */
  stale: boolean;
}

export interface SlotState {
  name: string;
  required: boolean;
  roster: string | null;
  covers: string[];
  assignees: { users: string[]; groups: string[] };
  verdicts: VerdictView[];
  approved: boolean;
  blocking: boolean;
}

export interface ReviewState {
  revision: number;
  slots: SlotState[];
  /** Every required slot approved on what the current revision says, and nothing blocks. */
  allApproved: boolean;
  blocking: boolean;
}

export function rosterKey(template: string, slot: string): string {
  return `roster:${template}:${normalizeHeading(slot)}`;
}

/** The template's slots with admin roster overrides applied. */
export async function slotsOf(
  ctx: ServiceContext,
  schema: TemplateSchema | null,
): Promise<SchemaApprovalSlot[]> {
  if (!schema) return [];
  const out: SchemaApprovalSlot[] = [];
  for (const slot of schema.approvalSlots) {
    const override = await ctx.db.getSetting(rosterKey(schema.name, slot.name));
    out.push(override === null ? slot : { ...slot, roster: override === '' ? null : override });
  }
  return out;
}

export function findSlot(slots: readonly SchemaApprovalSlot[], name: string): SchemaApprovalSlot | undefined {
  const wanted = normalizeHeading(name);
  return slots.find((slot) => normalizeHeading(slot.name) === wanted);
}

/**
 * The section keys whose hash differs between two revisions' hash tables. A revision saved before
 * sections had own-text hashes (`OWN_TEXT`) cannot say whether a parent's own text changed: each
 * changed section then counts as changed in its own text too.
 */
export function changedSections(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter((key) => before[key] !== after[key]);
  if (!withoutOwnHashes(before) && !withoutOwnHashes(after)) return changed;
  const own = changed.filter((key) => !key.endsWith(OWN_TEXT)).map((key) => key + OWN_TEXT);
  return [...new Set([...changed, ...own])];
}

/** A table with subsections but no own-text hash: written before they existed. */
function withoutOwnHashes(hashes: Record<string, string>): boolean {
  const keys = Object.keys(hashes);
  return keys.some((key) => key.includes('/')) && !keys.some((key) => key.endsWith(OWN_TEXT));
}

/** The `#2` that tells sections of one title apart in a key, wherever in its path. */
const DUPLICATE_NUMBER = /#\d+(?=\/|@|$)/g;

/**
 * Does a change to these sections touch what `slot` covers? A named section covers its
 * subsections; `*` covers the text no other slot names — a change counts for it when a section
 * no other slot covers changed in its own text (a section whose only changes are in subsections
 * that other slots cover is not `*`'s).
 */
export function touchesSlot(
  slot: SchemaApprovalSlot,
  allSlots: readonly SchemaApprovalSlot[],
  changed: readonly string[],
): boolean {
  const named = (cover: string) => {
    const n = normalizeHeading(cover);
    return (key: string) => {
      // A second section of the same title is keyed `security#2`: it is still Security.
      const k = key.includes('#') ? key.replace(DUPLICATE_NUMBER, '') : key;
      return k === n || k.startsWith(`${n}/`) || k.endsWith(`/${n}`) || k.includes(`/${n}/`);
    };
  };
  const whole = changed.filter((key) => !key.endsWith(OWN_TEXT));
  const explicit = slot.covers.filter((c) => c !== '*').map(named);
  if (whole.some((key) => explicit.some((match) => match(key)))) return true;
  if (!slot.covers.includes('*')) return false;
  const others = allSlots.flatMap((s) => s.covers.filter((c) => c !== '*')).map(named);
  const changedSet = new Set(changed);
  const ownTextChanged = (key: string) =>
    changedSet.has(key + OWN_TEXT) || !whole.some((other) => other.startsWith(`${key}/`));
  return whole.some((key) => !others.some((match) => match(key)) && ownTextChanged(key));
}

/** Latest verdict per (slot, user): a newer verdict replaces an older one (a lifted concern). */
export function latestVerdicts(verdicts: readonly VerdictRecord[]): VerdictRecord[] {
  const latest = new Map<string, VerdictRecord>();
  for (const v of verdicts) {
    if (v.liftedAt !== null) continue;
    latest.set(`${normalizeHeading(v.slot)}\u0000${v.userId}`, v);
  }
  return [...latest.values()];
}

/**
 * The Approvals lines the server keeps for a document: for every slot with a verdict, each
 * reviewer's latest verdict, oldest first, as `formatApprovalEntry` writes it. A slot nobody has
 * given a verdict on is the author's to write and is not listed.
 */
export async function recordedApprovalLines(
  ctx: ServiceContext,
  verdicts: readonly VerdictRecord[],
): Promise<{ slot: string; lines: string[] }[]> {
  const bySlot = new Map<string, { slot: string; lines: string[] }>();
  for (const v of latestVerdicts(verdicts)) {
    const key = normalizeHeading(v.slot);
    let entry = bySlot.get(key);
    if (!entry) bySlot.set(key, (entry = { slot: v.slot, lines: [] }));
    const user = await ctx.db.getUser(v.userId);
    entry.lines.push(
      formatApprovalEntry({
        name: user?.displayName ?? `#${v.userId}`,
        verdict: v.verdict,
        date: v.createdAt.slice(0, 10),
        revision: v.revision,
      }),
    );
  }
  return [...bySlot.values()];
}

/** The review state of a document at its current revision. */
export async function reviewState(ctx: ServiceContext, record: DocumentRecord): Promise<ReviewState> {
  const schema = record.template ? (ctx.templates.get(record.template) ?? null) : null;
  const slots = await slotsOf(ctx, schema);
  const [requests, verdicts, current] = await Promise.all([
    ctx.db.listReviewRequests(record.id),
    ctx.db.listVerdicts(record.id),
    ctx.db.getRevision(record.id, record.currentRevision),
  ]);
  const hashesAt = new Map<number, Record<string, string>>();
  const hashes = async (revision: number): Promise<Record<string, string>> => {
    let found = hashesAt.get(revision);
    if (!found) {
      found = (await ctx.db.getRevision(record.id, revision))?.sectionHashes ?? {};
      hashesAt.set(revision, found);
    }
    return found;
  };
  const people = new Map<number, { username: string; displayName: string }>();
  const person = async (id: number) => {
    let found = people.get(id);
    if (!found) {
      const user = await ctx.db.getUser(id);
      found = { username: user?.username ?? `#${id}`, displayName: user?.displayName ?? `#${id}` };
      people.set(id, found);
    }
    return found;
  };
  const groupNames = new Map((await ctx.db.listGroups()).map((g) => [g.id, g.name]));
  const latest = latestVerdicts(verdicts);
  const out: SlotState[] = [];
  for (const slot of slots) {
    const key = normalizeHeading(slot.name);
    const views: VerdictView[] = [];
    for (const v of latest.filter((v) => normalizeHeading(v.slot) === key)) {
      const changed =
        v.revision === record.currentRevision
          ? []
          : changedSections(await hashes(v.revision), current?.sectionHashes ?? {});
      const who = await person(v.userId);
      views.push({
        id: v.id,
        user: who.username,
        displayName: who.displayName,
        verdict: v.verdict,
        revision: v.revision,
        comment: v.comment,
        createdAt: v.createdAt,
        stale: touchesSlot(slot, slots, changed),
      });
    }
    const slotRequests = requests.filter((r) => normalizeHeading(r.slot) === key);
    const users: string[] = [];
    for (const r of slotRequests) if (r.userId !== null) users.push((await person(r.userId)).username);
    const groups = slotRequests.flatMap((r) =>
      r.groupId !== null ? [groupNames.get(r.groupId) ?? `#${r.groupId}`] : [],
    );
    const blocking = views.some((v) => v.verdict === 'blocking');
    const objection = views.some((v) => !v.stale && v.verdict === 'changes-requested');
    out.push({
      name: slot.name,
      required: slot.required,
      roster: slot.roster,
      covers: slot.covers,
      assignees: { users: [...new Set(users)], groups: [...new Set(groups)] },
      verdicts: views,
      approved: views.some((v) => v.verdict === 'approved' && !v.stale) && !objection && !blocking,
      blocking,
    });
  }
  const blocking = out.some((s) => s.blocking);
  return {
    revision: record.currentRevision,
    slots: out,
    allApproved: !blocking && out.filter((s) => s.required).every((s) => s.approved),
    blocking,
  };
}
