// docs/errors.md and the registry in src/core/errors.ts describe the same codes, word for word,
// with the HTTP status the gateway really maps each code to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';
import { STATUS_BY_CODE } from '../../src/server/gateway/problem.js';
import { repoRoot } from '../support/corpus.js';

const ENTRY = /^## (DD_E_[A-Z0-9_]+)\n\n(.+)\n\n- CLI: exit (\d) · HTTP: (\d{3})$/gm;

function documented(): Map<string, { description: string; exit: number; http: number }> {
  const text = readFileSync(join(repoRoot, 'docs/errors.md'), 'utf8');
  const entries = new Map<string, { description: string; exit: number; http: number }>();
  for (const match of text.matchAll(ENTRY)) {
    expect(entries.has(match[1] as string), `${match[1]} documented twice`).toBe(false);
    entries.set(match[1] as string, {
      description: match[2] as string,
      exit: Number(match[3]),
      http: Number(match[4]),
    });
  }
  // Every `## DD_E_` heading must have been read as an entry (none malformed).
  expect([...text.matchAll(/^## (DD_E_\w+)/gm)].map((m) => m[1])).toEqual([...entries.keys()]);
  return entries;
}

describe('docs/errors.md', () => {
  it('documents exactly the codes of the registry, in registry order', () => {
    expect([...documented().keys()]).toEqual(Object.keys(ERROR_CODES));
  });

  it('gives each code the registry description word for word', () => {
    const docs = documented();
    for (const [code, description] of Object.entries(ERROR_CODES))
      expect(docs.get(code)?.description, code).toBe(description);
  });

  it('states the CLI exit code (always 2) and the HTTP status the gateway uses', () => {
    for (const [code, entry] of documented()) {
      expect(entry.exit, code).toBe(2);
      expect(entry.http, code).toBe(STATUS_BY_CODE[code as keyof typeof STATUS_BY_CODE]);
    }
  });
});
