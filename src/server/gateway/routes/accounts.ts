/** Sign-in, the caller's profile and API tokens, and the admin endpoints. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  addGroupMember,
  createApiToken,
  createGroup,
  createUser,
  listApiTokens,
  listAuditLog,
  presentUser,
  removeGroupMember,
  revokeApiToken,
  setSlotRoster,
  signIn,
  signOut,
  updateUser,
  type ServiceContext,
} from '../../services/index.js';
import { SESSION_COOKIE } from '../authorization.js';
import {
  CreateGroupBody,
  CreateUserBody,
  CursorQuery,
  LoginBody,
  NoFieldsBody,
  RosterBody,
  Strict,
  TokenBody,
  UpdateUserBody,
} from '../schemas.js';

export interface AccountRouteOptions {
  secureCookies: boolean;
  loginPerMinute: number;
}

const Username = Type.String({ minLength: 1, maxLength: 64 });

export async function accountRoutes(
  app: FastifyInstance,
  ctx: ServiceContext,
  options: AccountRouteOptions,
): Promise<void> {
  app.post<{ Body: LoginBody }>(
    '/auth/login',
    {
      config: {
        policy: 'public',
        rateLimit: {
          max: options.loginPerMinute,
          timeWindow: '1 minute',
          // After body parsing, so the key can hold the username.
          hook: 'preHandler',
          // Per address and account, so one attacker cannot lock every user out.
          keyGenerator: (request) =>
            `${request.ip}|${String((request.body as { username?: string } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets an HttpOnly session cookie and returns the CSRF token',
        body: LoginBody,
      },
    },
    async (request, reply) => {
      const session = await signIn(ctx, {
        username: request.body.username,
        password: request.body.password,
        ip: request.ip,
      });
      reply.setCookie(SESSION_COOKIE, session.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.secureCookies || request.protocol === 'https',
        path: '/',
        expires: new Date(session.expiresAt),
      });
      return {
        user: await presentUser(ctx, session.user),
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { policy: 'self' },
      schema: { tags: ['auth'], summary: 'End the session', body: NoFieldsBody },
    },
    async (request, reply) => {
      if (request.sessionId) await signOut(ctx, request.actor, request.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    { config: { policy: 'self' }, schema: { tags: ['auth'], summary: 'The caller' } },
    async (request) => ({
      user: await presentUser(ctx, request.actor.user as NonNullable<typeof request.actor.user>),
      via: request.actor.via,
      scopes: request.actor.scopes,
    }),
  );

  app.get(
    '/tokens',
    { config: { policy: 'self' }, schema: { tags: ['tokens'], summary: 'The caller’s API tokens' } },
    async (request) => ({
      items: await listApiTokens(ctx, request.actor),
    }),
  );

  app.post<{ Body: TokenBody }>(
    '/tokens',
    {
      config: { policy: 'self.write' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (the secret is shown once)',
        body: TokenBody,
      },
    },
    async (request, reply) => {
      const created = await createApiToken(ctx, request.actor, request.body);
      return reply.status(201).send({ token: created.token, ...created.view });
    },
  );

  app.delete<{ Params: { tokenId: number } }>(
    '/tokens/:tokenId',
    {
      config: { policy: 'self.write' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token',
        params: Strict({ tokenId: Type.Integer({ minimum: 1 }) }),
        body: NoFieldsBody,
      },
    },
    async (request, reply) => {
      await revokeApiToken(ctx, request.actor, request.params.tokenId);
      return reply.status(204).send();
    },
  );

  // ---- admin ----
  const tags = ['admin'];
  app.get('/admin/users', { config: { policy: 'admin' }, schema: { tags, summary: 'Users' } }, async () => ({
    items: await Promise.all((await ctx.db.listUsers()).map((u) => presentUser(ctx, u))),
  }));

  app.post<{ Body: CreateUserBody }>(
    '/admin/users',
    { config: { policy: 'admin' }, schema: { tags, summary: 'Create a user', body: CreateUserBody } },
    async (request, reply) =>
      reply.status(201).send(await presentUser(ctx, await createUser(ctx, request.actor, request.body))),
  );

  app.patch<{ Params: { username: string }; Body: UpdateUserBody }>(
    '/admin/users/:username',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Change role, name, password; disable',
        params: Strict({ username: Username }),
        body: UpdateUserBody,
      },
    },
    async (request) =>
      presentUser(ctx, await updateUser(ctx, request.actor, request.params.username, request.body)),
  );

  app.get(
    '/admin/groups',
    { config: { policy: 'admin' }, schema: { tags, summary: 'Groups and members' } },
    async () => ({
      items: await Promise.all(
        (await ctx.db.listGroups()).map(async (g) => ({
          name: g.name,
          description: g.description,
          members: (await ctx.db.listGroupMembers(g.id)).map((u) => u.username),
        })),
      ),
    }),
  );

  app.post<{ Body: CreateGroupBody }>(
    '/admin/groups',
    { config: { policy: 'admin' }, schema: { tags, summary: 'Create a group', body: CreateGroupBody } },
    async (request, reply) => {
      const group = await createGroup(ctx, request.actor, request.body);
      return reply.status(201).send({ name: group.name, description: group.description, members: [] });
    },
  );

  const MemberParams = Strict({ group: Username, username: Username });
  app.put<{ Params: { group: string; username: string } }>(
    '/admin/groups/:group/members/:username',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Add a member', params: MemberParams, body: NoFieldsBody },
    },
    async (request, reply) => {
      await addGroupMember(ctx, request.actor, request.params.group, request.params.username);
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: { group: string; username: string } }>(
    '/admin/groups/:group/members/:username',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Remove a member', params: MemberParams, body: NoFieldsBody },
    },
    async (request, reply) => {
      await removeGroupMember(ctx, request.actor, request.params.group, request.params.username);
      return reply.status(204).send();
    },
  );

  app.get(
    '/admin/tokens',
    { config: { policy: 'admin' }, schema: { tags, summary: 'Every API token (no secrets)' } },
    async (request) => ({
      items: await listApiTokens(ctx, request.actor, true),
    }),
  );

  app.get<{ Querystring: CursorQuery }>(
    '/admin/audit',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'The audit log, newest first', querystring: CursorQuery },
    },
    async (request) => listAuditLog(ctx, request.query.cursor ?? null, request.query.limit ?? 100),
  );

  app.put<{ Params: { template: string; slot: string }; Body: RosterBody }>(
    '/admin/rosters/:template/:slot',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Set the group allowed to review a slot (null: anyone asked)',
        params: Strict({ template: Username, slot: Type.String({ maxLength: 100 }) }),
        body: RosterBody,
      },
    },
    async (request, reply) => {
      await setSlotRoster(
        ctx,
        request.actor,
        request.params.template,
        request.params.slot,
        request.body.group,
      );
      return reply.status(204).send();
    },
  );
}
