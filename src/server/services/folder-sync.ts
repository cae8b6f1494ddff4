/**
 * Keeping a folder of markdown files and the server in step: `designdoc import DIR` and
 * `designdoc export DIR`. Both are idempotent and report, per file, what they did and why; a file
 * that failed carries its error code. Text is kept byte for byte (BOM, CRLF, no trailing newline),
 * so an export of an import is identical to the source.
 *
 * Import reads regular `*.md` files only. Symbolic links are never followed (a link to a document
 * inside the folder would import it twice; a link out of the folder, or a loop, must not be read),
 * and named pipes, sockets and devices are never opened: each is reported as skipped with why.
 *
 * Export remembers what it wrote in `.designdoc-export.json` at the top of the folder (path →
 * document, revision, SHA-256 of the text), so that it can tell a file it wrote from one the user
 * edited since: it refuses to overwrite a file that differs both from what it last wrote there and
 * from what it is about to write — unless the file is a newer revision of the document (the folder
 * was imported since, so the server holds the edit) — and it does overwrite with `force`.
 */
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DesignDocError, isDesignDocError, type ErrorCode } from '../../core/errors.js';
import {
  decodeDocument,
  formatBytes,
  readRegularFile,
  whereUtf8Fails,
} from '../../node/read-document-file.js';
import { writeError } from '../../node/write-error.js';
import type { DocumentRecord } from '../data/database.js';
import type { Actor } from './actor.js';
import { createDocument, exportDocuments, readRevisionText, saveRevision } from './documents.js';
import { sha256 } from './document-analysis.js';
import type { ServiceContext } from './service-context.js';

