/**
 * `designdoc render`: one document as a standalone, sanitised HTML page with print CSS, written to
 * a file (-o) or standard output.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DesignDocError } from '../../core/errors.js';
import { renderPage } from '../../core/render/index.js';
import { displayPath } from '../../node/discover-files.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { loadDocument } from '../load-document.js';
import { loadConfig } from '../../node/load-config.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../node/read-document-file.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';

const USAGE = 'designdoc render <file> [-o out.html] [--title T]';

const HELP = `usage: ${USAGE}

Renders a design document as a standalone HTML page: sanitised (no scripts, event handlers, styles
or unsafe URLs survive), a strict Content-Security-Policy, embedded screen and print CSS.

options:
  -o, --output F  write the page to F instead of standard output
      --title T   the page title (default: the document's title)
  -c, --config F  use this config file (for maxFileSize)
  -h, --help      show this help
`;

/** Runs `designdoc render`. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      output: { type: 'string', short: 'o' },
      title: { type: 'string' },
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1)
    throw usageError(
      positionals.length === 0 ? 'missing the file to render' : 'render takes one file',
      USAGE,
    );
  const { config } = await loadConfig(io.cwd, values.config);
  const { doc } = await loadDocument(
    io.cwd,
    positionals[0] as string,
    config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
  );
  const html = renderPage(doc, values.title === undefined ? {} : { title: values.title });
  if (values.output === undefined || values.output === '-') {
    io.stdout.write(html);
    return EXIT_OK;
  }
  const path = resolve(io.cwd, values.output);
  try {
    await writeFile(path, html);
  } catch (error) {
    throw new DesignDocError('DD_E_FILE_UNREADABLE', `cannot write file: ${(error as Error).message}`, {
      location: { file: displayPath(path, io.cwd) },
      cause: error,
    });
  }
  return EXIT_OK;
}
