/**
 * Runs a Node script as a child process and measures it the way a user experiences it: wall time
 * from spawn to exit, and the child's peak resident set size. Peak RSS comes from GNU time
 * (`/usr/bin/time -f %M`, Debian package `time`) when installed, else from a preloaded module
 * that reports `process.resourceUsage().maxRSS` at exit.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { URL } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const RSS_REPORTER = new URL('./report-max-rss.js', import.meta.url);

/** How peak RSS and CPU time are measured on this machine, for the result file. */
export function rssMethod() {
  return existsSync(GNU_TIME)
    ? 'GNU time %M %U %S (max RSS of the child in KiB; user and system CPU seconds)'
    : 'process.resourceUsage() (maxRSS, user and system CPU) reported by the child at exit';
}

/**
 * Runs `node <script> <args…>` and resolves once it exits. `stdout` is `'ignore'` (like
 * `> /dev/null`), `'capture'` (kept in memory: only for small outputs) or a file path. stderr is
 * captured (its first and last 32 KiB, so a failure and a summary line can both be read) unless `stderr` is `'ignore'`, for
 * tools that print their findings there. Never rejects on a non-zero exit: linters exit 1 when
 * they find problems, which is not a failure of the benchmark.
 * @param {{ script: string, args?: string[], cwd?: string, stdout?: string, stderr?: 'capture' | 'ignore', nodeArgs?: string[] }} options
 * @returns {Promise<{ wallMs: number, peakRssKiB: number | null, cpuMs: number | null, exitCode: number | null, signal: string | null, stdout: string, stderr: string }>}
 */
export async function runMeasured({
  script,
  args = [],
  cwd = process.cwd(),
  stdout = 'ignore',
  stderr = 'capture',
  nodeArgs = [],
}) {
  const scratch = mkdtempSync(join(tmpdir(), 'designdoc-bench-rss-'));
  const rssFile = join(scratch, 'rss');
  const useGnuTime = existsSync(GNU_TIME);
  const nodeCommand = [
    process.execPath,
    ...nodeArgs,
    ...(useGnuTime ? [] : ['--import', RSS_REPORTER.href]),
    script,
    ...args,
  ];
  const [command, ...commandArgs] = useGnuTime
    ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile, ...nodeCommand]
    : nodeCommand;
  let stdoutFd = null;
  if (stdout !== 'ignore' && stdout !== 'capture') stdoutFd = openSync(stdout, 'w');
  try {
    const started = performance.now();
    const child = spawn(/** @type {string} */ (command), commandArgs, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', DESIGNDOC_BENCH_RSS_FILE: rssFile },
      stdio: [
        'ignore',
        stdoutFd ?? (stdout === 'capture' ? 'pipe' : 'ignore'),
        stderr === 'capture' ? 'pipe' : 'ignore',
      ],
    });
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk) => {
      // Keep the start (the error) and the end (a worker's summary line) of a long stderr.
      err += chunk;
      if (err.length > 131072) err = `${err.slice(0, 32768)}\n…\n${err.slice(-32768)}`;
    });
    const { code, signal } = await new Promise((resolvePromise, rejectPromise) => {
      child.on('error', rejectPromise);
      child.on('close', (exitCode, exitSignal) => resolvePromise({ code: exitCode, signal: exitSignal }));
    });
    const wallMs = performance.now() - started;
    const usage = readUsage(rssFile);
    return { wallMs, ...usage, exitCode: code, signal, stdout: out, stderr: err };
  } finally {
    if (stdoutFd !== null) closeSync(stdoutFd);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Reads "<max RSS KiB> <user s> <system s>" as written by GNU time or report-max-rss.js. GNU time
 * writes "Command exited with non-zero status N" before it: the figures are on the last line.
 */
function readUsage(file) {
  const none = { peakRssKiB: null, cpuMs: null };
  if (!existsSync(file)) return none;
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const [rss, user, system] = (lines[lines.length - 1] ?? '').trim().split(/\s+/).map(Number);
  if (rss === undefined || !Number.isFinite(rss)) return none;
  const cpuMs =
    user !== undefined && system !== undefined && Number.isFinite(user + system)
      ? (user + system) * 1000
      : null;
  return { peakRssKiB: rss, cpuMs };
}
