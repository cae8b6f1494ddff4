/**
 * `designdoc render`: one document as a standalone, sanitised HTML page with print CSS, written to
 * a file (-o) or standard output.
 */
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderPage } from '../../core/render/index.js';
import { displayPath } from '../../node/discover-files.js';
import { writeError } from '../../node/write-error.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { loadDocument } from '../load-document.js';
import { loadConfig } from '../../node/load-config.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../node/read-document-file.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';

/** Whether two paths name one file (through links too); false when either does not exist. */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

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
  const { doc, path: source } = await loadDocument(
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
  if (sameFile(path, source))
    throw usageError(
      `the output ${displayPath(path, io.cwd)} is the document itself; write the page elsewhere`,
      USAGE,
    );
  try {
    await writeFile(path, html);
  } catch (error) {
    throw writeError(error, displayPath(path, io.cwd));
  }
  return EXIT_OK;
}
