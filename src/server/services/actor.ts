/**
 * Who is asking: resolved once per request by the gateway (session cookie or API token) and passed
 * to every service call, so policy and audit see the same caller.
 */
import type { Role, TokenScope, UserRecord } from '../data/database.js';

export interface Actor {
  /** Null for anonymous callers and the system itself. */
  user: UserRecord | null;
  /** Names of the groups the user belongs to. */
  groups: string[];
  /** What the credential allows: every scope for a session, the token's scopes for a token. */
  scopes: readonly TokenScope[];
  via: 'anonymous' | 'session' | 'token' | 'system';
  /** The session's CSRF token, for cookie-authenticated writes. */
  csrfToken: string | null;
  tokenId: number | null;
  ip: string | null;
}

export const ALL_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin'];

export function anonymousActor(ip: string | null = null): Actor {
  return { user: null, groups: [], scopes: [], via: 'anonymous', csrfToken: null, tokenId: null, ip };
}

/** The server itself (first start, imports from the command line): acts with every right. */
export function systemActor(user: UserRecord | null = null): Actor {
  return { user, groups: [], scopes: ALL_SCOPES, via: 'system', csrfToken: null, tokenId: null, ip: null };
}

export function actorRole(actor: Actor): Role | null {
  if (actor.via === 'system') return 'admin';
  return actor.user?.role ?? null;
}

export function actorName(actor: Actor): string {
  if (actor.user) return actor.user.username;
  return actor.via === 'system' ? 'system' : 'anonymous';
}
