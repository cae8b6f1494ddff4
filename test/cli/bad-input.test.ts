import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  ftruncateSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { ensureBuilt, lines, runCli, tempFolder } from './run-cli.js';

const EXAMPLE = join(repoRoot, 'examples/payments-service.md');
const ONE_LINE_ERROR = /^(\S.*?): (.+) \[(DD_E_[A-Z0-9_]+)\]$/;

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ensureBuilt();
  ({ dir, cleanup } = tempFolder());
  copyFileSync(EXAMPLE, join(dir, 'good.md'));
  writeFileSync(join(dir, 'binary.md'), Buffer.from([0x23, 0x20, 0x48, 0x69, 0x0a, 0x00, 0x01, 0x02, 0xff]));
  writeFileSync(
    join(dir, 'latin1.md'),
    Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from('\n\nText\n')]),
  );
  // 50 MB without writing 50 MB: a sparse file is refused from its size alone.
  const fd = openSync(join(dir, 'huge.md'), 'w');
  ftruncateSync(fd, 50 * 1024 * 1024);
  closeSync(fd);
  mkdirSync(join(dir, 'no-markdown'));
  writeFileSync(join(dir, 'no-markdown', 'notes.txt'), 'not markdown\n');
}, 300_000);
afterAll(() => cleanup());

