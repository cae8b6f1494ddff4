import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { ensureBuilt, lines, runCli } from './run-cli.js';

const cwd = repoRoot;

beforeAll(() => ensureBuilt(), 300_000);

describe('designdoc: global flags and usage errors', () => {
  it('--version prints the package version', async () => {
    const result = await runCli(['--version'], { cwd });
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists every command; no arguments prints it and exits 2', async () => {
    const help = await runCli(['--help'], { cwd });
    expect(help.code).toBe(0);
    for (const name of [
      'new',
      'lint',
      'show',
      'render',
      'list',
      'serve',
      'import',
      'export',
      'backup',
      'restore',
      'admin',
      'migrate',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
    const bare = await runCli([], { cwd });
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(help.stdout);
  });

  it('help <cmd> and <cmd> --help print the command help', async () => {
    const viaHelp = await runCli(['help', 'lint'], { cwd });
    const viaFlag = await runCli(['lint', '--help'], { cwd });
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^usage: designdoc lint /);
    expect(viaHelp.stdout).toContain('--max-warnings');
  });

  it('an unknown flag exits 2 with a one-line error and the usage line', async () => {
    const result = await runCli(['lint', '--nope'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^designdoc: unknown option '--nope' \[DD_E_USAGE\]$/),
      expect.stringMatching(/^usage: designdoc lint \[paths/),
    ]);
  });

  it('a bad flag value exits 2 naming the flag', async () => {
    const format = await runCli(['lint', '--format', 'xml'], { cwd });
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(
      /^designdoc: --format must be one of stylish, json, sarif, got "xml" \[DD_E_USAGE\]\n/,
    );
    const max = await runCli(['lint', '--max-warnings', 'many'], { cwd });
    expect(max.code).toBe(2);
    expect(max.stderr).toMatch(
      /^designdoc: --max-warnings expects a non-negative integer, got "many" \[DD_E_USAGE\]\n/,
    );
  });

  it('an unknown command exits 2', async () => {
    const result = await runCli(['frobnicate'], { cwd });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe('designdoc: unknown command "frobnicate" [DD_E_USAGE]');
  });
});
