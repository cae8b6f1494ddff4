/**
 * Keeping a folder of markdown files and the server in step: `designdoc import DIR` and
 * `designdoc export DIR`. Both are idempotent and report, per file, what they did and why.
 * Text is kept byte for byte (BOM, CRLF, no trailing newline), so an export of an import is
 * identical to the source.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DesignDocError, isDesignDocError } from '../../core/errors.js';
import type { Actor } from './actor.js';
import { createDocument, exportDocuments, readRevisionText, saveRevision } from './documents.js';
import { sha256 } from './document-analysis.js';
import type { ServiceContext } from './service-context.js';

export interface SyncEntry {
  path: string;
  action: 'created' | 'updated' | 'skipped' | 'written' | 'failed';
  reason: string;
  id?: string;
}

export interface SyncReport {
  entries: SyncEntry[];
  counts: Record<SyncEntry['action'], number>;
}

function report(entries: SyncEntry[]): SyncReport {
  const counts: SyncReport['counts'] = { created: 0, updated: 0, skipped: 0, written: 0, failed: 0 };
  for (const e of entries) counts[e.action]++;
  return { entries, counts };
}

async function markdownFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      // Hidden folders (.git) and node_modules hold no documents; hidden files may.
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(full);
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) out.push(full);
    }
  };
  await walk(root);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes file bytes as UTF-8 exactly (a BOM is kept as text so it round-trips). */
export function decodeMarkdown(bytes: Uint8Array, file: string): string {
  if (bytes.includes(0))
    throw new DesignDocError('DD_E_BINARY_FILE', `${file} holds binary data (NUL bytes), not markdown.`, {
      location: { file },
    });
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new DesignDocError('DD_E_INVALID_UTF8', `${file} is not valid UTF-8.`, {
      location: { file },
      cause: error,
    });
  }
}

/**
 * Imports every `*.md` under `dir` (recursively). A file is matched to a document by its relative
 * path: new paths are created, changed texts become a new revision (status taken from the file),
 * identical texts are skipped. Bad files are reported and the rest still imported.
 */
export async function importFolder(
  ctx: ServiceContext,
  actor: Actor,
  dir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SyncReport> {
  const root = resolve(dir);
  let files: string[];
  try {
    files = await markdownFiles(root);
  } catch (error) {
    throw new DesignDocError(
      'DD_E_FILE_NOT_FOUND',
      `Cannot read the folder ${dir}: ${(error as Error).message}`,
      { location: { file: dir }, cause: error },
    );
  }
  if (files.length === 0)
    throw new DesignDocError('DD_E_NOT_MARKDOWN', `${dir} holds no markdown files.`, {
      location: { file: dir },
    });
  const entries: SyncEntry[] = [];
  for (const [index, file] of files.entries()) {
    const path = relative(root, file).split(sep).join('/');
    try {
      const text = decodeMarkdown(await readFile(file), path);
      const existing = await ctx.db.getDocumentByPath(path);
      if (!existing) {
        const record = await createDocument(ctx, actor, {
          markdown: text,
          path,
          message: `Imported from ${path}`,
        });
        entries.push({ path, action: 'created', reason: 'new file', id: record.slug });
      } else if ((await ctx.db.getRevision(existing.id, existing.currentRevision))?.sha256 === sha256(text)) {
        entries.push({
          path,
          action: 'skipped',
          reason: `unchanged (revision ${existing.currentRevision})`,
          id: existing.slug,
        });
      } else if (existing.archivedAt !== null) {
        entries.push({
          path,
          action: 'skipped',
          reason: 'the document is archived; restore it to import changes',
          id: existing.slug,
        });
      } else {
        const saved = await saveRevision(ctx, actor, existing.slug, {
          markdown: text,
          baseRevision: existing.currentRevision,
          message: `Imported from ${path}`,
          allowEmpty: true,
          statusFromText: true,
        });
        entries.push({
          path,
          action: 'updated',
          reason: `changed: revision ${saved.record.currentRevision}`,
          id: existing.slug,
        });
      }
    } catch (error) {
      if (!isDesignDocError(error)) throw error;
      entries.push({ path, action: 'failed', reason: error.message });
    }
    onProgress?.(index + 1, files.length);
  }
  return report(entries);
}

/**
 * Writes the current text of every document the actor may see to `dir` at its path (documents
 * created in the server go to `<id>.md`). Files already identical are skipped, so a second run
 * writes nothing.
 */
export async function exportFolder(ctx: ServiceContext, actor: Actor, dir: string): Promise<SyncReport> {
  const root = resolve(dir);
  const entries: SyncEntry[] = [];
  for (const item of await exportDocuments(ctx, actor, { withMarkdown: false })) {
    const target = resolve(root, item.path);
    if (!target.startsWith(root + sep)) {
      entries.push({
        path: item.path,
        action: 'failed',
        reason: 'the path leaves the export folder',
        id: item.id,
      });
      continue;
    }
    const record = await ctx.db.getDocumentBySlug(item.id);
    if (!record) continue;
    const text = await readRevisionText(ctx, record);
    const bytes = Buffer.from(text, 'utf8');
    const current = await readFile(target).catch(() => null);
    if (current && current.equals(bytes)) {
      entries.push({ path: item.path, action: 'skipped', reason: 'unchanged', id: item.id });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    entries.push({
      path: item.path,
      action: 'written',
      reason: current ? 'changed' : 'new file',
      id: item.id,
    });
  }
  return report(entries);
}
