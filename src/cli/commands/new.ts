/**
 * `designdoc new`: a new document from a template — title, Status Draft, Version 0.1 and today's date
 * filled in, nothing else — written to a file that must not exist yet (unless --force).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DesignDocError } from '../../core/errors.js';
import { findTemplate, newDocument, normalizeTitle } from '../../core/template/index.js';
import { displayPath } from '../../node/discover-files.js';
import { writeError } from '../../node/write-error.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { openDocumentSession } from '../document-session.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';

const USAGE = 'designdoc new <title> [--template T] [--type T] [--author A] [-o file] [--force]';

const HELP = `usage: ${USAGE}

Creates a design document from a template with the title, Status Draft, Version 0.1 and today's
date filled in. Prints the path of the new file.

options:
  -t, --template T  the template to use (default: config "template", else design-document)
      --type T      the document type (the Type: line)
      --author A    the author (the template's author key, or an Author: line)
  -o, --output F    the file to write (default: the title as a file name, e.g. my-feature.md);
                    "-" writes to standard output
      --force       overwrite an existing file
  -c, --config F    use this config file
  -h, --help        show this help
`;

/** `My Feature: v2!` → `my-feature-v2.md`. */
export function fileNameForTitle(title: string): string {
  const slug = normalizeTitle(title)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug === '' ? 'design-document' : slug}.md`;
}

/** Today in the local time zone, `YYYY-MM-DD`: the date the author sees on their calendar. */
function today(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Runs `designdoc new`. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      template: { type: 'string', short: 't' },
      type: { type: 'string' },
      author: { type: 'string' },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean', default: false },
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    USAGE,
  );
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw usageError('missing the document title', USAGE);
  if (positionals.length > 1)
    throw usageError(
      `expected one title, found ${positionals.length} words (quote a title with spaces)`,
      USAGE,
    );
  const title = positionals[0] as string;

  const session = await openDocumentSession(io, { configFile: values.config });
  const schema = findTemplate(
    session.schemas,
    values.template ?? session.config.template ?? 'design-document',
  );
  const text = newDocument(schema, {
    title,
    date: today(),
    ...(values.type === undefined ? {} : { type: values.type }),
    ...(values.author === undefined ? {} : { author: values.author }),
  });

  if (values.output === '-') {
    io.stdout.write(text);
    return EXIT_OK;
  }
  const path = resolve(io.cwd, values.output ?? fileNameForTitle(title));
  const shown = displayPath(path, io.cwd);
  try {
    await writeFile(path, text, { flag: values.force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new DesignDocError('DD_E_FILE_EXISTS', 'file already exists; pass --force to overwrite it', {
        location: { file: shown },
      });
    throw writeError(error, shown);
  }
  io.stdout.write(`${shown}\n`);
  return EXIT_OK;
}
