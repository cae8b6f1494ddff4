/**
 * The command table: one entry per command, its one-line summary and usage, and a lazy import so
 * that `designdoc lint` never loads the server and `designdoc serve` never loads the lint formatters.
 * The specifiers are literals so that the CLI bundle (scripts/bundle-cli.js) gives each command a
 * chunk of its own, still loaded only when that command runs.
 */
import type { CommandEntry } from '../command.js';

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'new',
    summary: 'Create a design document from a template',
    usage: 'designdoc new <title> [--template T] [--type T] [--author A] [-o file] [--force]',
    load: () => import('./new.js'),
  },
  {
    name: 'lint',
    summary: 'Check documents against their templates',
    usage:
      'designdoc lint [paths|globs...] [--format stylish|json|sarif] [--fix] [--max-warnings N] [--quiet] [--stdin] [--stdin-filename F] [--config F] [--template T] [--jobs N]',
    load: () => import('./lint.js'),
  },
  {
    name: 'show',
    summary: 'Summarise one document: metadata, outline, decisions, open questions, approvals',
    usage: 'designdoc show <file> [--json] [--config F] [--template T]',
    load: () => import('./show.js'),
  },
  {
    name: 'render',
    summary: 'Render a document as a standalone, sanitised HTML page',
    usage: 'designdoc render <file> [-o out.html] [--title T]',
    load: () => import('./render.js'),
  },
  {
    name: 'list',
    summary: 'List the documents in a folder with status, score and open questions',
    usage: 'designdoc list [dir] [--status S] [--format table|json] [--config F]',
    load: () => import('./list.js'),
  },
  {
    name: 'serve',
    summary: 'Start the review server',
    usage:
      'designdoc serve [--port 3000] [--host 127.0.0.1] [--data DIR] [--config FILE] [--templates DIR] [--tls-cert FILE --tls-key FILE] [--log-level info]',
    load: () => import('./serve.js'),
  },
  {
    name: 'import',
    summary: 'Import a folder of markdown documents into the server',
    usage: 'designdoc import <dir> [--data DIR] [--quiet]',
    load: () => import('./import.js'),
  },
  {
    name: 'export',
    summary: "Export the server's documents to a folder of markdown files",
    usage: 'designdoc export <dir> [--data DIR] [--force] [--quiet]',
    load: () => import('./export.js'),
  },
  {
    name: 'backup',
    summary: 'Write an online, consistent backup of the server database',
    usage: 'designdoc backup <file> [--data DIR | --database-url URL] [--force] [--compact]',
    load: () => import('./backup.js'),
  },
  {
    name: 'restore',
    summary: 'Restore the server database from a backup',
    usage: 'designdoc restore <file> [--data DIR | --database-url URL] [--force]',
    load: () => import('./restore.js'),
  },
  {
    name: 'admin',
    summary: 'Manage users, groups and API tokens',
    usage: 'designdoc admin <users|groups|tokens|rosters> <action> [...] [--data DIR]',
    load: () => import('./admin.js'),
  },
  {
    name: 'migrate',
    summary: 'Apply database migrations, or copy a SQLite data folder to PostgreSQL',
    usage:
      'designdoc migrate [--data DIR | --database-url URL] | designdoc migrate --from DATA_DIR --to postgres://…',
    load: () => import('./migrate.js'),
  },
];

/** The entry called `name`, or undefined. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((command) => command.name === name);
}
