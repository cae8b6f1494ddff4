/**
 * `designdoc list`: the documents under a folder with title, type, status, score and open
 * questions — a table for people, `--format json` for scripts. `--status` filters by lifecycle
 * state (any spelling the parser understands) or by the status as written.
 */
import { isDesignDocError, type DesignDocError } from '../../core/errors.js';
import { lint } from '../../core/lint/index.js';
import { normalizeStatus } from '../../core/status.js';
import { tuneJitForOneBatch } from '../../node/batch-jit.js';
import { discoverFiles } from '../../node/discover-files.js';
import { mapConcurrent } from '../../node/map-concurrent.js';
import { readDocumentFile } from '../../node/read-document-file.js';
import { EXIT_OK, EXIT_USAGE, type CliIO } from '../command.js';
import { openDocumentSession } from '../document-session.js';
import { parseDocumentText } from '../load-document.js';
import { choiceFlag, parseCommandArgs } from '../parse-command-args.js';
import { createProgressLine } from '../progress-line.js';
import { terminalColors } from '../terminal-colors.js';
import { usageError } from '../usage-error.js';

const USAGE = 'designdoc list [dir] [--status S] [--format table|json] [--config F] [--template T]';

const HELP = `usage: ${USAGE}

Lists the design documents under a folder (default: the current one) with their title, type,
status, completeness score and number of open (unchecked) questions.

options:
  -s, --status S    only documents in lifecycle state S (draft, in-review, approved, implemented,
                    rejected, withdrawn, deferred, superseded, deprecated, or any spelling of one,
                    e.g. accepted), or whose status is written exactly S
  -f, --format F    table (default) or json: [{ path, title, type, template, status, statusRaw,
                    score, openQuestions }]
  -t, --template T  check every document against template T instead of detecting it
  -c, --config F    use this config file
  -h, --help        show this help
`;

export interface ListEntry {
  path: string;
  title: string | null;
  type: string | null;
  template: string | null;
  status: string | null;
  statusRaw: string | null;
  score: number;
  openQuestions: number;
}

/** Pads cells into aligned columns; the last column is not padded. */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) =>
            i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] as number) - [...cell].length),
          )
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length > max ? `${[...flat].slice(0, max - 1).join('')}…` : flat;
}

/** Runs `designdoc list`. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      status: { type: 'string', short: 's' },
      format: { type: 'string', short: 'f', default: 'table' },
      template: { type: 'string', short: 't' },
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const format = choiceFlag(values.format, ['table', 'json'] as const, '--format', USAGE);
  if (positionals.length > 1) throw usageError('list takes one folder', USAGE);
  const wanted = values.status?.trim().toLowerCase();
  const wantedLifecycle = wanted === undefined ? null : normalizeStatus(wanted).lifecycle;

  const session = await openDocumentSession(io, { configFile: values.config, template: values.template });
  tuneJitForOneBatch();
  const discovery = await discoverFiles([positionals[0] ?? '.'], {
    cwd: io.cwd,
    ignore: session.config.ignore,
  });
  const errors: DesignDocError[] = [...discovery.errors];
  const progress = createProgressLine(io, 'reading', discovery.files.length);
  let entries: Array<ListEntry | null>;
  try {
    entries = await mapConcurrent(discovery.files, 16, async (file) => {
      try {
        const { text, sidecar } = await readDocumentFile(file.path, {
          maxFileSize: session.maxFileSize,
          displayName: file.display,
          hasSidecar: file.hasSidecar,
        });
        const doc = parseDocumentText(text, file.display, sidecar);
        const schema = session.schemaFor(doc);
        const result = lint(doc, { schema, config: session.config });
        progress.tick();
        return {
          path: file.display,
          title: doc.title?.text ?? null,
          type: doc.docType,
          template: schema?.name ?? null,
          status: doc.status?.lifecycle ?? null,
          statusRaw: doc.status?.raw ?? null,
          score: result.score,
          openQuestions: doc.openQuestions.filter((question) => !question.checked).length,
        };
      } catch (error) {
        if (!isDesignDocError(error)) throw error;
        errors.push(error);
        progress.tick();
        return null;
      }
    });
  } finally {
    progress.done();
  }

  const listed = entries.filter((entry): entry is ListEntry => {
    if (entry === null) return false;
    if (wanted === undefined) return true;
    return (
      (wantedLifecycle !== null && entry.status === wantedLifecycle) ||
      (entry.statusRaw ?? '').trim().toLowerCase() === wanted
    );
  });

  for (const error of errors) io.stderr.write(`${error.format()}\n`);
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
  } else {
    const colors = terminalColors(io);
    const rows = [['PATH', 'TITLE', 'TYPE', 'STATUS', 'SCORE', 'OPEN'].map((cell) => cell)];
    for (const entry of listed) {
      rows.push([
        entry.path,
        clip(entry.title ?? '—', 50),
        clip(entry.type ?? '—', 20),
        entry.status ?? (entry.statusRaw ? `? ${clip(entry.statusRaw, 20)}` : '—'),
        String(entry.score),
        String(entry.openQuestions),
      ]);
    }
    const text = table(rows);
    const [header, ...rest] = text.split('\n');
    io.stdout.write([colors.bold(header ?? ''), ...rest].join('\n'));
    io.stdout.write(
      `${listed.length} of ${entries.length - entries.filter((e) => e === null).length} documents${wanted === undefined ? '' : ` with status ${values.status ?? ''}`}\n`,
    );
  }
  return errors.length > 0 ? EXIT_USAGE : EXIT_OK;
}
