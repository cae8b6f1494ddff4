/**
 * Local accounts: users with scrypt password hashes, sessions with CSRF tokens, API tokens shown
 * once and stored hashed, roles and groups. Secrets never reach the database or the audit log in
 * the clear.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DesignDocError } from '../../core/errors.js';
import { sha256Digest } from '../../node/sha256.js';
import {
  ROLES,
  TOKEN_SCOPES,
  type GroupRecord,
  type Role,
  type TokenRecord,
  type TokenScope,
  type UserRecord,
} from '../data/database.js';
import { ALL_SCOPES, actorRole, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { nowIso, type ServiceContext } from './service-context.js';
import { parseCachedJson } from './cache-json.js';

// OWASP's scrypt baseline: N=2^17, r=8, p=1 (128 MiB). Cost is stored with the hash so it can rise.
const SCRYPT = { N: 1 << 17, r: 8, p: 1, keyLength: 32 };

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, SCRYPT.keyLength, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: 256 * 1024 * 1024,
  });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Constant-time check of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** SHA-256 of a high-entropy secret (session id, API token): enough, as they are not guessable. */
export function hashSecret(secret: string): string {
  return sha256Digest(secret, 'base64url');
}

function randomSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

function requireRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `Unknown role "${role}"; expected one of ${ROLES.join(', ')}.`,
      { location: { field: 'role' } },
    );
  }
  return role as Role;
}

function requirePassword(password: string): void {
  if (password.length < 12) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      'The password is too short: at least 12 characters are required.',
      { location: { field: 'password' } },
    );
  }
}

/** Public view of a user: never the hash. */
export interface UserView {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  groups: string[];
  disabled: boolean;
  createdAt: string;
}

export async function presentUser(ctx: ServiceContext, user: UserRecord): Promise<UserView> {
  const groups = await ctx.db.listUserGroups(user.id);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    role: user.role,
    groups: groups.map((g) => g.name),
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt,
  };
}

/** Creates a local account. Usernames are lower case; a password is optional (token-only users). */
export async function createUser(
  ctx: ServiceContext,
  actor: Actor,
  input: {
    username: string;
    displayName?: string;
    email?: string | null;
    role: string;
    password?: string | null;
  },
  /** The hash of `input.password`, already under way (see `preparePassword`). */
  options: { passwordHash?: Promise<string> } = {},
): Promise<UserRecord> {
  const username = input.username.trim();
  if (!USERNAME.test(username)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `The username "${input.username}" is not valid: use 2–64 lower-case letters, digits, ".", "_" or "-".`,
      {
        location: { field: 'username' },
      },
    );
  }
  const role = requireRole(input.role);
  if (input.password) requirePassword(input.password);
  const user = await ctx.db.createUser({
    username,
    displayName: input.displayName?.trim() || username,
    email: input.email ?? null,
    passwordHash: input.password ? await (options.passwordHash ?? hashPassword(input.password)) : null,
    role,
    createdAt: nowIso(ctx),
    disabledAt: null,
  });
  await recordAudit(ctx, actor, 'user.create', `user:${username}`, { role });
  return user;
}

/**
 * Refuses to demote or disable the last active admin: nobody could then manage users or tokens
 * from the API, only from the data folder with `designdoc admin`.
 */
async function keepAnAdmin(
  ctx: ServiceContext,
  user: UserRecord,
  role: string | undefined,
  disabled: boolean | undefined,
): Promise<void> {
  const activeAdmin = user.role === 'admin' && user.disabledAt === null;
  const stays = (role === undefined || role === 'admin') && disabled !== true;
  if (!activeAdmin || stays) return;
  const others = (await ctx.db.listUsers()).filter(
    (other) => other.id !== user.id && other.role === 'admin' && other.disabledAt === null,
  );
  if (others.length > 0) return;
  throw new DesignDocError(
    'DD_E_CONFLICT',
    `"${user.username}" is the last active admin; make another user admin before ${disabled === true ? 'disabling' : 'demoting'} them.`,
    { location: { field: disabled === true ? 'disabled' : 'role' } },
  );
}

/** Changes role, display name, password or disabled state. Disabling ends the user's sessions. */
export async function updateUser(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
  patch: { role?: string; displayName?: string; password?: string; disabled?: boolean },
): Promise<UserRecord> {
  const user = await requireUser(ctx, username);
  const change: Parameters<ServiceContext['db']['updateUser']>[1] = {};
  if (patch.role !== undefined) change.role = requireRole(patch.role);
  await keepAnAdmin(ctx, user, change.role, patch.disabled);
  if (patch.displayName !== undefined) change.displayName = patch.displayName;
  if (patch.password !== undefined) {
    requirePassword(patch.password);
    change.passwordHash = await hashPassword(patch.password);
  }
  if (patch.disabled !== undefined) change.disabledAt = patch.disabled ? nowIso(ctx) : null;
  await ctx.db.updateUser(user.id, change);
  if (patch.disabled || patch.password !== undefined) await ctx.db.deleteUserSessions(user.id);
  await forgetUserTokens(ctx, user.id);
  await recordAudit(ctx, actor, 'user.update', `user:${username}`, {
    fields: Object.keys(patch)
      .filter((k) => k !== 'password')
      .concat(patch.password !== undefined ? ['password'] : []),
  });
  return (await ctx.db.getUser(user.id)) as UserRecord;
}

