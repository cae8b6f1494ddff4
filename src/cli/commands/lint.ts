/**
 * `designdoc lint`: checks documents against their templates. Files are read through a bounded pool
 * while earlier ones are parsed and linted synchronously; a file that cannot be read is reported on
 * one line and the run goes on with the others (exit 2 at the end).
 */
import { writeFile } from 'node:fs/promises';
import { isDesignDocError, type DesignDocError } from '../../core/errors.js';
import { applyFixes, builtinRegistry, lint } from '../../core/lint/index.js';
import type { Finding } from '../../core/model.js';
import { discoverFiles, type DiscoveredFile } from '../../node/discover-files.js';
import { mapConcurrent } from '../../node/map-concurrent.js';
import { readDocumentFile } from '../../node/read-document-file.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../command.js';
import { openDocumentSession, type DocumentSession } from '../document-session.js';
import { parseDocumentText } from '../load-document.js';
import { flattenFinding, type FileReport, type FlatFinding } from '../output/file-report.js';
import { jsonWriter, sarifWriter, stylishWriter, type ReportWriter } from '../output/report-writer.js';
import { packageInfo } from '../package-info.js';
import { choiceFlag, integerFlag, parseCommandArgs } from '../parse-command-args.js';
import { createProgressLine, type ProgressLine } from '../progress-line.js';
import { readStdinDocument } from '../read-stdin.js';
import { terminalColors } from '../terminal-colors.js';
import { usageError } from '../usage-error.js';

const USAGE =
  'designdoc lint [paths|globs...] [--format stylish|json|sarif] [--fix] [--max-warnings N] [--quiet] [--stdin] [--stdin-filename F] [--config F] [--template T]';

const HELP = `usage: ${USAGE}

Checks design documents against their templates. Paths may be files, folders (searched for *.md)
or globs; the default is the current folder.

options:
  -f, --format F         stylish (default), json or sarif
      --fix              apply safe fixes and write the changed files
      --max-warnings N   exit 1 when there are more than N warnings
  -q, --quiet            report errors only
      --stdin            lint standard input instead of files
      --stdin-filename F the name to report for standard input
  -c, --config F         use this config file instead of the nearest designdoc.config.json
  -t, --template T       check every document against template T (no detection)
  -h, --help             show this help

exit codes: 0 no error findings, 1 error findings or too many warnings, 2 usage or I/O error
`;

/** Files read at once: enough to keep the disk busy while the CPU parses, well under EMFILE. */
const READ_CONCURRENCY = 16;

interface LintRunOptions {
  fix: boolean;
  quiet: boolean;
}

interface Outcome {
  report: FileReport | null;
  error: DesignDocError | null;
  warnings: number;
  errors: number;
  infos: number;
  fixes: number;
}

function lintText(text: string, name: string, sidecar: string | null, session: DocumentSession) {
  const doc = parseDocumentText(text, name, sidecar);
  return lint(doc, { schema: session.schemaFor(doc), config: session.config });
}

function outcome(
  file: string,
  path: string,
  result: { findings: Finding[]; score: number },
  options: LintRunOptions,
  fixes: number,
): Outcome {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  const findings: FlatFinding[] = [];
  for (const finding of result.findings) {
    if (finding.severity === 'error') errors++;
    else if (finding.severity === 'warning') warnings++;
    else infos++;
    if (!options.quiet || finding.severity === 'error') findings.push(flattenFinding(finding));
  }
  return {
    report: { file, path, score: result.score, findings },
    error: null,
    warnings,
    errors,
    infos,
    fixes,
  };
}

async function lintFile(
  file: DiscoveredFile,
  session: DocumentSession,
  options: LintRunOptions,
): Promise<Outcome> {
  try {
    const { text, sidecar } = await readDocumentFile(file.path, {
      maxFileSize: session.maxFileSize,
      displayName: file.display,
      hasSidecar: file.hasSidecar,
    });
    let result = lintText(text, file.display, sidecar, session);
    let fixes = 0;
    if (options.fix && result.findings.some((finding) => finding.fix !== undefined)) {
      const fixed = applyFixes(text, result.findings);
      if (fixed.applied > 0 && fixed.text !== text) {
        await writeFile(file.path, fixed.text);
        fixes = fixed.applied;
        result = lintText(fixed.text, file.display, sidecar, session);
      }
    }
    return outcome(file.display, file.path, result, options, fixes);
  } catch (error) {
    if (isDesignDocError(error)) return { report: null, error, warnings: 0, errors: 0, infos: 0, fixes: 0 };
    throw error;
  }
}

