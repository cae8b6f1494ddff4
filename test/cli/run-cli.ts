// Runs the built `designdoc` binary as a user would: a real process, real files, real exit codes.
// Builds dist/ first when any source file is newer than it (serialised with flock when available,
// since test files run in parallel workers).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.js';

export const BIN = join(repoRoot, 'bin/designdoc.js');

const ENTRY = 'dist/bundle/main.js';
const STALE_CHECK = `find src scripts -name '*.ts' -newer ${ENTRY} -o -name '*.js' -newer ${ENTRY} | head -n 1 | grep -q . `;

/** Compiles src/ to dist/ and bundles the CLI when the bundle is missing or older than a source file. */
export function ensureBuilt(): void {
  const build = `if [ ! -f ${ENTRY} ] || ${STALE_CHECK}; then npm run build:core --silent >/dev/null 2>&1 || true; fi`;
  const hasFlock = (() => {
    try {
      execFileSync('sh', ['-c', 'command -v flock'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const command = hasFlock
    ? ['flock', [join(tmpdir(), 'designdoc-build.lock'), 'sh', '-c', build]]
    : ['sh', ['-c', build]];
  execFileSync(command[0] as string, command[1] as string[], {
    cwd: repoRoot,
    stdio: 'ignore',
    timeout: 240_000,
  });
  if (!existsSync(join(repoRoot, ENTRY))) throw new Error(`${ENTRY} is missing after the build`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /**
   * Run as this unprivileged uid (and gid) when the tests run as root, through util-linux's
   * `setpriv`: root reads folders whatever their permissions, so permission refusals need it.
   */
  unprivileged?: boolean;
}

const NOBODY = 65534;

/** Runs `node bin/designdoc.js ...args` in `cwd`, stdout not a TTY, NO_COLOR/FORCE_COLOR unset unless given. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !['NO_COLOR', 'FORCE_COLOR', 'CI', 'DESIGNDOC_DEBUG'].includes(key))
      env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const asRoot = options.unprivileged === true && process.getuid?.() === 0;
    const [command, argv] = asRoot
      ? [
          'setpriv',
          [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, BIN, ...args],
        ]
      : [process.execPath, [BIN, ...args]];
    const child = spawn(command, argv, {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** A fresh temporary folder; `cleanup()` removes it. */
export function tempFolder(prefix = 'designdoc-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lines of `text` without the trailing empty one. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line, i, all) => !(line === '' && i === all.length - 1));
}
