/**
 * Where the shared corpus of real design documents lives, read at run time and never copied.
 * Absent on a user's clone: tests then say they skipped; with CI=true its absence is a failure.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusRoot = process.env.DESIGNDOC_CORPUS ?? resolve(repoRoot, '../shared/corpus');
export const sharedRoot = resolve(corpusRoot, '..');
export const corpusAvailable = existsSync(corpusRoot);

/** Throws under CI when the corpus is missing; otherwise tells the user the suite is skipped. */
export function requireCorpus(suite: string): boolean {
  if (corpusAvailable) return true;
  if (process.env.CI === 'true')
    throw new Error(`${suite}: the shared corpus is missing at ${corpusRoot} (required with CI=true)`);
  console.warn(`SKIPPED ${suite}: the shared corpus is not at ${corpusRoot}`);
  return false;
}

export interface CorpusDocument {
  source: string;
  file: string;
  path: string;
}

const LICENSE_NAMES = /^(LICENSE|LICENCE|COPYING|NOTICE)/i;

/** Every corpus markdown document (license files excluded), sorted for stable runs. */
export function corpusDocuments(): CorpusDocument[] {
  if (!corpusAvailable) return [];
  const docs: CorpusDocument[] = [];
  for (const source of readdirSync(corpusRoot).sort()) {
    const dir = join(corpusRoot, source);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of entries.sort()) {
      if (!file.endsWith('.md') || LICENSE_NAMES.test(file)) continue;
      docs.push({ source, file, path: join(dir, file) });
    }
  }
  return docs;
}

/** The sidecar `kep.yaml` beside a k8s KEP document, when there is one. */
export function sidecarPath(doc: CorpusDocument): string | null {
  const candidate = doc.path.replace(/\.md$/, '.kep.yaml');
  return existsSync(candidate) ? candidate : null;
}