function createWriter(format: 'stylish' | 'json' | 'sarif', io: CliIO, progress: ProgressLine): ReportWriter {
  const write = (text: string): void => {
    // When stdout is the terminal too, output and the progress line share the screen.
    if (io.isTTY) progress.clear();
    io.stdout.write(text);
  };
  if (format === 'json') return jsonWriter(write);
  if (format === 'sarif') return sarifWriter(write, builtinRegistry.list(), packageInfo(), io.cwd);
  return stylishWriter(write, terminalColors(io));
}

/** Runs `designdoc lint`. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      format: { type: 'string', short: 'f', default: 'stylish' },
      fix: { type: 'boolean', default: false },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
      stdin: { type: 'boolean', default: false },
      'stdin-filename': { type: 'string' },
      config: { type: 'string', short: 'c' },
      template: { type: 'string', short: 't' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const format = choiceFlag(values.format, ['stylish', 'json', 'sarif'] as const, '--format', USAGE);
  const maxWarnings =
    values['max-warnings'] === undefined
      ? null
      : integerFlag(values['max-warnings'], '--max-warnings', USAGE);
  if (values.stdin && positionals.length > 0)
    throw usageError('--stdin cannot be combined with file paths', USAGE);
  if (values.stdin && values.fix)
    throw usageError('--fix cannot be used with --stdin (there is no file to write)', USAGE);
  if (values['stdin-filename'] !== undefined && !values.stdin)
    throw usageError('--stdin-filename needs --stdin', USAGE);

  const session = await openDocumentSession(io, { configFile: values.config, template: values.template });
  const options: LintRunOptions = { fix: values.fix, quiet: values.quiet };
  const ioErrors: DesignDocError[] = [];
  const totals = { files: 0, error: 0, warning: 0, info: 0, fixes: 0, fixedFiles: 0 };
  let writer: ReportWriter | null = null;
  let progress: ProgressLine = { tick() {}, clear() {}, done() {} };
  const emit = (item: Outcome): void => {
    if (item.error) {
      // Read errors go out as they happen, in order with the files around them.
      progress.clear();
      io.stderr.write(`${item.error.format()}\n`);
      ioErrors.push(item.error);
    }
    if (!item.report) return;
    writer ??= createWriter(format, io, progress);
    writer.file(item.report);
    totals.files++;
    totals.error += item.errors;
    totals.warning += item.warnings;
    totals.info += item.infos;
    totals.fixes += item.fixes;
    if (item.fixes > 0) totals.fixedFiles++;
  };

  if (values.stdin) {
    const name = values['stdin-filename'] ?? '<stdin>';
    try {
      const text = await readStdinDocument(io.stdin, name, session.maxFileSize);
      emit(outcome(name, name, lintText(text, name, null, session), options, 0));
    } catch (error) {
      if (!isDesignDocError(error)) throw error;
      emit({ report: null, error, warnings: 0, errors: 0, infos: 0, fixes: 0 });
    }
  } else {
    const discovery = await discoverFiles(positionals.length > 0 ? positionals : ['.'], {
      cwd: io.cwd,
      ignore: session.config.ignore,
    });
    for (const error of discovery.errors) {
      io.stderr.write(`${error.format()}\n`);
      ioErrors.push(error);
    }
    progress = createProgressLine(io, 'linting', discovery.files.length);
    // Results arrive out of order from the pool; they are written in input order as soon as the
    // next one in line is ready, so only the few in flight are ever held.
    const pending = new Map<number, Outcome>();
    let next = 0;
    try {
      await mapConcurrent(discovery.files, READ_CONCURRENCY, async (file, index) => {
        pending.set(index, await lintFile(file, session, options));
        progress.tick();
        for (let ready = pending.get(next); ready !== undefined; ready = pending.get(next)) {
          pending.delete(next++);
          emit(ready);
        }
      });
    } finally {
      progress.done();
    }
  }

  const counts = { error: totals.error, warning: totals.warning, info: totals.info };
  // Machine formats always print a valid document; stylish says nothing more when no file was read.
  if (writer !== null || ioErrors.length === 0 || format !== 'stylish') {
    writer ??= createWriter(format, io, progress);
    (writer as ReportWriter).end(
      options.fix
        ? { files: totals.files, counts, fixed: { fixes: totals.fixes, files: totals.fixedFiles } }
        : { files: totals.files, counts },
    );
  }

  if (ioErrors.length > 0) return EXIT_USAGE;
  if (totals.error > 0) return EXIT_FINDINGS;
  if (maxWarnings !== null && totals.warning > maxWarnings) {
    if (format === 'stylish')
      io.stderr.write(`designdoc: ${totals.warning} warnings exceed --max-warnings ${maxWarnings}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}
