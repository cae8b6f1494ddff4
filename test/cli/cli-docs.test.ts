// docs/cli.md is the reference: it must name every command and every flag the commands accept,
// and its configuration example must be a valid config.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/core/lint/index.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { repoRoot } from '../support/corpus.js';
import { ensureBuilt, runCli } from './run-cli.js';

const doc = readFileSync(join(repoRoot, 'docs/cli.md'), 'utf8');

beforeAll(() => ensureBuilt(), 300_000);

describe('docs/cli.md', () => {
  it('names every command of the table with its usage', () => {
    // Usage lines may wrap or sit in a table (with escaped pipes) in the page.
    const flat = doc.replace(/\\\|/g, '|').replace(/\s+/g, ' ');
    for (const command of COMMANDS) {
      expect(doc, command.name).toContain(`\`${command.name}\``);
      expect(flat, `usage of ${command.name}`).toContain(command.usage.replace(/\s+/g, ' '));
    }
  });

  for (const name of ['new', 'lint', 'show', 'render', 'list']) {
    it(`documents every flag of designdoc ${name} --help`, async () => {
      const help = await runCli([name, '--help'], { cwd: repoRoot });
      expect(help.code).toBe(0);
      const flags = [
        ...new Set([...help.stdout.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((m) => m[1] as string)),
      ].filter((flag) => flag !== '--help');
      expect(flags.length).toBeGreaterThan(0);
      const section = doc.slice(
        doc.indexOf(`\n## ${name}\n`),
        doc.indexOf('\n## ', doc.indexOf(`\n## ${name}\n`) + 4),
      );
      for (const flag of flags) expect(section, `${name} ${flag}`).toContain(flag);
    });
  }

  it('has a configuration example that validates', () => {
    const section = doc.slice(doc.indexOf('\n## Configuration\n'));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    expect(() => validateConfig(JSON.parse(example as string), 'docs/cli.md')).not.toThrow();
  });

  it('shows the real stylish line shape', () => {
    expect(doc).toMatch(/^docs\/search\.md:12:1 warning .+ \[DD004 empty-section\]$/m);
  });
});
