/**
 * The one authorisation policy. Every API route names an action from `ACTIONS`; the gateway's
 * single chokepoint resolves the caller and the target document once and asks `authorize()`.
 * Lists, search, export and the graph use `visibilityOf()` — the same rule as a single read — so
 * nothing leaks through a side door (drafts stay with their author, reviewers and admins).
 */
import { DesignDocError } from '../../core/errors.js';
import type { DocumentRecord, TokenScope, Visibility } from '../data/database.js';
import { actorRole, type Actor } from './actor.js';

/** What a caller may be asking to do. */
export const ACTIONS = {
  /** Anyone, signed in or not (health, sign-in, the API description). */
  public: { scope: null, minRole: null, document: false },
  /** Any signed-in caller (their own profile and tokens). */
  self: { scope: 'read', minRole: 'viewer', document: false },
  /** Changes to the caller's own credentials (tokens). */
  'self.write': { scope: 'write', minRole: 'viewer', document: false },
  'documents.list': { scope: 'read', minRole: 'viewer', document: false },
  'documents.create': { scope: 'write', minRole: 'member', document: false },
  'document.read': { scope: 'read', minRole: 'viewer', document: true },
  /** Change the text, labels, links; archive; transitions; request reviews: the author or an admin. */
  'document.edit': { scope: 'write', minRole: 'member', document: true },
  /** Verdicts and comments: members who can read the document (slot rules are checked by the service). */
  'document.review': { scope: 'write', minRole: 'member', document: true },
  admin: { scope: 'admin', minRole: 'admin', document: false },
} as const satisfies Record<
  string,
  { scope: TokenScope | null; minRole: 'viewer' | 'member' | 'admin' | null; document: boolean }
>;

export type Action = keyof typeof ACTIONS;

const RANK = { viewer: 1, member: 2, admin: 3 } as const;

/** What the caller may see in lists, search, queries, export and the graph. */
export function visibilityOf(actor: Actor): Visibility {
  return { all: actorRole(actor) === 'admin', userId: actor.user?.id ?? null };
}

/** Facts about the target document the policy needs beyond the record itself. */
export interface DocumentFacts {
  document: DocumentRecord;
  /** The caller is named in a review request (directly or through a group). */
  isReviewer: boolean;
}

function canSee(actor: Actor, facts: DocumentFacts): boolean {
  const { document } = facts;
  if (actorRole(actor) === 'admin') return true;
  if (document.status !== 'draft') return true;
  return (actor.user !== null && document.authorId === actor.user.id) || facts.isReviewer;
}

/**
 * Throws DD_E_UNAUTHENTICATED (no credential), DD_E_FORBIDDEN (credential lacks the right) or
 * DD_E_NOT_FOUND (a document the caller may not see — its existence is not revealed).
 */
export function authorize(actor: Actor, action: Action, facts: DocumentFacts | null): void {
  const rule = ACTIONS[action];
  if (rule.minRole === null) return;
  const role = actorRole(actor);
  if (role === null)
    throw new DesignDocError('DD_E_UNAUTHENTICATED', 'Sign in or send an API token to do this.');
  if (rule.scope !== null && !actor.scopes.includes(rule.scope)) {
    throw new DesignDocError('DD_E_FORBIDDEN', `This API token lacks the "${rule.scope}" scope.`);
  }
  if (rule.document) {
    if (!facts) throw new DesignDocError('DD_E_INTERNAL', `Action ${action} needs a target document.`);
    if (!canSee(actor, facts))
      throw new DesignDocError('DD_E_NOT_FOUND', `No document has the id "${facts.document.slug}".`);
  }
  if (RANK[role] < RANK[rule.minRole]) {
    throw new DesignDocError(
      'DD_E_FORBIDDEN',
      `A ${role} may not do this; it needs the ${rule.minRole} role.`,
    );
  }
  if (action === 'document.edit' && facts && role !== 'admin' && facts.document.authorId !== actor.user?.id) {
    throw new DesignDocError('DD_E_FORBIDDEN', 'Only the document’s author or an admin may change it.');
  }
}