/** Drops cached token resolutions of a user so a role or group change applies at once. */
async function forgetUserTokens(ctx: ServiceContext, userId: number): Promise<void> {
  const tokens = await ctx.db.listTokens(userId);
  if (tokens.length > 0) await ctx.cache.delete(...tokens.map((t) => tokenKey(t.tokenHash)));
}

export async function requireUser(ctx: ServiceContext, username: string): Promise<UserRecord> {
  const user = await ctx.db.getUserByName(username.trim().toLowerCase());
  if (!user)
    throw new DesignDocError('DD_E_NOT_FOUND', `No user is named "${username}".`, {
      location: { field: 'username' },
    });
  return user;
}

export interface SignedIn {
  /** The session secret for the cookie: shown once, stored only hashed. */
  sessionId: string;
  csrfToken: string;
  user: UserRecord;
  expiresAt: string;
}

/**
 * Checks a username and password and opens a session. The same message for an unknown user and
 * a wrong password, so sign-in does not reveal which accounts exist.
 */
export async function signIn(
  ctx: ServiceContext,
  input: { username: string; password: string; ip: string | null },
): Promise<SignedIn> {
  const user = await ctx.db.getUserByName(input.username.trim().toLowerCase());
  const ok = user?.passwordHash ? await verifyPassword(input.password, user.passwordHash) : false;
  if (!user || !ok || user.disabledAt !== null) {
    await ctx.db.appendAudit({
      at: nowIso(ctx),
      actorId: null,
      actorName: 'anonymous',
      action: 'session.refused',
      target: `user:${input.username.slice(0, 64)}`,
      ip: input.ip,
      details: {},
    });
    throw new DesignDocError('DD_E_UNAUTHENTICATED', 'The username or password is not correct.');
  }
  const sessionId = randomSecret('');
  const csrfToken = randomBytes(24).toString('base64url');
  const created = ctx.now();
  const expiresAt = new Date(created.getTime() + ctx.config.sessionHours * 3600_000).toISOString();
  await ctx.db.createSession({
    idHash: hashSecret(sessionId),
    userId: user.id,
    csrfToken,
    createdAt: created.toISOString(),
    expiresAt,
    ip: input.ip,
  });
  await ctx.db.appendAudit({
    at: created.toISOString(),
    actorId: user.id,
    actorName: user.username,
    action: 'session.create',
    target: `user:${user.username}`,
    ip: input.ip,
    details: {},
  });
  return { sessionId, csrfToken, user, expiresAt };
}

export async function signOut(ctx: ServiceContext, actor: Actor, sessionId: string): Promise<void> {
  await ctx.db.deleteSession(hashSecret(sessionId));
  await ctx.cache.delete(sessionKey(hashSecret(sessionId)));
  await recordAudit(ctx, actor, 'session.delete', `user:${actor.user?.username ?? ''}`);
}

// Resolved credentials are cached briefly: a read must not cost three queries. Revocation and
// sign-out delete the entry at once; role changes and disabling take effect within the TTL.
const ACTOR_TTL_MS = 15_000;

interface CachedActor {
  user: UserRecord;
  groups: string[];
  scopes: TokenScope[];
  csrfToken: string | null;
  tokenId: number | null;
  expiresAt: string | null;
}

const sessionKey = (hash: string) => `actor:s:${hash}`;
const tokenKey = (hash: string) => `actor:t:${hash}`;

async function cachedActor(
  ctx: ServiceContext,
  key: string,
  load: () => Promise<CachedActor | null>,
): Promise<CachedActor | null> {
  const hit = await ctx.cache.get(key);
  if (hit !== undefined) return hit === '' ? null : parseCachedJson<CachedActor>(ctx.cache, key, hit);
  const loaded = await load();
  // Unknown credentials are cached too (as ''), so guessing costs no database work.
  await ctx.cache.set(
    key,
    loaded ? JSON.stringify({ ...loaded, user: { ...loaded.user, passwordHash: null } }) : '',
    ACTOR_TTL_MS,
  );
  return loaded;
}

