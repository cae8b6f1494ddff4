/**
 * Restores a pg_dump custom-format archive (what `designdoc backup` writes on PostgreSQL) into the
 * configured database with the operator's own `pg_restore`, in one transaction: it either
 * completes or leaves the database as it was. Before anything runs it checks what would be lost
 * or broken — a database with other sessions (running servers), a database that already holds
 * tables (only with --force, and only when the archive replaces every one of them), an archive
 * that is not designdoc's or was written by a newer designdoc — and refuses with a message that
 * says what to do.
 */
import pg from 'pg';
import { DesignDocError } from '../../../core/errors.js';
import { unreachableError } from '../connection-errors.js';
import { postgresMigrations } from './migrations.js';
import {
  dbnameForShell,
  findOnPath,
  passwordNote,
  redactUrl,
  runPgTool,
  shellQuote,
  toolMissing,
} from './pg-dump.js';

export interface PgRestoreOptions {
  /** `postgres://user:password@host:port/database?…`: the database restored into. */
  url: string;
  /** A pg_dump custom-format archive. */
  file: string;
  /** Replace the tables of a database that is not empty (pg_restore --clean). */
  force: boolean;
  /** Where PATH (to find pg_restore) and any PG* settings come from; default the process's. */
  env?: NodeJS.ProcessEnv;
}

export interface PgRestoreReport {
  /** The database the archive was dumped from (its TOC says), or null. */
  dumpedFrom: string | null;
  /** Tables of the database that the archive replaced (empty when it was restored into an empty one). */
  replaced: string[];
}

/** A relation of the target database: `schema.name`. */
interface Relation {
  name: string;
  kind: string;
}

/** How long sessions that are just closing (a pool being ended) get before they count as live. */
const SESSION_GRACE_MS = 2000;

/** The database as found before restoring: who is connected, what it holds. */
interface TargetState {
  serverVersion: string | null;
  sessions: string[];
  relations: Relation[];
  documents: number | null;
}

/**
 * Restores `file` into the database at `url` with pg_restore (`--single-transaction`, `--no-owner`,
 * `--no-privileges`; with `force`, `--clean --if-exists`). The password travels in PGPASSWORD,
 * never on a command line, and is cut from every message.
 */
export async function pgRestore(options: PgRestoreOptions): Promise<PgRestoreReport> {
  const env = options.env ?? process.env;
  const shown = redactUrl(options.url);
  const target = await inspectTarget(options.url);
  if (target.sessions.length > 0) {
    throw new DesignDocError(
      'DD_E_CONFLICT',
      `${target.sessions.length} other session${target.sessions.length === 1 ? ' is' : 's are'} connected to ${shown} (${target.sessions.slice(0, 5).join('; ')}${target.sessions.length > 5 ? '; …' : ''}); stop the designdoc servers and other clients of this database before restoring into it`,
    );
  }
  const tables = target.relations.filter((r) => r.kind === 'table').map((r) => r.name);
  const clean = target.relations.length > 0;
  if (clean && !options.force) {
    const holds =
      target.documents === null
        ? `${target.relations.length} table${target.relations.length === 1 ? '' : 's'} or view${target.relations.length === 1 ? '' : 's'} (${listed(target.relations.map((r) => r.name))})`
        : `a designdoc database with ${target.documents} document${target.documents === 1 ? '' : 's'}`;
    throw new DesignDocError(
      'DD_E_DATABASE_NOT_EMPTY',
      `${shown} is not empty: it holds ${holds}. Restore into an empty database (createdb), or pass --force to replace what it holds with the backup (take a designdoc backup of it first if you may need it)`,
    );
  }

  const binary = findOnPath('pg_restore', env.PATH);
  const args = [
    '--no-owner',
    '--no-privileges',
    '--single-transaction',
    '--exit-on-error',
    ...(clean ? ['--clean', '--if-exists'] : []),
  ];
  if (binary === null) {
    throw toolMissing(
      'pg_restore',
      'restore',
      target.serverVersion,
      `pg_restore ${args.join(' ')} ${dbnameForShell(options.url, env)} ${shellQuote(options.file)}${passwordNote(options.url, env)}`,
    );
  }
  const url = new URL(options.url);
  const password = decodeURIComponent(url.password);
  url.password = '';

  const listing = await runPgTool(binary, ['--list', options.file], { env, password, keepStdout: true });
  if (listing.code !== 0) {
    throw new DesignDocError(
      'DD_E_BACKUP_FAILED',
      `pg_restore (${binary}) could not read ${options.file} (exit ${listing.code ?? 'by signal'}); nothing was restored.${listing.said === '' ? '' : `\n${listing.said}`}`,
    );
  }
  const toc = readToc(listing.stdout);
  const names = new Set(toc.tables.map((t) => t.split('.').pop()));
  if (!names.has('documents') || !names.has('kysely_migration')) {
    throw new DesignDocError(
      'DD_E_BACKUP_WRONG_KIND',
      `${options.file} is a pg_dump archive${toc.dbname === null ? '' : ` of database ${toc.dbname}`}, but not of a designdoc database (it has no documents and kysely_migration tables); nothing was restored`,
    );
  }
  const migrations = await runPgTool(
    binary,
    ['--data-only', '--table=kysely_migration', '--file=-', options.file],
    { env, password, keepStdout: true },
  );
  if (migrations.code !== 0) {
    throw new DesignDocError(
      'DD_E_BACKUP_FAILED',
      `pg_restore (${binary}) could not read the migration log in ${options.file} (exit ${migrations.code ?? 'by signal'}); nothing was restored.${migrations.said === '' ? '' : `\n${migrations.said}`}`,
    );
  }
  const unknown = readCopiedNames(migrations.stdout).filter((name) => !(name in postgresMigrations));
  if (unknown.length > 0) {
    throw new DesignDocError(
      'DD_E_BACKUP_WRONG_KIND',
      `${options.file} was written by a newer designdoc (its schema has migration ${unknown.join(', ')}, which this version does not know); restore it with that version or a newer one; nothing was restored`,
    );
  }
  if (clean) {
    // --clean drops and recreates only what the archive holds; a table it does not hold would
    // survive beside the restored ones and break the schema the restored migration log describes.
    const archived = new Set(toc.tables);
    const left = tables.filter((name) => !archived.has(name));
    if (left.length > 0) {
      throw new DesignDocError(
        'DD_E_DATABASE_NOT_EMPTY',
        `${shown} holds table${left.length === 1 ? '' : 's'} the backup does not (${listed(left)}); --force replaces only what the backup holds, so restore into an empty database (createdb) or drop ${left.length === 1 ? 'it' : 'them'} first`,
      );
    }
  }

  const run = await runPgTool(
    binary,
    [...args, '--no-password', `--dbname=${url.toString()}`, options.file],
    { env, password },
  );
  if (run.code !== 0) {
    throw new DesignDocError(
      'DD_E_BACKUP_FAILED',
      `pg_restore (${binary}) could not restore ${options.file} into ${shown} (exit ${run.code ?? 'by signal'}); it ran in one transaction, so the database is as it was.${run.said === '' ? '' : `\n${run.said}`}`,
    );
  }
  return { dumpedFrom: toc.dbname, replaced: clean ? tables : [] };
}

