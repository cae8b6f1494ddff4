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
const CUSTOM_FORMAT_MAGIC = 'PGDMP';

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

/**
 * Runs `pg_dump --format=custom` into `file` (through a temporary file renamed on success, so a
 * failed dump never leaves a half-written backup under the name asked for). The password travels
 * in PGPASSWORD, never on the command line where `ps` would show it.
 */
export async function pgDump(options: PgDumpOptions): Promise<void> {
  const env = options.env ?? process.env;
  const binary = findOnPath('pg_dump', env.PATH);
  if (binary === null) {
    const server = options.serverVersion ? `PostgreSQL ${options.serverVersion.split(' ')[0]}` : 'the server';
    throw new DesignDocError(
      'DD_E_FILE_NOT_FOUND',
      `designdoc backup on PostgreSQL runs pg_dump, and no pg_dump is on PATH. Install the PostgreSQL client tools at the major version of ${server} or newer (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq) and put pg_dump on PATH, or run it yourself: pg_dump --format=custom --file=${options.file} "$DESIGNDOC_DATABASE_URL"`,
      { location: { file: 'pg_dump' } },
    );
  }
  const url = new URL(options.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const partial = `${options.file}.partial`;
  rmSync(partial, { force: true });
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(
      binary,
      ['--format=custom', '--no-password', `--file=${partial}`, `--dbname=${url.toString()}`],
      {
        env: {
          ...env,
          ...(password === '' ? {} : { PGPASSWORD: password }),
          // An unreachable host fails in seconds rather than at the operating system's TCP timeout.
          PGCONNECT_TIMEOUT: env.PGCONNECT_TIMEOUT ?? '15',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 64_000) err += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stderr: err }));
  }).catch((error: unknown) => {
    rmSync(partial, { force: true });
    throw new DesignDocError(
      'DD_E_FILE_UNREADABLE',
      `pg_dump (${binary}) could not be run: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  });
  if (code !== 0 || !startsWithMagic(partial)) {
    rmSync(partial, { force: true });
    const said = stderr
      .trim()
      .split('\n')
      .slice(-12)
      .join('\n')
      .split(password === '' ? '\u0000' : password)
      .join('…');
    throw new DesignDocError(
      'DD_E_FILE_UNREADABLE',
      `pg_dump (${binary}) could not back up ${redactUrl(options.url)} (exit ${code ?? 'by signal'}); nothing was written to ${options.file}.${said === '' ? '' : `\n${redactUrl(said)}`}`,
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