export interface SyncEntry {
  path: string;
  action: 'created' | 'updated' | 'skipped' | 'written' | 'failed';
  reason: string;
  id?: string;
  /** The error code of a failed entry (`DD_E_INVALID_UTF8`, `DD_E_FILE_EXISTS`, …). */
  code?: ErrorCode;
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

function failed(path: string, code: ErrorCode, reason: string, id?: string): SyncEntry {
  return { path, action: 'failed', reason, code, ...(id === undefined ? {} : { id }) };
}

/** `a/b.md` with forward slashes, relative to the folder. */
function relativePath(root: string, full: string): string {
  return relative(root, full).split(sep).join('/');
}

function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

// Hidden folders (.git) and node_modules hold no documents; hidden files may.
function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** Whether import would read the file at this folder-relative path (a `*.md` outside skipped folders). */
function isImportedPath(rel: string): boolean {
  const parts = rel.split('/');
  return rel.toLowerCase().endsWith('.md') && parts.slice(0, -1).every((part) => !isSkippedFolder(part));
}

function specialKind(entry: Dirent | Stats): string | null {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return null;
}

/** Why a symbolic link is skipped: where it points, and whether that target is imported anyway. */
async function linkReason(full: string, realRoot: string): Promise<string> {
  const written = await readlink(full).catch(() => '?');
  let target: string;
  try {
    target = await realpath(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return `symbolic link loop (→ ${written}): not followed`;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `broken symbolic link (→ ${written}): not followed`;
    return `symbolic link (→ ${written}) that cannot be resolved: not followed`;
  }
  if (!isInside(target, realRoot))
    return `symbolic link pointing outside the folder (→ ${written}): not followed`;
  const rel = relativePath(realRoot, target);
  const info = await stat(target).catch(() => null);
  if (info?.isDirectory()) return `symbolic link to the folder ${rel === '' ? '.' : rel}: not followed`;
  if (info?.isFile() && isImportedPath(rel))
    return `symbolic link to ${rel}: not followed (links are not imported; ${rel} is imported under its own path)`;
  return `symbolic link to ${rel}: not followed`;
}

type Walked = { kind: 'file'; path: string; full: string } | { kind: 'note'; entry: SyncEntry };

/**
 * The folder's contents in path order: the regular `*.md` files to import, and a note for every
 * symbolic link, named pipe, socket and device (skipped, with why) and every folder that could not
 * be listed (failed). Links are never followed, so a loop cannot hang the walk and a link out of
 * the folder is never read. Throws for a root folder that is missing or cannot be listed.
 */
async function walkFolder(root: string, dir: string): Promise<Walked[]> {
  const rootError = (error: unknown): DesignDocError => {
    const code = (error as NodeJS.ErrnoException).code;
    return new DesignDocError(
      code === 'ENOENT' ? 'DD_E_FILE_NOT_FOUND' : 'DD_E_FILE_UNREADABLE',
      code === 'ENOENT'
        ? 'no such folder'
        : code === 'ENOTDIR'
          ? 'not a folder: import reads a folder of markdown files'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot read this folder: permission denied'
            : `cannot read this folder: ${(error as Error).message}`,
      { location: { file: dir }, cause: error },
    );
  };
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (error) {
    throw rootError(error);
  }
  const out: Walked[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folder === root) throw rootError(error);
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
      out.push({
        kind: 'note',
        entry: failed(
          `${relativePath(root, folder)}/`,
          'DD_E_FILE_UNREADABLE',
          `cannot read this folder: ${reason}`,
        ),
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(folder, entry.name);
      const path = relativePath(root, full);
      if (entry.isSymbolicLink()) {
        out.push({
          kind: 'note',
          entry: { path, action: 'skipped', reason: await linkReason(full, realRoot) },
        });
      } else if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) await walk(full);
      } else if (entry.isFile()) {
        if (entry.name.toLowerCase().endsWith('.md')) out.push({ kind: 'file', path, full });
      } else {
        const kind = specialKind(entry);
        const reason =
          kind === null ? 'not a regular file: not read' : `${kind}, not a regular file: not read`;
        out.push({ kind: 'note', entry: { path, action: 'skipped', reason } });
      }
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
    throw new DesignDocError('DD_E_INVALID_UTF8', `${file} is not valid UTF-8 (${whereUtf8Fails(bytes)}).`, {
      location: { file },
      cause: error,
    });
  }
}

/**
 * Imports every `*.md` under `dir` (recursively). A file is matched to a document by its relative
 * path: new paths are created, changed texts become a new revision (status taken from the file),
 * identical texts are skipped. Bad files are reported with their error code and the rest still
 * imported; links, pipes, sockets and devices are reported as skipped (see `walkFolder`).
 */
export async function importFolder(
  ctx: ServiceContext,
  actor: Actor,
  dir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SyncReport> {
  const root = resolve(dir);
  const walked = await walkFolder(root, dir);
  const total = walked.filter((item) => item.kind === 'file').length;
  if (walked.length === 0)
    throw new DesignDocError('DD_E_NOT_MARKDOWN', 'folder holds no markdown (*.md) files', {
      location: { file: dir },
    });
  const entries: SyncEntry[] = [];
  let done = 0;
  for (const item of walked) {
    if (item.kind === 'note') {
      entries.push(item.entry);
      continue;
    }
    entries.push(await importFile(ctx, actor, item.full, item.path));
    onProgress?.(++done, total);
  }
  return report(entries);
}

async function importFile(ctx: ServiceContext, actor: Actor, full: string, path: string): Promise<SyncEntry> {
  try {
    // Opened without blocking and refused unless still a regular file: the folder may have changed
    // since it was listed, and a pipe put in a file's place must not hang the import.
    const limit = ctx.config.maxDocumentBytes;
    const bytes = await readRegularFile(full, path, limit).catch((error: unknown) => {
      if (isDesignDocError(error) && error.code === 'DD_E_FILE_TOO_LARGE') {
        const size =
          typeof error.details.size === 'number' ? formatBytes(error.details.size) : 'over the limit';
        throw new DesignDocError(
          'DD_E_FILE_TOO_LARGE',
          `file too large (${size}; the server accepts documents up to ${formatBytes(limit)})`,
          { location: { file: path }, cause: error },
        );
      }
      throw error;
    });
    const text = decodeDocument(bytes, path);
    const existing = await ctx.db.getDocumentByPath(path);
    if (!existing) {
      const record = await createDocument(ctx, actor, {
        markdown: text,
        path,
        message: `Imported from ${path}`,
      });
      return { path, action: 'created', reason: 'new file', id: record.slug };
    }
    if ((await ctx.db.getRevision(existing.id, existing.currentRevision))?.sha256 === sha256(text))
      return {
        path,
        action: 'skipped',
        reason: `unchanged (revision ${existing.currentRevision})`,
        id: existing.slug,
      };
    if (existing.archivedAt !== null)
      return {
        path,
        action: 'skipped',
        reason: 'the document is archived; restore it to import changes',
        id: existing.slug,
      };
    const saved = await saveRevision(ctx, actor, existing.slug, {
      markdown: text,
      baseRevision: existing.currentRevision,
      message: `Imported from ${path}`,
      allowEmpty: true,
      statusFromText: true,
    });
    // The save may write nothing: the file differs from the stored text only where the server
    // keeps the record (approval entries of slots with verdicts), and the text it would store is
    // the current revision's.
    if (saved.record.currentRevision === existing.currentRevision)
      return {
        path,
        action: 'skipped',
        reason: `unchanged (revision ${existing.currentRevision}): ${saved.notices.join(' ')}`,
        id: existing.slug,
      };
    return {
      path,
      action: 'updated',
      reason: `changed: revision ${saved.record.currentRevision}`,
      id: existing.slug,
    };
  } catch (error) {
    if (!isDesignDocError(error)) throw error;
    return failed(path, error.code, error.message);
  }
}

/** The file export keeps at the top of the folder: what it wrote where. */
export const EXPORT_MANIFEST = '.designdoc-export.json';

const MANIFEST_NOTE =
  'Written by designdoc export: the text it last wrote at each path, so that it can tell its own files from local edits. Deleting it is safe.';

interface ManifestEntry {
  id: string;
  revision: number;
  sha256: string;
}

type ManifestFiles = Record<string, ManifestEntry>;

function isManifestEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.id === 'string' &&
    typeof entry.revision === 'number' &&
    Number.isInteger(entry.revision) &&
    typeof entry.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(entry.sha256)
  );
}