/** Who else is connected, what the database holds, and (if it is designdoc's) how many documents. */
async function inspectTarget(url: string): Promise<TargetState> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
  } catch (error) {
    throw (
      unreachableError('PostgreSQL', url, error, `nothing was restored into ${redactUrl(url)}`) ??
      new DesignDocError(
        'DD_E_BACKUP_FAILED',
        `could not connect to ${redactUrl(url)} to restore into it: ${redactUrl((error as Error).message)}; nothing was restored`,
        { cause: error },
      )
    );
  }
  try {
    const serverVersion =
      (await client.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]?.v ?? null;
    let sessions: string[] = [];
    for (const started = Date.now(); ;) {
      sessions = (
        await client.query<{ who: string }>(
          `select coalesce(usename, '?') || '@' || coalesce(client_addr::text, 'local') ||
                  case when application_name <> '' then ' ' || application_name else '' end ||
                  ' (pid ' || pid || ', ' || coalesce(state, '?') || ')' as who
             from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
            order by backend_start`,
        )
      ).rows.map((row) => row.who);
      if (sessions.length === 0 || Date.now() - started > SESSION_GRACE_MS) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const relations = (
      await client.query<{ name: string; kind: string }>(
        `select n.nspname || '.' || c.relname as name,
                case when c.relkind in ('r', 'p') then 'table' else 'view' end as kind
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind in ('r', 'p', 'v', 'm', 'f')
            and n.nspname not in ('pg_catalog', 'information_schema')
            and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
            -- objects an extension created (PostGIS's spatial_ref_sys) belong to the extension
            and not exists (select 1 from pg_depend d
                             where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
          order by 1`,
      )
    ).rows;
    let documents: number | null = null;
    if (relations.some((r) => r.name.endsWith('.kysely_migration'))) {
      documents = await client
        .query<{ n: string }>(`select count(*) as n from documents`)
        .then((r) => Number(r.rows[0]?.n ?? 0))
        .catch(() => null);
    }
    return { serverVersion, sessions, relations, documents };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The tables (`schema.name`) and source database of a `pg_restore --list` table of contents. */
export function readToc(listing: string): { tables: string[]; dbname: string | null } {
  const tables: string[] = [];
  let dbname: string | null = null;
  for (const line of listing.split('\n')) {
    const db = /^;\s+dbname: (.+)$/.exec(line);
    if (db) dbname = (db[1] as string).trim();
    // `238; 1259 313083 TABLE public audit postgres` (not `TABLE DATA …`)
    const entry = /^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) /.exec(line);
    if (entry) tables.push(`${entry[1]}.${entry[2]}`);
  }
  return { tables, dbname };
}

/** The first column of the rows in a plain-SQL `COPY … FROM stdin;` block. */
function readCopiedNames(script: string): string[] {
  const block = /^COPY [^\n]* FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(script);
  if (!block) return [];
  return (block[1] as string)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t')[0] as string);
}

function listed(names: string[]): string {
  return names.length <= 6
    ? names.join(', ')
    : `${names.slice(0, 6).join(', ')} and ${names.length - 6} more`;
}
