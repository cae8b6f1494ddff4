// Dependencies point one way (HOUSE_STYLE §1): core is pure, only the gateway knows HTTP,
// and the web app imports nothing from the server. Checked on the source text of every module.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

function violations(dir: string, forbidden: RegExp): string[] {
  return sourceFiles(join(repoRoot, dir)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden.test(spec))
      .map((spec) => `${relative(repoRoot, file)} imports ${spec}`),
  );
}

describe('layer boundaries', () => {
  it('src/core does no I/O and imports no outer layer', () => {
    expect(
      violations('src/core', /^node:|^(fs|path|net|http|https|child_process|os)$|\/(cli|server|node)\//),
    ).toEqual([]);
  });

  it('services and data never import HTTP', () => {
    const forbidden = /^fastify$|^@fastify\/|\/gateway\//;
    expect([
      ...violations('src/server/services', forbidden),
      ...violations('src/server/data', forbidden),
    ]).toEqual([]);
  });

  it('the data layer does not reach up into services or the gateway', () => {
    expect(violations('src/server/data', /\/(services|gateway)\//)).toEqual([]);
  });

  it('the web app imports only core types from the project', () => {
    expect(violations('web/src', /\/src\/(server|cli|node)\//)).toEqual([]);
  });
});
