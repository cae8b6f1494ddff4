/**
 * Backups of the PostgreSQL database with the operator's own `pg_dump`: one consistent snapshot
 * of the whole database (pg_dump reads it in one repeatable-read transaction while the instances
 * keep serving), in pg_dump's custom format, which `pg_restore` reads. designdoc does not
 * reimplement a dump: pg_dump is what PostgreSQL operators already trust, version and restore.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, openSync, readSync, closeSync, renameSync, rmSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { DesignDocError } from '../../../core/errors.js';

export interface PgDumpOptions {
  /** `postgres://user:password@host:port/database?…` */
  url: string;
  file: string;
  /** Where PATH (to find pg_dump) and any PG* settings come from; default the process's. */
  env?: NodeJS.ProcessEnv;
  /** The server's version (`server_version`), for the message when pg_dump is missing. */
  serverVersion?: string | null;
}

/** The custom format's first bytes; anything else is not an archive pg_restore reads. */
export const CUSTOM_FORMAT_MAGIC = 'PGDMP';

/** The first executable named `name` on `PATH`, or null. */
export function findOnPath(name: string, path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The URL as it may be shown: no password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:…@');
}

/** `text` as one shell word (single-quoted unless it is plainly safe). */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `--dbname=…` argument of a command the operator may copy and run, never holding the password:
 * `"$DESIGNDOC_DATABASE_URL"` when that is where the URL came from, else the URL without its
 * password (see passwordNote()).
 */
export function dbnameForShell(url: string, env: NodeJS.ProcessEnv): string {
  if (env.DESIGNDOC_DATABASE_URL === url) return '--dbname="$DESIGNDOC_DATABASE_URL"';
  const shown = new URL(url);
  shown.password = '';
  return `--dbname=${shellQuote(shown.toString())}`;
}

/** What to add after such a command when the password it needs was left out of it. */
export function passwordNote(url: string, env: NodeJS.ProcessEnv): string {
  return env.DESIGNDOC_DATABASE_URL !== url && new URL(url).password !== ''
    ? ' (with the database password in PGPASSWORD)'
    : '';
}

/** The message when the PostgreSQL client tool `tool` is not on PATH: what to install, what to run. */
export function toolMissing(
  tool: 'pg_dump' | 'pg_restore',
  command: 'backup' | 'restore',
  serverVersion: string | null | undefined,
  instead: string,
): DesignDocError {
  const server = serverVersion ? `PostgreSQL ${serverVersion.split(' ')[0]}` : 'the server';
  return new DesignDocError(
    'DD_E_TOOL_MISSING',
    `designdoc ${command} on PostgreSQL runs ${tool}, and no ${tool} is on PATH. Install the PostgreSQL client tools at the major version of ${server} or newer (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq) and put ${tool} on PATH, or run it yourself: ${instead}`,
  );
}

export interface PgToolRun {
  code: number | null;
  stdout: string;
  /** The tool's last lines on standard error, the password (and any URL's password) cut out. */
  said: string;
}

/**
 * Runs a PostgreSQL client tool with the database password in PGPASSWORD (never on the command
 * line, where `ps` shows it) and an unreachable host failing in seconds. Standard output is kept
 * only when asked for.
 */
export async function runPgTool(
  binary: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; password: string; keepStdout?: boolean },
): Promise<PgToolRun> {
  const { env, password } = options;
  const name = binary.split('/').pop() ?? binary;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(binary, args, {
        env: {
          ...env,
          ...(password === '' ? {} : { PGPASSWORD: password }),
          // An unreachable host fails in seconds rather than at the operating system's TCP timeout.
          PGCONNECT_TIMEOUT: env.PGCONNECT_TIMEOUT ?? '15',
        },
        stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        if (err.length < 64_000) err += chunk.toString('utf8');
      });
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    },
  ).catch((error: unknown) => {
    throw new DesignDocError(
      'DD_E_BACKUP_FAILED',
      `${name} (${binary}) could not be run: ${(error as Error).message}`,
      { cause: error },
    );
  });
  // The tool's own messages, not the multi-line SQL statement it echoes after a failed one.
  const lines = stderr.trim().split('\n');
  const messages = lines.filter((line) => /^(?:pg_\w+: |Command was: |ERROR: |DETAIL: |HINT: )/.test(line));
  const said = redactUrl(
    (messages.length > 0 ? messages.slice(-8) : lines.slice(-12))
      .join('\n')
      .split(password === '' ? '\u0000' : password)
      .join('…'),
  );
  return { code, stdout, said };
}

/**
 * Runs `pg_dump --format=custom` into `file` (through a temporary file renamed on success, so a
 * failed dump never leaves a half-written backup under the name asked for). The password travels
 * in PGPASSWORD, never on the command line where `ps` would show it.
 */
export async function pgDump(options: PgDumpOptions): Promise<void> {
  const env = options.env ?? process.env;
  const binary = findOnPath('pg_dump', env.PATH);
  if (binary === null) {
    throw toolMissing(
      'pg_dump',
      'backup',
      options.serverVersion,
      `pg_dump --format=custom --file=${shellQuote(options.file)} ${dbnameForShell(options.url, env)}${passwordNote(options.url, env)}`,
    );
  }
  const url = new URL(options.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const partial = `${options.file}.partial`;
  rmSync(partial, { force: true });
  let run: PgToolRun;
  try {
    run = await runPgTool(
      binary,
      ['--format=custom', '--no-password', `--file=${partial}`, `--dbname=${url.toString()}`],
      { env, password },
    );
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  if (run.code !== 0 || !startsWithMagic(partial)) {
    rmSync(partial, { force: true });
    throw new DesignDocError(
      'DD_E_BACKUP_FAILED',
      `pg_dump (${binary}) could not back up ${redactUrl(options.url)} (exit ${run.code ?? 'by signal'}); nothing was written to ${options.file}.${run.said === '' ? '' : `\n${run.said}`}`,
    );
  }
  renameSync(partial, options.file);
}

function startsWithMagic(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(CUSTOM_FORMAT_MAGIC.length);
    readSync(fd, head, 0, head.length, 0);
    return head.toString('latin1') === CUSTOM_FORMAT_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
