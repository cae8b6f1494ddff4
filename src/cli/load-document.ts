/**
 * Reads and parses the one document a command names (`show`, `render`), with the same checks as
 * `lint`: missing, unreadable, too large, binary and non-UTF-8 files are one-line errors.
 */
import { basename, resolve } from 'node:path';
import type { DesignDocument } from '../core/model.js';
import { parse } from '../core/parse/index.js';
import { displayPath } from '../node/discover-files.js';
import { DEFAULT_MAX_FILE_SIZE, readDocumentFile } from '../node/read-document-file.js';

export interface LoadedDocument {
  doc: DesignDocument;
  /** The file as shown to the user. */
  display: string;
  path: string;
}

/** Parses `text` named `display`, passing its sidecar to the parser when there is one. */
export function parseDocumentText(text: string, display: string, sidecar: string | null): DesignDocument {
  if (sidecar === null) return parse(text, { fileName: display });
  return parse(text, {
    fileName: display,
    sidecar: { name: `${basename(display).replace(/\.(?:md|markdown)$/i, '')}.kep.yaml`, text: sidecar },
  });
}

/** Reads, decodes and parses `file` (relative to `cwd`). Throws a `DesignDocError` naming the file. */
export async function loadDocument(
  cwd: string,
  file: string,
  maxFileSize = DEFAULT_MAX_FILE_SIZE,
): Promise<LoadedDocument> {
  const path = resolve(cwd, file);
  const display = displayPath(path, cwd);
  const { text, sidecar } = await readDocumentFile(path, { maxFileSize, displayName: display });
  return { doc: parseDocumentText(text, display, sidecar), display, path };
}
