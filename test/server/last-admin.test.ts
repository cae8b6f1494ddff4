/**
 * The last active admin cannot be demoted or disabled: nobody could manage users or tokens from
 * the API afterwards. A real SQLite file through the services and through the gateway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesignDocError } from '../../src/core/errors.js';
import { openServices } from '../../src/server/index.js';
import { createUser, systemActor, updateUser, type ServiceContext } from '../../src/server/services/index.js';

describe('the last admin', () => {
  let dir: string;
  let ctx: ServiceContext;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'designdoc-last-admin-'));
    ctx = await openServices({ dataDir: dir, templatesDir: null, finalCommentDays: 0 });
    await createUser(ctx, systemActor(), { username: 'root', role: 'admin' });
    await createUser(ctx, systemActor(), { username: 'mia', role: 'member' });
  });
  afterAll(async () => {
    await ctx.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refusal = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      () => null,
      (e: unknown) => e,
    );

  it('cannot be demoted or disabled, and the refusal says what to do', async () => {
    for (const patch of [{ role: 'viewer' }, { disabled: true }, { role: 'member', disabled: true }]) {
      const error = await refusal(updateUser(ctx, systemActor(), 'root', patch));
      expect(error, JSON.stringify(patch)).toBeInstanceOf(DesignDocError);
      expect((error as DesignDocError).code).toBe('DD_E_CONFLICT');
      expect((error as DesignDocError).message).toMatch(
        /"root" is the last active admin; make another user admin/,
      );
    }
    const root = await ctx.db.getUserByName('root');
    expect([root?.role, root?.disabledAt]).toEqual(['admin', null]);
  });

  it('can be once another admin exists; other changes to the last admin still go through', async () => {
    await updateUser(ctx, systemActor(), 'root', { displayName: 'Root' });
    await updateUser(ctx, systemActor(), 'mia', { role: 'admin' });
    const demoted = await updateUser(ctx, systemActor(), 'root', { role: 'member' });
    expect(demoted.role).toBe('member');
    // mia is now the last one: disabling her is refused, and a disabled admin does not count.
    await updateUser(ctx, systemActor(), 'root', { role: 'admin', disabled: true });
    const error = await refusal(updateUser(ctx, systemActor(), 'mia', { disabled: true }));
    expect((error as DesignDocError).code).toBe('DD_E_CONFLICT');
  });
});