/** The actor behind a session cookie, or null when the session is unknown, expired or its user disabled. */
export async function resolveSession(
  ctx: ServiceContext,
  sessionId: string,
  ip: string | null,
): Promise<Actor | null> {
  const hash = hashSecret(sessionId);
  const found = await cachedActor(ctx, sessionKey(hash), async () => {
    const session = await ctx.db.getSession(hash);
    if (!session) return null;
    const user = await ctx.db.getUser(session.userId);
    if (!user || user.disabledAt !== null) return null;
    const groups = (await ctx.db.listUserGroups(user.id)).map((g) => g.name);
    return {
      user,
      groups,
      scopes: [...ALL_SCOPES],
      csrfToken: session.csrfToken,
      tokenId: null,
      expiresAt: session.expiresAt,
    };
  });
  if (!found) return null;
  if (found.expiresAt !== null && found.expiresAt <= nowIso(ctx)) {
    await ctx.db.deleteSession(hash);
    await ctx.cache.delete(sessionKey(hash));
    return null;
  }
  return {
    user: found.user,
    groups: found.groups,
    scopes: found.scopes,
    via: 'session',
    csrfToken: found.csrfToken,
    tokenId: null,
    ip,
  };
}

/** The actor behind an API token, or null when it is unknown, revoked or its user disabled. */
export async function resolveApiToken(
  ctx: ServiceContext,
  secret: string,
  ip: string | null,
): Promise<Actor | null> {
  const hash = hashSecret(secret);
  const found = await cachedActor(ctx, tokenKey(hash), async () => {
    const token = await ctx.db.getTokenByHash(hash);
    if (!token || token.revokedAt !== null) return null;
    const user = await ctx.db.getUser(token.userId);
    if (!user || user.disabledAt !== null) return null;
    await ctx.db.touchToken(token.id, nowIso(ctx));
    const groups = (await ctx.db.listUserGroups(user.id)).map((g) => g.name);
    return { user, groups, scopes: token.scopes, csrfToken: null, tokenId: token.id, expiresAt: null };
  });
  if (!found) return null;
  return {
    user: found.user,
    groups: found.groups,
    scopes: found.scopes,
    via: 'token',
    csrfToken: null,
    tokenId: found.tokenId,
    ip,
  };
}

export interface TokenView {
  id: number;
  name: string;
  username: string;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

function presentToken(token: TokenRecord, username: string): TokenView {
  return {
    id: token.id,
    name: token.name,
    username,
    scopes: token.scopes,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    revoked: token.revokedAt !== null,
  };
}

/**
 * Issues an API token for `username` (the caller's own unless an admin). The secret is returned
 * once and only its hash is stored. A token can never carry more than its user's role allows:
 * `admin` scope only for admins, `write` not for viewers.
 */
export async function createApiToken(
  ctx: ServiceContext,
  actor: Actor,
  input: { username?: string; name: string; scopes: string[] },
): Promise<{ token: string; view: TokenView }> {
  const owner =
    input.username && input.username !== actor.user?.username
      ? await requireUser(ctx, input.username)
      : actor.user;
  if (!owner) throw new DesignDocError('DD_E_UNAUTHENTICATED', 'Sign in to create a token.');
  if (owner.id !== actor.user?.id && actorRole(actor) !== 'admin') {
    throw new DesignDocError('DD_E_FORBIDDEN', 'Only an admin may create a token for another user.');
  }
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0)
    throw new DesignDocError('DD_E_VALIDATION', 'A token needs at least one scope (read, write, admin).', {
      location: { field: 'scopes' },
    });
  for (const scope of scopes) {
    if (!(TOKEN_SCOPES as readonly string[]).includes(scope)) {
      throw new DesignDocError(
        'DD_E_VALIDATION',
        `Unknown scope "${scope}"; expected read, write or admin.`,
        { location: { field: 'scopes' } },
      );
    }
  }
  if (scopes.includes('admin') && owner.role !== 'admin') {
    throw new DesignDocError(
      'DD_E_FORBIDDEN',
      `User "${owner.username}" is not an admin, so a token of theirs cannot have the admin scope.`,
    );
  }
  if (scopes.includes('write') && owner.role === 'viewer') {
    throw new DesignDocError(
      'DD_E_FORBIDDEN',
      `User "${owner.username}" is a viewer, so a token of theirs cannot have the write scope.`,
    );
  }
  // A token may not exceed the credential that creates it either (no escalation through tokens).
  for (const scope of scopes) {
    if (!actor.scopes.includes(scope as TokenScope)) {
      throw new DesignDocError(
        'DD_E_FORBIDDEN',
        `The caller's credential lacks the "${scope}" scope it tries to grant.`,
      );
    }
  }
  const secret = randomSecret('dd_');
  const name = input.name.trim() || 'token';
  const record = await ctx.db.createToken({
    userId: owner.id,
    name,
    tokenHash: hashSecret(secret),
    scopes: scopes as TokenScope[],
    createdAt: nowIso(ctx),
    lastUsedAt: null,
    revokedAt: null,
  });
  await recordAudit(ctx, actor, 'token.create', `token:${record.id}`, {
    owner: owner.username,
    name,
    scopes,
  });
  return { token: secret, view: presentToken(record, owner.username) };
}

