/**
 * Lints one file from disk to printable text: read, parse, detect the template, lint, apply safe
 * fixes when asked, format in the run's output format. Synchronous and self-contained, so the same
 * code runs on the main thread for small runs and in worker threads for large ones.
 */
import { writeFileSync } from 'node:fs';
import { isDesignDocError } from '../../core/errors.js';
import { applyFixes, lint, type LintResult } from '../../core/lint/index.js';
import { readDocumentFileSync } from '../../node/read-document-file.js';
import { writeError } from '../../node/write-error.js';
import type { DocumentSession } from '../document-session.js';
import { parseDocumentText } from '../load-document.js';
import { flattenFinding, type FlatFinding } from '../output/file-report.js';
import type { Piece, ReportFormat } from '../output/report-writer.js';

/** What the run asked for, beyond the session's config and templates. */
export interface LintRunOptions {
  fix: boolean;
  quiet: boolean;
}

/** One file to lint, as file discovery found it. */
export interface FileTask {
  path: string;
  display: string;
  hasSidecar: boolean | null;
}

/** One file's result, small and structured-cloneable: worker threads post it, its text as bytes. */
export interface FileOutcome {
  /**
   * The file's text in the run's format (empty when it prints nothing), or null when it was not
   * read; UTF-8 bytes once a worker or the waiting main thread has encoded it (see `encodePieces`).
   */
  piece: Piece | null;
  /** The one-line error when the file could not be read (`DesignDocError.format()`), else null. */
  error: string | null;
  errors: number;
  warnings: number;
  infos: number;
  fixes: number;
}

/** Writes a fixed file back; a refusal (read-only, full disk) is that file's error, not the run's. */
function writeFixedFile(task: FileTask, text: string): void {
  try {
    writeFileSync(task.path, text);
  } catch (error) {
    throw writeError(error, task.display, 'cannot write the fixed file');
  }
}

/** Lints text already in memory (a file or standard input) against its template. */
export function lintText(
  text: string,
  name: string,
  sidecar: string | null,
  session: DocumentSession,
): LintResult {
  const doc = parseDocumentText(text, name, sidecar);
  return lint(doc, { schema: session.schemaFor(doc), config: session.config });
}

/** Counts and formats a lint result for printing. */
export function toOutcome(
  file: string,
  path: string,
  result: LintResult,
  options: LintRunOptions,
  format: ReportFormat,
  fixes: number,
): FileOutcome {
  const findings: FlatFinding[] = [];
  for (const finding of result.findings)
    if (!options.quiet || finding.severity === 'error') findings.push(flattenFinding(finding));
  return {
    piece: format.formatFile({ file, path, score: result.score, findings }),
    error: null,
    errors: result.counts.error,
    warnings: result.counts.warning,
    infos: result.counts.info,
    fixes,
  };
}

/**
 * A function that lints one file. A file that cannot be read becomes an outcome carrying its one-line
 * error; anything else thrown is a bug and propagates. With `handOffAbove`, a file larger than that
 * (but within the session's limit) is not linted: the function returns null and the caller lints it
 * where there is memory for it.
 */
export function createFileLinter(
  session: DocumentSession,
  options: LintRunOptions,
  format: ReportFormat,
): (task: FileTask) => FileOutcome;
export function createFileLinter(
  session: DocumentSession,
  options: LintRunOptions,
  format: ReportFormat,
  handOffAbove: number,
): (task: FileTask) => FileOutcome | null;
export function createFileLinter(
  session: DocumentSession,
  options: LintRunOptions,
  format: ReportFormat,
  handOffAbove?: number,
): (task: FileTask) => FileOutcome | null {
  const readLimit = Math.min(session.maxFileSize, handOffAbove ?? Infinity);
  return (task) => {
    try {
      const { text, sidecar } = readDocumentFileSync(task.path, {
        maxFileSize: readLimit,
        displayName: task.display,
        hasSidecar: task.hasSidecar,
      });
      let result = lintText(text, task.display, sidecar, session);
      let fixes = 0;
      if (options.fix && result.findings.some((finding) => finding.fix !== undefined)) {
        const fixed = applyFixes(text, result.findings);
        if (fixed.applied > 0 && fixed.text !== text) {
          writeFixedFile(task, fixed.text);
          fixes = fixed.applied;
          result = lintText(fixed.text, task.display, sidecar, session);
        }
      }
      return toOutcome(task.display, task.path, result, options, format, fixes);
    } catch (error) {
      if (!isDesignDocError(error)) throw error;
      if (error.code === 'DD_E_FILE_TOO_LARGE' && readLimit < session.maxFileSize) return null;
      return { piece: null, error: error.format(), errors: 0, warnings: 0, infos: 0, fixes: 0 };
    }
  };
}

/**
 * Encodes the outcomes' text pieces as UTF-8 into one new buffer and points each piece at its
 * bytes; returns that buffer's memory, to be transferred with the outcomes rather than copied
 * (null when there is no text). A worker sends its outcomes this way, and the main thread keeps
 * the outcomes that wait for earlier files this way: strings on the main thread's heap that live
 * past a few collections are copied by each, bytes outside the heap are not, and stdout takes
 * bytes as they are.
 */
export function encodePieces(outcomes: ReadonlyArray<FileOutcome | null>): ArrayBuffer | null {
  let total = 0;
  for (const outcome of outcomes)
    if (typeof outcome?.piece === 'string') total += Buffer.byteLength(outcome.piece);
  if (total === 0) return null;
  const bytes = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const outcome of outcomes) {
    if (typeof outcome?.piece !== 'string') continue;
    const end = at + bytes.write(outcome.piece, at);
    outcome.piece = bytes.subarray(at, end);
    at = end;
  }
  return bytes.buffer;
}
