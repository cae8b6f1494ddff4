/**
 * The server commands against a PostgreSQL or Redis that does not answer, run as a user runs them
 * (the built binary, a real process): one line on stderr naming the server, its host:port and the
 * reason, code DD_E_DATABASE_UNREACHABLE, exit 2, the password never shown — not an internal error.
 * The refused port is one this test just had and closed, so nothing listens there.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempFolder, type CliResult } from '../cli/run-cli.js';
import { POSTGRES_ADMIN_URL, REDIS_URL, requireServices, runScopedName } from '../support/services.js';

const servicesUp = await requireServices('unreachable-services (running servers)', 'postgres', 'redis');

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function expectUnreachable(
  result: CliResult,
  server: 'PostgreSQL' | 'Redis',
  address: string,
  reason: string,
) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  // Exactly one line, and not the internal-error line this used to be.
  expect(result.stderr.split('\n')).toHaveLength(2);
  expect(result.stderr).not.toContain('internal error');
  expect(result.stderr).toMatch(
    new RegExp(
      `^designdoc: cannot reach ${server} at ${address.replace(/\./g, '\\.')}: ${reason}; .+ \\[DD_E_DATABASE_UNREACHABLE\\]\\n$`,
    ),
  );
}

describe('server commands against an unreachable database or cache', () => {
  let folder: ReturnType<typeof tempFolder>;
  let port: number;
  let refused: string;
  const run = (args: string[]) =>
    runCli(args, {
      cwd: folder.dir,
      env: { DESIGNDOC_DATABASE_URL: undefined, DESIGNDOC_REDIS_URL: undefined },
    });

  beforeAll(async () => {
    ensureBuilt();
    folder = tempFolder('designdoc-unreachable-');
    port = await closedPort();
    refused = `postgres://designdoc:s3cr3t-pw@127.0.0.1:${port}/designdoc`;
    // A data folder with a database, for the commands that read one (migrate --from).
    const created = await run(['migrate', '--data', join(folder.dir, 'data')]);
    expect(created.code, created.stderr).toBe(0);
  }, 300_000);
  afterAll(() => folder?.cleanup());

  const refusedReason = 'connection refused \\(ECONNREFUSED\\)';
  const cases: Array<[string, () => string[]]> = [
    ['migrate', () => ['migrate', '--database-url', refused]],
    ['migrate --from … --to', () => ['migrate', '--from', join(folder.dir, 'data'), '--to', refused]],
    ['backup', () => ['backup', join(folder.dir, 'out.dump'), '--database-url', refused]],
    ['admin users list', () => ['admin', 'users', 'list', '--database-url', refused]],
    ['export', () => ['export', join(folder.dir, 'exported'), '--database-url', refused]],
    ['serve', () => ['serve', '--port', '0', '--database-url', refused]],
  ];
  for (const [name, args] of cases) {
    it(`${name}: names PostgreSQL at host:port and the refused connection, exit 2, no password`, async () => {
      const result = await run(args());
      expectUnreachable(result, 'PostgreSQL', `127.0.0.1:${port}`, refusedReason);
      expect(result.stderr).not.toContain('s3cr3t-pw');
    });
  }

  it('restore: refuses before pg_restore runs, saying nothing was restored', async () => {
    // The head of a pg_dump custom-format archive is all restore reads before it connects.
    const archive = join(folder.dir, 'archive.dump');
    writeFileSync(archive, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(64)]));
    const result = await run(['restore', archive, '--database-url', refused]);
    expectUnreachable(result, 'PostgreSQL', `127.0.0.1:${port}`, refusedReason);
    expect(result.stderr).toContain('nothing was restored');
    expect(result.stderr).not.toContain('s3cr3t-pw');
  });

  it('an unknown host is named as such', async () => {
    const result = await run(['migrate', '--database-url', 'postgres://db.designdoc.invalid:6543/designdoc']);
    expectUnreachable(result, 'PostgreSQL', 'db.designdoc.invalid:6543', 'host not found \\(ENOTFOUND\\)');
  });

  for (const [name, args] of [
    ['migrate', (url: string) => ['migrate', '--data', join(folder.dir, 'data'), '--redis-url', url]],
    [
      'serve',
      (url: string) => ['serve', '--port', '0', '--data', join(folder.dir, 'data'), '--redis-url', url],
    ],
    [
      'admin users list',
      (url: string) => ['admin', 'users', 'list', '--data', join(folder.dir, 'data'), '--redis-url', url],
    ],
  ] as const) {
    it(`${name}: a Redis that refuses the connection is named with host:port, exit 2`, async () => {
      const result = await run(args(`redis://127.0.0.1:${port}`));
      expectUnreachable(result, 'Redis', `127.0.0.1:${port}`, refusedReason);
    });
  }

  describe('with PostgreSQL and Redis running', () => {
    it.runIf(servicesUp)(
      'a database that does not exist on a running PostgreSQL is named with its reason',
      async () => {
        const url = new URL(POSTGRES_ADMIN_URL);
        const missing = runScopedName('designdoc_missing');
        url.pathname = `/${missing}`;
        const result = await run(['migrate', '--database-url', url.toString()]);
        expectUnreachable(
          result,
          'PostgreSQL',
          `${url.hostname}:${url.port || '5432'}`,
          `database "${missing}" does not exist \\(SQLSTATE 3D000\\)`,
        );
      },
    );

    it.runIf(servicesUp)(
      'a command given a reachable Redis finishes and exits (the cache connection is closed)',
      async () => {
        const started = Date.now();
        const result = await run([
          'admin',
          'users',
          'list',
          '--data',
          join(folder.dir, 'data'),
          '--redis-url',
          REDIS_URL,
        ]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
        // It used to print its answer and then wait on the open Redis connection until killed.
        expect(Date.now() - started).toBeLessThan(25_000);
      },
      60_000,
    );
  });
});
