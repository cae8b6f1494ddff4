/**
 * `designdoc lint`: checks documents against their templates. Large runs lint on one worker thread
 * per core (`--jobs`), small ones on the main thread; either way the output is written in input
 * order as results arrive. A file that cannot be read is reported on one line and the run goes on
 * with the others (exit 2 at the end).
 */
import { availableParallelism } from 'node:os';
import { isDesignDocError } from '../../core/errors.js';
import { tuneJitForOneBatch } from '../../node/batch-jit.js';
import { discoverFiles } from '../../node/discover-files.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../command.js';
import { openDocumentSession } from '../document-session.js';
import {
  createFileLinter,
  encodePieces,
  lintText,
  toOutcome,
  type FileOutcome,
  type FileTask,
  type LintRunOptions,
} from '../lint/file-linter.js';
import { FORMAT_NAMES, reportFormat, reportWriter, type FormatName } from '../lint/report-formats.js';
import { threadLimit, createWorkerStartRule } from '../lint/thread-count.js';
import { lintInWorkers, workersAvailable } from '../lint/worker-pool.js';
import type { ReportWriter } from '../output/report-writer.js';
import { choiceFlag, integerFlag, parseCommandArgs } from '../parse-command-args.js';
import { createProgressLine, type ProgressLine } from '../progress-line.js';
import { readStdinDocument } from '../read-stdin.js';
import { colorEnabled } from '../terminal-colors.js';
import { usageError } from '../usage-error.js';

const USAGE =
  'designdoc lint [paths|globs...] [--format stylish|json|sarif] [--fix] [--max-warnings N] [--quiet] [--stdin] [--stdin-filename F] [--config F] [--template T] [--jobs N]';

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
  -j, --jobs N           lint on N threads (default: one per core, once a run proves long; 1 = no workers)
  -h, --help             show this help

exit codes: 0 no error findings, 1 error findings or too many warnings, 2 usage or I/O error
`;

/**
 * Threads for a run: `--jobs` when given, else one per core (up to 8), the workers started only
 * once the run proves long enough (`createWorkerStartRule`).
 */
function threadsFor(files: readonly FileTask[], jobs: number | null): number {
  if (!workersAvailable()) return 1;
  if (jobs !== null) return Math.max(1, Math.min(jobs, files.length));
  return files.length < 2 ? 1 : threadLimit(availableParallelism());
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
      jobs: { type: 'string', short: 'j' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const formatName: FormatName = choiceFlag(values.format, FORMAT_NAMES, '--format', USAGE);
  const maxWarnings =
    values['max-warnings'] === undefined
      ? null
      : integerFlag(values['max-warnings'], '--max-warnings', USAGE);
  const jobs = values.jobs === undefined ? null : integerFlag(values.jobs, '--jobs', USAGE);
  if (jobs !== null && jobs < 1) throw usageError('--jobs must be at least 1', USAGE);
  if (values.stdin && positionals.length > 0)
    throw usageError('--stdin cannot be combined with file paths', USAGE);
  if (values.stdin && values.fix)
    throw usageError('--fix cannot be used with --stdin (there is no file to write)', USAGE);
  if (values['stdin-filename'] !== undefined && !values.stdin)
    throw usageError('--stdin-filename needs --stdin', USAGE);

  const session = await openDocumentSession(io, { configFile: values.config, template: values.template });
  const options: LintRunOptions = { fix: values.fix, quiet: values.quiet };
  const color = colorEnabled(io);
  const format = reportFormat(formatName, color);
  let ioErrors = 0;
  const totals = { files: 0, error: 0, warning: 0, info: 0, fixes: 0, fixedFiles: 0 };
  let writer: ReportWriter | null = null;
  let progress: ProgressLine = { tick() {}, clear() {}, done() {} };
  const openWriter = (): ReportWriter =>
    reportWriter(
      formatName,
      (text) => {
        // When stdout is the terminal too, output and the progress line share the screen.
        if (io.isTTY) progress.clear();
        io.stdout.write(text);
      },
      color,
      io.cwd,
    );
  const emit = (item: FileOutcome): void => {
    if (item.error !== null) {
      // Read errors go out as they happen, in order with the files around them.
      progress.clear();
      io.stderr.write(`${item.error}\n`);
      ioErrors++;
    }
    if (item.piece === null) return;
    writer ??= openWriter();
    writer.piece(item.piece);
    totals.files++;
    totals.error += item.errors;
    totals.warning += item.warnings;
    totals.info += item.infos;
    totals.fixes += item.fixes;
    if (item.fixes > 0) totals.fixedFiles++;
  };

  if (values.stdin) {
    const name = values['stdin-filename'] ?? '<stdin>';
    // Typed at a terminal, --stdin would wait silently for input nobody knows to give.
    if ((io.stdin as { isTTY?: boolean }).isTTY === true)
      io.stderr.write('designdoc: reading the document from standard input; end it with Ctrl-D\n');
    try {
      const text = await readStdinDocument(io.stdin, name, session.maxFileSize);
      emit(toOutcome(name, name, lintText(text, name, null, session), options, format, 0));
    } catch (error) {
      if (!isDesignDocError(error)) throw error;
      emit({ piece: null, error: error.format(), errors: 0, warnings: 0, infos: 0, fixes: 0 });
    }
  } else {
    tuneJitForOneBatch();
    const discovery = await discoverFiles(positionals.length > 0 ? positionals : ['.'], {
      cwd: io.cwd,
      ignore: session.config.ignore,
    });
    for (const error of discovery.errors) {
      io.stderr.write(`${error.format()}\n`);
      ioErrors++;
    }
    const files = discovery.files;
    progress = createProgressLine(io, 'linting', files.length);
    try {
      const threads = threadsFor(files, jobs);
      const lintFile = createFileLinter(session, options, format);
      if (threads === 1) {
        for (const file of files) {
          emit(lintFile(file));
          progress.tick();
        }
      } else {
        // Outcomes arrive out of order from the workers; each is written as soon as every file
        // before it has been, so only the few in flight are ever held.
        const pending = new Map<number, FileOutcome>();
        let next = 0;
        const setup = {
          cwd: io.cwd,
          configFile: values.config,
          template: values.template,
          format: formatName,
          color,
          options,
        };
        const onOutcome = (index: number, outcome: FileOutcome): void => {
          if (index !== next) encodePieces([outcome]);
          pending.set(index, outcome);
          progress.tick();
          for (let ready = pending.get(next); ready !== undefined; ready = pending.get(next)) {
            pending.delete(next++);
            emit(ready);
          }
        };
        const startWhen = jobs === null ? createWorkerStartRule() : null;
        await lintInWorkers(files, threads, setup, lintFile, onOutcome, startWhen);
      }
    } finally {
      progress.done();
    }
  }

  const counts = { error: totals.error, warning: totals.warning, info: totals.info };
  // Machine formats always print a valid document; stylish says nothing more when no file was read.
  if (writer !== null || ioErrors === 0 || formatName !== 'stylish') {
    writer ??= openWriter();
    (writer as ReportWriter).end(
      options.fix
        ? { files: totals.files, counts, fixed: { fixes: totals.fixes, files: totals.fixedFiles } }
        : { files: totals.files, counts },
    );
  }

  if (ioErrors > 0) return EXIT_USAGE;
  if (totals.error > 0) return EXIT_FINDINGS;
  if (maxWarnings !== null && totals.warning > maxWarnings) {
    if (formatName === 'stylish')
      io.stderr.write(`designdoc: ${totals.warning} warnings exceed --max-warnings ${maxWarnings}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}
