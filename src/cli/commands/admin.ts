/**
 * `designdoc admin`: users, groups, API tokens and slot rosters on the server's database, for the
 * operator at the machine (no running server needed). Secrets are printed once and never stored.
 */
import { randomBytes } from 'node:crypto';
import { EXIT_OK, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import { configFromFlags, SERVER_FLAG_OPTIONS, withServices } from '../../server/cli-support.js';
import {
  addGroupMember,
  createApiToken,
  createGroup,
  createUser,
  listApiTokens,
  presentUser,
  removeGroupMember,
  requireUser,
  revokeApiToken,
  setSlotRoster,
  systemActor,
  updateUser,
} from '../../server/services/index.js';

const USAGE = [
  'designdoc admin <subcommand> [--data DIR]',
  '  users list | users add <name> --role admin|member|viewer [--display-name N] | users set-role <name> <role>',
  '  users disable <name> | users enable <name> | users reset-password <name>',
  '  groups list | groups add <name> | groups add-member <group> <user> | groups remove-member <group> <user>',
  '  tokens list | tokens create <user> --scopes read,write[,admin] [--name N] | tokens revoke <id>',
  '  rosters set <template> <slot> <group|none>',
].join('\n');

function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...SERVER_FLAG_OPTIONS,
      role: { type: 'string' },
      'display-name': { type: 'string' },
      scopes: { type: 'string' },
      name: { type: 'string' },
    },
    USAGE,
  );
  const flags = values as Record<string, string | boolean | undefined>;
  if (flags.help || positionals.length === 0) {
    io.stdout.write(`usage: ${USAGE}\n`);
    return flags.help ? EXIT_OK : 2;
  }
  const [area, verb, ...args] = positionals;
  const need = (n: number) => {
    if (args.length !== n) throw usageError(`admin ${area} ${verb ?? ''} expects ${n} argument(s)`, USAGE);
    return args as string[];
  };
  const config = configFromFlags(values as Record<string, string | boolean | undefined>, io);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  await withServices(
    config,
    async (ctx, actor) => {
      const key = `${area} ${verb ?? ''}`;
      switch (key) {
        case 'users list':
          for (const user of await ctx.db.listUsers()) {
            const view = await presentUser(ctx, user);
            out(
              `${view.username}\t${view.role}${view.disabled ? '\tdisabled' : ''}\t${view.groups.join(',')}`,
            );
          }
          return;
        case 'users add': {
          const [username] = need(1) as [string];
          if (typeof values.role !== 'string')
            throw usageError('users add needs --role admin|member|viewer', USAGE);
          const password = newPassword();
          await createUser(ctx, actor, {
            username,
            role: values.role,
            password,
            ...(typeof values['display-name'] === 'string' ? { displayName: values['display-name'] } : {}),
          });
          out(`created ${username} (${values.role}); one-time password: ${password}`);
          return;
        }
        case 'users set-role': {
          const [username, role] = need(2) as [string, string];
          await updateUser(ctx, actor, username, { role });
          out(`${username} is now ${role}`);
          return;
        }
        case 'users disable':
        case 'users enable': {
          const [username] = need(1) as [string];
          await updateUser(ctx, actor, username, { disabled: verb === 'disable' });
          out(`${username} ${verb}d`);
          return;
        }
        case 'users reset-password': {
          const [username] = need(1) as [string];
          const password = newPassword();
          await updateUser(ctx, actor, username, { password });
          out(`new one-time password for ${username}: ${password}`);
          return;
        }
        case 'groups list':
          for (const group of await ctx.db.listGroups()) {
            out(
              `${group.name}\t${(await ctx.db.listGroupMembers(group.id)).map((u) => u.username).join(',')}`,
            );
          }
          return;
        case 'groups add': {
          const [name] = need(1) as [string];
          await createGroup(ctx, actor, { name });
          out(`created group ${name}`);
          return;
        }
        case 'groups add-member':
        case 'groups remove-member': {
          const [group, username] = need(2) as [string, string];
          if (verb === 'add-member') await addGroupMember(ctx, actor, group, username);
          else await removeGroupMember(ctx, actor, group, username);
          out(
            `${verb === 'add-member' ? 'added' : 'removed'} ${username} ${verb === 'add-member' ? 'to' : 'from'} ${group}`,
          );
          return;
        }
        case 'tokens list':
          for (const token of await listApiTokens(ctx, actor, true)) {
            out(
              `${token.id}\t${token.username}\t${token.name}\t${token.scopes.join(',')}${token.revoked ? '\trevoked' : ''}`,
            );
          }
          return;
        case 'tokens create': {
          const [username] = need(1) as [string];
          const owner = await requireUser(ctx, username);
          const scopes =
            typeof values.scopes === 'string' ? values.scopes.split(',').map((s) => s.trim()) : ['read'];
          const created = await createApiToken(ctx, systemActor(owner), {
            name: typeof values.name === 'string' ? values.name : 'cli',
            scopes,
          });
          out(
            `token ${created.view.id} for ${username} (${created.view.scopes.join(',')}), shown once:\n${created.token}`,
          );
          return;
        }
        case 'tokens revoke': {
          const [id] = need(1) as [string];
          if (!/^\d+$/.test(id)) throw usageError(`token id must be a number, got "${id}"`, USAGE);
          await revokeApiToken(ctx, actor, Number(id));
          out(`revoked token ${id}`);
          return;
        }
        case 'rosters set': {
          const [template, slot, group] = need(3) as [string, string, string];
          await setSlotRoster(ctx, actor, template, slot, group === 'none' ? null : group);
          out(
            `${template} / ${slot}: ${group === 'none' ? 'anyone asked may review' : `only group ${group}`}`,
          );
          return;
        }
        default:
          throw usageError(`unknown admin subcommand "${key.trim()}"`, USAGE);
      }
    },
    // Only adding users or groups may start a data folder (set up before the first serve);
    // anything else on a folder without a database is a mistyped --data.
    { existing: !['users add', 'groups add'].includes(`${area} ${verb ?? ''}`) },
  );
  return EXIT_OK;
}
