/**
 * `designdoc lint`: checks documents against their templates. Files are read through a bounded pool
 * while earlier ones are parsed and linted synchronously; a file that cannot be read is reported on
 * one line and the run goes on with the others (exit 2 at the end).
 */
import { writeFile } from 'node:fs/promises';
import { DesignDocError, isDesignDocError } from '../../core/errors.js';
import { applyFixes, builtinRegistry, lint } from '../../core/lint/index.js';
import type { Finding } from '../../core/model.js';
import { discoverFiles, type DiscoveredFile } from '../../node/discover-files.js';
import { mapConcurrent } from '../../node/map-concurrent.js';
import { readDocumentFile } from '../../node/read-document-file.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../command.js';
import { openDocumentSession, type DocumentSession } from '../document-session.js';
import { parseDocumentText } from '../load-document.js';
import type { FileReport } from '../output/file-report.js';
import { formatJson } from '../output/format-json.js';
import { formatSarif } from '../output/format-sarif.js';
import { formatStylish } from '../output/format-stylish.js';
import { packageInfo } from '../package-info.js';
import { choiceFlag, integerFlag, parseCommandArgs } from '../parse-command-args.js';
import { createProgressLine } from '../progress-line.js';
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
  fixes: number;
}

function lintText(text: string, name: string, sidecar: string | null, session: DocumentSession) {
  const doc = parseDocumentText(text, name, sidecar);
  return lint(doc, { schema: session.schemaFor(doc), config: session.config });
}

function outcome(file: string, path: string, result: { findings: Finding[]; score: number }, options: LintRunOptions, fixes: number): Outcome {
  let errors = 0;
  let warnings = 0;
  for (const finding of result.findings) {
    if (finding.severity === 'error') errors++;
    else if (finding.severity === 'warning') warnings++;
  }
  const findings = options.quiet ? result.findings.filter((finding) => finding.severity === 'error') : result.findings;
  return { report: { file, path, score: result.score, findings }, error: null, warnings, errors, fixes };
}

async function lintFile(file: DiscoveredFile, session: DocumentSession, options: LintRunOptions): Promise<Outcome> {
  try {
    const { text, sidecar } = await readDocumentFile(file.path, { maxFileSize: session.maxFileSize, displayName: file.display, hasSidecar: file.hasSidecar });
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
    if (isDesignDocError(error)) return { report: null, error, warnings: 0, errors: 0, fixes: 0 };
    throw error;
  }
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
  const maxWarnings = values['max-warnings'] === undefined ? null : integerFlag(values['max-warnings'], '--max-warnings', USAGE);
  if (values.stdin && positionals.length > 0) throw usageError('--stdin cannot be combined with file paths', USAGE);
  if (values.stdin && values.fix) throw usageError('--fix cannot be used with --stdin (there is no file to write)', USAGE);
  if (values['stdin-filename'] !== undefined && !values.stdin) throw usageError('--stdin-filename needs --stdin', USAGE);

  const session = await openDocumentSession(io, { configFile: values.config, template: values.template });
  const options: LintRunOptions = { fix: values.fix, quiet: values.quiet };
  const outcomes: Outcome[] = [];
  const ioErrors: DesignDocError[] = [];

  if (values.stdin) {
    const name = values['stdin-filename'] ?? '<stdin>';
    try {
      const text = await readStdinDocument(io.stdin, name, session.maxFileSize);
      outcomes.push(outcome(name, name, lintText(text, name, null, session), options, 0));
    } catch (error) {
      if (!isDesignDocError(error)) throw error;
      ioErrors.push(error);
    }
  } else {
    const discovery = await discoverFiles(positionals.length > 0 ? positionals : ['.'], { cwd: io.cwd, ignore: session.config.ignore });
    ioErrors.push(...discovery.errors);
    const progress = createProgressLine(io, 'linting', discovery.files.length);
    try {
      const results = await mapConcurrent(discovery.files, READ_CONCURRENCY, async (file) => {
        const result = await lintFile(file, session, options);
        progress.tick();
        return result;
      });
      outcomes.push(...results);
    } finally {
      progress.done();
    }
  }

  const reports: FileReport[] = [];
  let errors = 0;
  let warnings = 0;
  let fixes = 0;
  let fixedFiles = 0;
  for (const item of outcomes) {
    if (item.error) ioErrors.push(item.error);
    if (!item.report) continue;
    reports.push(item.report);
    errors += item.errors;
    warnings += item.warnings;
    fixes += item.fixes;
    if (item.fixes > 0) fixedFiles++;
  }

  for (const error of ioErrors) io.stderr.write(`${error.format()}\n`);
  if (format === 'json') io.stdout.write(formatJson(reports));
  else if (format === 'sarif') io.stdout.write(formatSarif(reports, builtinRegistry.list(), packageInfo(), io.cwd));
  else {
    const summary = options.fix ? { files: reports.length, fixed: { fixes, files: fixedFiles } } : { files: reports.length };
    if (reports.length > 0 || ioErrors.length === 0) io.stdout.write(formatStylish(reports, summary, terminalColors(io)));
  }

  if (ioErrors.length > 0) return EXIT_USAGE;
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings !== null && warnings > maxWarnings) {
    if (format === 'stylish') io.stderr.write(`designdoc: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}