describe('designdoc lint: bad input', () => {
  it('reports each bad input on one line naming the file and the reason, lints the good file, exits 2', async () => {
    const result = await runCli(
      [
        'lint',
        'missing.md',
        'no-markdown',
        'binary.md',
        'latin1.md',
        'huge.md',
        'good.md',
        '--format',
        'json',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    const errors = lines(result.stderr);
    expect(errors).toHaveLength(5);
    for (const line of errors) expect(line).toMatch(ONE_LINE_ERROR);
    const byFile = new Map(errors.map((line) => [ONE_LINE_ERROR.exec(line)?.[1], line]));
    expect(byFile.get('missing.md')).toMatch(/no such file or folder \[DD_E_FILE_NOT_FOUND\]/);
    expect(byFile.get('no-markdown')).toMatch(/no markdown .* \[DD_E_NOT_MARKDOWN\]/);
    expect(byFile.get('binary.md')).toMatch(
      /binary file \(NUL byte at line 2, column 1\).*\[DD_E_BINARY_FILE\]/,
    );
    expect(byFile.get('latin1.md')).toMatch(
      /not valid UTF-8 \(byte 0xe9 at line 1, column 6\) \[DD_E_INVALID_UTF8\]/,
    );
    expect(byFile.get('huge.md')).toMatch(
      /file too large \(50 MB; the limit is 10 MB.*\[DD_E_FILE_TOO_LARGE\]/,
    );
    // The good file was still linted.
    const reports = JSON.parse(result.stdout) as Array<{ file: string; findings: unknown[] }>;
    expect(reports.map((report) => report.file)).toEqual(['good.md']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the good file in stylish output too', async () => {
    const result = await runCli(['lint', 'binary.md', 'good.md'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('no problems in 1 file\n');
    expect(lines(result.stderr)).toHaveLength(1);
  });

  it('honours maxFileSize from the config', async () => {
    const { dir: small, cleanup: done } = tempFolder();
    try {
      copyFileSync(EXAMPLE, join(small, 'good.md'));
      writeFileSync(join(small, 'designdoc.config.json'), JSON.stringify({ maxFileSize: 100 }));
      const result = await runCli(['lint', 'good.md'], { cwd: small });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^good\.md: file too large \(.*; the limit is 100 bytes.*\[DD_E_FILE_TOO_LARGE\]\n$/,
      );
    } finally {
      done();
    }
  });

  it('reports a glob that matches nothing', async () => {
    const result = await runCli(['lint', 'nothing/**/*.md', 'good.md'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('nothing/**/*.md: no markdown files match this pattern [DD_E_NOT_MARKDOWN]\n');
  });

  it('reports an invalid config file (found upward from the working folder) on one line and exits 2', async () => {
    const { dir: root, cleanup: done } = tempFolder();
    try {
      mkdirSync(join(root, 'docs'));
      copyFileSync(EXAMPLE, join(root, 'docs', 'good.md'));
      writeFileSync(join(root, 'designdoc.config.json'), '{ "rules": { "empty-feld": "warning" } }');
      const typo = await runCli(['lint', 'good.md'], { cwd: join(root, 'docs') });
      expect(typo.code).toBe(2);
      expect(lines(typo.stderr)).toHaveLength(1);
      expect(typo.stderr).toMatch(
        /^designdoc: .*designdoc\.config\.json: .*rules\.empty-feld: unknown rule \(did you mean empty-field\?\) \[DD_E_CONFIG_INVALID\]\n$/,
      );

      writeFileSync(join(root, 'designdoc.config.json'), '{\n  "rules": {,}\n}\n');
      const syntax = await runCli(['lint', 'good.md'], { cwd: join(root, 'docs') });
      expect(syntax.code).toBe(2);
      expect(lines(syntax.stderr)).toHaveLength(1);
      expect(syntax.stderr).toMatch(
        /^designdoc: .*designdoc\.config\.json:2:\d+: invalid JSON: .*\[DD_E_CONFIG_INVALID\]\n$/,
      );
    } finally {
      done();
    }
  });

  it('reports a --config that does not exist', async () => {
    const result = await runCli(['lint', 'good.md', '--config', 'nope.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('designdoc: nope.json: config file not found [DD_E_FILE_NOT_FOUND]\n');
  });

  it('refuses pipes and devices before reading them (a pipe would wait for a writer forever)', async () => {
    const { dir: odd, cleanup: done } = tempFolder();
    try {
      copyFileSync(EXAMPLE, join(odd, 'good.md'));
      execFileSync('mkfifo', [join(odd, 'pipe.md')]);
      const lint = await runCli(['lint', 'pipe.md', 'good.md'], { cwd: odd });
      expect(lint.code).toBe(2);
      expect(lint.stderr).toBe('pipe.md: not a regular file (a named pipe) [DD_E_FILE_UNREADABLE]\n');
      expect(lint.stdout).toBe('no problems in 1 file\n');
      const config = await runCli(['lint', 'good.md', '--config', '/dev/zero'], { cwd: odd });
      expect(config.code).toBe(2);
      expect(config.stderr).toBe(
        'designdoc: /dev/zero: cannot read config file: not a regular file (a device) [DD_E_FILE_UNREADABLE]\n',
      );
    } finally {
      done();
    }
  });

  it('explains a server that cannot start: port in use, data folder a file, a corrupt database', async () => {
    const { dir: base, cleanup: done } = tempFolder();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((busy.address() as AddressInfo).port);
      const inUse = await runCli(['serve', '--port', port, '--data', join(base, 'data')], { cwd: base });
      expect(inUse.code).toBe(2);
      expect(inUse.stderr).toBe(
        `designdoc: port ${port} on 127.0.0.1 is already in use; choose another with --port [DD_E_CONFIG_INVALID]\n`,
      );
      expect(existsSync(join(base, 'data', 'server.pid'))).toBe(false);
      // No admin was created whose one-time password the failed start never printed.
      const users = await runCli(['admin', 'users', 'list', '--data', 'data'], { cwd: base });
      expect([users.code, users.stdout]).toEqual([0, '']);
      writeFileSync(join(base, 'file'), 'not a folder\n');
      const asFile = await runCli(['serve', '--port', '0', '--data', 'file'], { cwd: base });
      expect(asFile.stderr).toMatch(
        /file: the data folder is a file, not a folder; check --data \[DD_E_CONFIG_INVALID\]\n$/,
      );
      mkdirSync(join(base, 'broken'));
      writeFileSync(join(base, 'broken', 'designdoc.sqlite'), 'x'.repeat(4096));
      const corrupt = await runCli(['serve', '--port', '0', '--data', 'broken'], { cwd: base });
      expect(corrupt.code).toBe(2);
      expect(corrupt.stderr).toMatch(
        /broken\/designdoc\.sqlite: not a usable designdoc database \(file is not a database\).*\[DD_E_FILE_UNREADABLE\]\n$/,
      );
    } finally {
      busy.close();
      done();
    }
  });

  it('reports folders it cannot read instead of skipping them', async () => {
    const { dir: base, cleanup: done } = tempFolder();
    try {
      chmodSync(base, 0o755);
      mkdirSync(join(base, 'docs', 'locked'), { recursive: true });
      mkdirSync(join(base, 'closed'));
      copyFileSync(EXAMPLE, join(base, 'docs', 'good.md'));
      copyFileSync(EXAMPLE, join(base, 'docs', 'locked', 'hidden.md'));
      copyFileSync(EXAMPLE, join(base, 'closed', 'hidden.md'));
      chmodSync(join(base, 'docs', 'locked'), 0);
      chmodSync(join(base, 'closed'), 0);
      const result = await runCli(['lint', 'docs', 'closed'], { cwd: base, unprivileged: true });
      expect(result.code).toBe(2);
      expect(lines(result.stderr).sort()).toEqual([
        'closed: cannot read this folder: permission denied [DD_E_FILE_UNREADABLE]',
        'docs/locked: cannot read this folder: permission denied [DD_E_FILE_UNREADABLE]',
      ]);
      expect(result.stdout).toBe('no problems in 1 file\n');
    } finally {
      chmodSync(join(base, 'docs', 'locked'), 0o755);
      chmodSync(join(base, 'closed'), 0o755);
      done();
    }
  });

  it('names UTF-16 as the wrong encoding, not as binary data', async () => {
    const { dir: odd, cleanup: done } = tempFolder();
    try {
      writeFileSync(
        join(odd, 'utf16.md'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Hi\n', 'utf16le')]),
      );
      const result = await runCli(['lint', 'utf16.md'], { cwd: odd });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'utf16.md: UTF-16 text (little-endian byte-order mark), not UTF-8; save it as UTF-8 [DD_E_INVALID_UTF8]\n',
      );
    } finally {
      done();
    }
  });

  it('refuses to render a document over itself', async () => {
    const before = readFileSync(join(dir, 'good.md'), 'utf8');
    const result = await runCli(['render', 'good.md', '-o', './good.md'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^designdoc: the output good\.md is the document itself; .*\[DD_E_USAGE\]\n/,
    );
    expect(readFileSync(join(dir, 'good.md'), 'utf8')).toBe(before);
  });

  it('reports an unknown --template', async () => {
    const result = await runCli(['lint', 'good.md', '--template', 'nope'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^designdoc: no template named "nope"; known templates: design-document, adr, rfc .*\[DD_E_TEMPLATE_NOT_FOUND\]\n$/,
    );
  });

  it('walks folders recursively, skipping node_modules and .git and config ignore globs', async () => {
    const { dir: root, cleanup: done } = tempFolder();
    try {
      for (const sub of ['docs/a', 'node_modules/pkg', '.git', 'docs/drafts'])
        mkdirSync(join(root, sub), { recursive: true });
      for (const file of [
        'docs/a/one.md',
        'docs/two.md',
        'node_modules/pkg/readme.md',
        '.git/x.md',
        'docs/drafts/wip.md',
      ])
        copyFileSync(EXAMPLE, join(root, file));
      writeFileSync(join(root, 'designdoc.config.json'), JSON.stringify({ ignore: ['**/drafts/**'] }));
      const result = await runCli(['lint', '.', '--format', 'json'], { cwd: root });
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as Array<{ file: string }>).map((report) => report.file)).toEqual([
        'docs/a/one.md',
        'docs/two.md',
      ]);
    } finally {
      done();
    }
  });
});