/** Revokes a token: the caller's own, or any for an admin. */
export async function revokeApiToken(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  const token = await ctx.db.getToken(id);
  if (!token) throw new DesignDocError('DD_E_NOT_FOUND', `No token has id ${id}.`);
  if (token.userId !== actor.user?.id && actorRole(actor) !== 'admin') {
    throw new DesignDocError('DD_E_FORBIDDEN', 'Only the token’s owner or an admin may revoke it.');
  }
  await ctx.db.revokeToken(id, nowIso(ctx));
  await ctx.cache.delete(tokenKey(token.tokenHash));
  await recordAudit(ctx, actor, 'token.revoke', `token:${id}`);
}

/** Tokens of one user (or all, for admins), never with their secrets. */
export async function listApiTokens(ctx: ServiceContext, actor: Actor, all = false): Promise<TokenView[]> {
  const users = new Map((await ctx.db.listUsers()).map((u) => [u.id, u.username]));
  const tokens =
    all && actorRole(actor) === 'admin'
      ? await ctx.db.listTokens()
      : await ctx.db.listTokens(actor.user?.id ?? -1);
  return tokens.map((t) => presentToken(t, users.get(t.userId) ?? ''));
}

export async function createGroup(
  ctx: ServiceContext,
  actor: Actor,
  input: { name: string; description?: string },
): Promise<GroupRecord> {
  const name = input.name.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(name)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `The group name "${input.name}" is not valid: use lower-case letters, digits, ".", "_" or "-".`,
      {
        location: { field: 'name' },
      },
    );
  }
  const group = await ctx.db.createGroup({
    name,
    description: input.description ?? '',
    createdAt: nowIso(ctx),
  });
  await recordAudit(ctx, actor, 'group.create', `group:${name}`);
  return group;
}

export async function requireGroup(ctx: ServiceContext, name: string): Promise<GroupRecord> {
  const group = await ctx.db.getGroupByName(name.trim().toLowerCase());
  if (!group)
    throw new DesignDocError('DD_E_NOT_FOUND', `No group is named "${name}".`, {
      location: { field: 'group' },
    });
  return group;
}

export async function addGroupMember(
  ctx: ServiceContext,
  actor: Actor,
  groupName: string,
  username: string,
): Promise<void> {
  const group = await requireGroup(ctx, groupName);
  const user = await requireUser(ctx, username);
  await ctx.db.addGroupMember(group.id, user.id);
  await forgetUserTokens(ctx, user.id);
  await recordAudit(ctx, actor, 'group.member.add', `group:${group.name}`, { user: user.username });
}

export async function removeGroupMember(
  ctx: ServiceContext,
  actor: Actor,
  groupName: string,
  username: string,
): Promise<void> {
  const group = await requireGroup(ctx, groupName);
  const user = await requireUser(ctx, username);
  await ctx.db.removeGroupMember(group.id, user.id);
  await forgetUserTokens(ctx, user.id);
  await recordAudit(ctx, actor, 'group.member.remove', `group:${group.name}`, { user: user.username });
}

/**
 * First start: when no user exists, creates `admin` with a random one-time password and returns
 * it (the caller prints it once); otherwise returns null.
 */
/** A one-time password whose (deliberately slow) hash is already being computed off the main thread. */
export interface PreparedPassword {
  password: string;
  hash: Promise<string>;
}

/**
 * Starts hashing a new one-time password now. The first start prepares the admin's this way
 * before it opens the database and builds the gateway: scrypt's cost (about 0.7 s on a slow
 * core) then runs beside that work instead of after it.
 */
export function preparePassword(): PreparedPassword {
  const password = randomBytes(18).toString('base64url');
  const hash = hashPassword(password);
  // Awaited later, or never when another instance created the admin first.
  hash.catch(() => undefined);
  return { password, hash };
}

export async function ensureInitialAdmin(
  ctx: ServiceContext,
  actor: Actor,
  prepared: PreparedPassword | null = null,
): Promise<{ username: string; password: string } | null> {
  if ((await ctx.db.countUsers()) > 0) return null;
  const { password, hash } = prepared ?? preparePassword();
  await createUser(
    ctx,
    actor,
    { username: 'admin', displayName: 'Administrator', role: 'admin', password },
    { passwordHash: hash },
  );
  return { username: 'admin', password };
}