/** The manifest's entries; none when the folder has no manifest yet. */
async function readManifest(root: string, dir: string): Promise<ManifestFiles> {
  const shown = join(dir, EXPORT_MANIFEST);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(join(root, EXPORT_MANIFEST), shown, 64 * 1024 * 1024);
  } catch (error) {
    if (isDesignDocError(error) && error.code === 'DD_E_FILE_NOT_FOUND') return {};
    throw error;
  }
  const refuse = (why: string): never => {
    throw new DesignDocError(
      'DD_E_FILE_UNREADABLE',
      `not an export manifest designdoc can read (${why}); delete it and export again (files that differ are then checked against the documents' history)`,
      { location: { file: shown } },
    );
  };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return refuse(`invalid JSON: ${(error as Error).message}`);
  }
  const files = (json as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return refuse('no "files" object');
  const out: ManifestFiles = {};
  for (const [path, entry] of Object.entries(files as Record<string, unknown>)) {
    if (!isManifestEntry(entry)) return refuse(`a malformed entry for ${JSON.stringify(path)}`);
    out[path] = { id: entry.id, revision: entry.revision, sha256: entry.sha256 };
  }
  return out;
}

function manifestText(files: ManifestFiles): string {
  const sorted: ManifestFiles = {};
  for (const path of Object.keys(files).sort()) sorted[path] = files[path] as ManifestEntry;
  return `${JSON.stringify({ note: MANIFEST_NOTE, version: 1, files: sorted }, null, 2)}\n`;
}

/** Replaces the manifest in one step (a new file renamed over the old), so a crash leaves one whole. */
async function writeManifest(root: string, dir: string, text: string): Promise<void> {
  const file = join(root, EXPORT_MANIFEST);
  const partial = `${file}.partial`;
  try {
    await writeFile(partial, text);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw writeError(error, join(dir, EXPORT_MANIFEST), 'cannot write the export manifest');
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The hash a revision of this text would have, or null for bytes that are no UTF-8 text. */
function textHash(bytes: Uint8Array): string | null {
  try {
    return sha256(strictUtf8.decode(bytes));
  } catch {
    return null;
  }
}

/** The export folder, created when missing; throws when something else is in its place. */
async function prepareExportFolder(root: string, dir: string): Promise<string> {
  const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw writeError(error, dir, 'cannot use the export folder');
  });
  if (info !== null && !info.isDirectory())
    throw new DesignDocError('DD_E_FILE_UNWRITABLE', 'not a folder: export writes into a folder', {
      location: { file: dir },
    });
  if (info === null) {
    try {
      await mkdir(root, { recursive: true });
    } catch (error) {
      throw writeError(error, dir, 'cannot create the export folder');
    }
  }
  return realpath(root);
}

/**
 * Whether `folder` really is inside the export folder: the deepest part of it that exists, resolved
 * through any links. False when that leaves the export folder — export never writes through a link
 * out of it.
 */
async function realFolderInside(folder: string, realRoot: string): Promise<boolean> {
  let existing = folder;
  for (;;) {
    try {
      return isInside(await realpath(existing), realRoot);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = dirname(existing);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing) return false;
      existing = parent;
    }
  }
}

export interface ExportOptions {
  /** Overwrite files edited in the folder since the last export. */
  force?: boolean;
}

/**
 * Writes the current text of every document the actor may see to `dir` at its path (documents
 * created in the server go to `<id>.md`). Files already identical are skipped, so a second run
 * writes nothing. A file that differs from what is about to be written is overwritten only when
 * no edit made in the folder would be lost (see `isOurs`); otherwise it is left alone and reported
 * as failed with `DD_E_FILE_EXISTS`, unless `force`. Links, folders, pipes and devices in a file's
 * place are never written through.
 */
