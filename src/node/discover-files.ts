/**
 * Turns what a user typed (files, folders, globs) into the markdown files to process. Folders are
 * walked for `*.md` (node_modules and .git skipped, config `ignore` globs honoured); a glob or folder
 * that matches nothing, and a path that does not exist, become errors naming the input, while the
 * other inputs are still expanded.
 */
import { readdir, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { DesignDocError } from '../core/errors.js';

/** A document to process: where it is, how to name it, and whether it has a sidecar. */
export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  /** Relative to the working folder when inside it (forward slashes), else absolute. */
  display: string;
  /** Whether `<name>.kep.yaml` sits beside it; null when not known (a file named explicitly). */
  hasSidecar: boolean | null;
}

export interface DiscoverOptions {
  cwd: string;
  /** Globs (relative to each walked folder and to cwd) whose matches are skipped. */
  ignore?: readonly string[];
}

export interface Discovery {
  files: DiscoveredFile[];
  errors: DesignDocError[];
}

const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];
const SIDECAR = /\.kep\.yaml$/i;

/** The name shown for `path`: relative to cwd with `/` separators when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split('\\').join('/');
}

async function expandGlob(pattern: string, options: DiscoverOptions): Promise<string[]> {
  return glob([pattern, pattern.replace(/\.(?:md|markdown)$/i, '.kep.yaml')], {
    cwd: options.cwd,
    ignore: [...ALWAYS_IGNORED, ...(options.ignore ?? [])],
    absolute: true,
    onlyFiles: true,
    expandDirectories: false,
  });
}

/**
 * The markdown files under `dir`. The glob library skips a folder it cannot list without a word;
 * its `readdir` is wrapped so that such folders are collected into `unreadable` and reported.
 */
async function walkFolder(dir: string, options: DiscoverOptions, unreadable: string[]): Promise<string[]> {
  const listing = ((
    path: string,
    readdirOptions: object,
    callback: (error: Error | null, entries: Dirent[]) => void,
  ) =>
    readdir(path, readdirOptions as { withFileTypes: true }, (error, entries) => {
      if (error && (error.code === 'EACCES' || error.code === 'EPERM')) unreadable.push(path);
      callback(error, entries);
    })) as unknown as typeof readdir;
  return glob(['**/*.md', '**/*.kep.yaml'], {
    cwd: dir,
    ignore: [...ALWAYS_IGNORED, ...(options.ignore ?? [])],
    absolute: true,
    onlyFiles: true,
    expandDirectories: false,
    fs: { readdir: listing },
  });
}

/**
 * Expands `inputs` into markdown files, in input order (sorted within each folder or glob), each
 * file once. Errors: `DD_E_FILE_NOT_FOUND` for a missing path, `DD_E_NOT_MARKDOWN` for a folder or
 * glob without markdown files.
 */
export async function discoverFiles(inputs: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  const errors: DesignDocError[] = [];
  const sidecars = new Set<string>();
  const found: string[] = [];
  const explicit = new Set<string>();

  for (const input of inputs) {
    let matches: string[];
    const path = resolve(options.cwd, input);
    let info = null;
    let failure: unknown = null;
    try {
      info = await stat(path);
    } catch (error) {
      failure = error;
    }
    // A path that exists is taken literally even when it holds glob characters (`[draft].md`).
    if (info === null && isDynamicPattern(input)) {
      matches = await expandGlob(input, options);
      if (!matches.some((match) => !SIDECAR.test(match))) {
        errors.push(
          new DesignDocError('DD_E_NOT_MARKDOWN', 'no markdown files match this pattern', {
            location: { file: input },
          }),
        );
        continue;
      }
    } else if (info === null) {
      const code = (failure as NodeJS.ErrnoException).code;
      errors.push(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? new DesignDocError('DD_E_FILE_NOT_FOUND', 'no such file or folder', {
              location: { file: input },
              cause: failure,
            })
          : new DesignDocError('DD_E_FILE_UNREADABLE', `cannot read: ${(failure as Error).message}`, {
              location: { file: input },
              cause: failure,
            }),
      );
      continue;
    } else if (info.isDirectory()) {
      const unreadable: string[] = [];
      matches = await walkFolder(path, options, unreadable);
      for (const folder of unreadable)
        errors.push(
          new DesignDocError('DD_E_FILE_UNREADABLE', 'cannot read this folder: permission denied', {
            location: { file: displayPath(resolve(folder), options.cwd) },
          }),
        );
      if (unreadable.length > 0 && !matches.some((match) => !SIDECAR.test(match))) continue;
      if (!matches.some((match) => !SIDECAR.test(match))) {
        errors.push(
          new DesignDocError('DD_E_NOT_MARKDOWN', 'folder holds no markdown (*.md) files', {
            location: { file: input },
          }),
        );
        continue;
      }
    } else {
      // A file named explicitly is processed whatever its extension; its sidecar is looked up on read.
      matches = [path];
      explicit.add(path);
    }
    const batch: string[] = [];
    for (const match of matches) {
      if (SIDECAR.test(match)) sidecars.add(match);
      else batch.push(match);
    }
    batch.sort();
    for (const match of batch) {
      if (seen.has(match)) continue;
      seen.add(match);
      found.push(match);
    }
  }

  for (const path of found) {
    const sidecar = path.replace(/\.(?:md|markdown)$/i, '') + '.kep.yaml';
    // Explicitly named files were not listed with their folder: the reader looks for the sidecar.
    const hasSidecar = sidecars.has(sidecar) ? true : explicit.has(path) ? null : false;
    files.push({ path, display: displayPath(path, options.cwd), hasSidecar });
  }
  return { files, errors };
}
