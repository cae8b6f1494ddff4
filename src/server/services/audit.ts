/**
 * The audit log: every state change, who made it, when and from where. Written by the services
 * that make the change, read by admins.
 */
import type { AuditRecord, Database, Page } from '../data/database.js';
import { actorName, type Actor } from './actor.js';
import { nowIso, type ServiceContext } from './service-context.js';

/**
 * Appends one audit entry. `details` must never hold secrets (passwords, tokens, session ids);
 * callers pass names and ids only. `db` is the caller's transaction when the entry must commit
 * with the change it records.
 */
export async function recordAudit(
  ctx: ServiceContext,
  actor: Actor,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
  db: Pick<Database, 'appendAudit'> = ctx.db,
): Promise<void> {
  await db.appendAudit({
    at: nowIso(ctx),
    actorId: actor.user?.id ?? null,
    actorName: actorName(actor),
    action,
    target,
    ip: actor.ip,
    details,
  });
}

/** Newest first, paged by cursor. */
export async function listAuditLog(
  ctx: ServiceContext,
  cursor: string | null,
  limit: number,
): Promise<Page<AuditRecord>> {
  return ctx.db.listAudit(cursor, limit);
}