export async function exportFolder(
  ctx: ServiceContext,
  actor: Actor,
  dir: string,
  options: ExportOptions = {},
): Promise<SyncReport> {
  const root = resolve(dir);
  const realRoot = await prepareExportFolder(root, dir);
  const previous = await readManifest(root, dir);
  const next: ManifestFiles = {};
  const entries: SyncEntry[] = [];
  for (const item of await exportDocuments(ctx, actor, { withMarkdown: false })) {
    const record = await ctx.db.getDocumentBySlug(item.id);
    if (!record) continue;
    const entry = await exportOne(ctx, record, item.path, {
      root,
      realRoot,
      previous,
      next,
      force: options.force === true,
    });
    entries.push(entry);
  }
  const text = manifestText(next);
  const before = Object.keys(previous).length === 0 ? null : manifestText(previous);
  if (text !== before && !(before === null && Object.keys(next).length === 0))
    await writeManifest(root, dir, text);
  return report(entries);
}

/**
 * Whether a file that differs from what export is about to write can be overwritten without losing
 * an edit made in the folder: it is what export last wrote there, or a revision of the document
 * newer than that (the folder was imported since). Without a manifest entry (a first export into
 * the folder, or the folder that was imported), any revision of the document: the server holds it.
 * A file equal to an older revision than export last wrote was reverted here on purpose: not ours.
 */
async function isOurs(
  ctx: ServiceContext,
  record: DocumentRecord,
  hash: string | null,
  known: ManifestEntry | undefined,
): Promise<boolean> {
  if (hash === null) return false;
  if (known?.sha256 === hash) return true;
  const since = known !== undefined && known.id === record.slug ? known.revision : 0;
  const revisions = await ctx.db.listRevisions(record.id);
  return revisions.some((revision) => revision.number > since && revision.sha256 === hash);
}

interface ExportRun {
  root: string;
  realRoot: string;
  previous: ManifestFiles;
  next: ManifestFiles;
  force: boolean;
}

async function exportOne(
  ctx: ServiceContext,
  record: DocumentRecord,
  path: string,
  run: ExportRun,
): Promise<SyncEntry> {
  const id = record.slug;
  const target = resolve(run.root, path);
  if (target === run.root || !isInside(target, run.root))
    return failed(path, 'DD_E_VALIDATION', 'the path leaves the export folder; not written', id);
  if (!(await realFolderInside(dirname(target), run.realRoot)))
    return failed(
      path,
      'DD_E_FILE_UNWRITABLE',
      'its folder is a symbolic link out of the export folder; not written through',
      id,
    );
  const text = await readRevisionText(ctx, record);
  const bytes = Buffer.from(text, 'utf8');
  const written: ManifestEntry = { id, revision: record.currentRevision, sha256: sha256(text) };
  const known = run.previous[path];
  const keepKnown = (): void => {
    if (known) run.next[path] = known;
  };

  let info: Stats | null;
  try {
    info = await lstat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      keepKnown();
      return failed(path, 'DD_E_FILE_UNREADABLE', `cannot inspect the file: ${(error as Error).message}`, id);
    }
    info = null;
  }
  let reason = 'new file';
  if (info !== null) {
    const inTheWay = info.isSymbolicLink()
      ? `a symbolic link is in its place (→ ${await readlink(target).catch(() => '?')}); export does not write through links`
      : info.isDirectory()
        ? 'a folder is in its place'
        : info.isFile()
          ? null
          : `${specialKind(info) ?? 'something that is not a regular file'} is in its place`;
    if (inTheWay !== null) {
      keepKnown();
      return failed(path, 'DD_E_FILE_UNWRITABLE', `${inTheWay}; not written`, id);
    }
    let current: Buffer;
    try {
      current = await readFile(target);
    } catch (error) {
      keepKnown();
      return failed(
        path,
        'DD_E_FILE_UNREADABLE',
        `cannot read the file there: ${(error as Error).message}`,
        id,
      );
    }
    if (current.equals(bytes)) {
      run.next[path] = written;
      return { path, action: 'skipped', reason: 'unchanged', id };
    }
    if (await isOurs(ctx, record, textHash(current), known))
      reason = `changed: revision ${record.currentRevision}`;
    else if (run.force)
      reason = `changed: revision ${record.currentRevision}; local edits overwritten (--force)`;
    else {
      keepKnown();
      return failed(
        path,
        'DD_E_FILE_EXISTS',
        known
          ? `edited here since export wrote revision ${known.revision} of ${known.id}; not overwritten${
              known.id === id && known.revision === record.currentRevision
                ? ''
                : ` with revision ${record.currentRevision} of ${id}`
            }`
          : `differs from every revision of ${id}, so it holds edits made here; not overwritten`,
        id,
      );
    }
  }
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  } catch (error) {
    keepKnown();
    const coded = writeError(error, path);
    return failed(path, coded.code, coded.message, id);
  }
  run.next[path] = written;
  return { path, action: 'written', reason, id };
}
