/**
 * `designdoc show`: what a reviewer wants to know about one document before opening it — title,
 * template, type, status, version, score, outline with line numbers, components, decisions, open
 * questions and approval slots. `--json` prints the parsed model (without the raw text) instead.
 */
import { lint } from '../../core/lint/index.js';
import type { DesignDocument, Section } from '../../core/model.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { openDocumentSession } from '../document-session.js';
import { loadDocument } from '../load-document.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { terminalColors, type Colors } from '../terminal-colors.js';
import { usageError } from '../usage-error.js';
import { plural } from '../plural.js';

const USAGE = 'designdoc show <file> [--json] [--config F] [--template T]';

const HELP = `usage: ${USAGE}

Summarises one design document: title, template, type, status (as written → lifecycle), version,
completeness score, the section outline with line numbers, components, decisions, open questions
with their status, and the approval slots.

options:
      --json        print the parsed model as JSON (without the document text), plus a "lint"
                    object with the template used, the score and the finding counts
  -t, --template T  check against template T instead of detecting it
  -c, --config F    use this config file
  -h, --help        show this help
`;

function outline(sections: readonly Section[], lines: string[], colors: Colors, width: number): void {
  for (const section of sections) {
    const line = String(section.heading.range.start.line).padStart(width);
    const empty = section.hasContent || section.children.length > 0 ? '' : colors.dim(' (empty)');
    lines.push(`  ${colors.dim(line)}  ${'  '.repeat(section.depth - 1)}${section.title}${empty}`);
    outline(section.children, lines, colors, width);
  }
}

function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function summary(
  doc: DesignDocument,
  file: string,
  template: string | null,
  result: ReturnType<typeof lint>,
  colors: Colors,
): string {
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${colors.bold(label.padEnd(9))} ${value}`);
  };
  const none = colors.dim('—');
  row(
    'Title',
    doc.title
      ? `${doc.title.text}${doc.title.source === 'file-name' ? colors.dim(' (from the file name)') : ''}`
      : none,
  );
  row('File', file);
  row('Template', template ?? colors.dim('none detected'));
  row('Type', doc.docType || none);
  const status = doc.status;
  row(
    'Status',
    status
      ? `${status.raw || '(empty)'} → ${status.lifecycle ?? 'unrecognised'}${status.supersededBy ? ` by ${status.supersededBy}` : ''}`
      : none,
  );
  row('Version', doc.version || none);
  const { error, warning, info } = result.counts;
  row(
    'Score',
    `${result.score}/100 (${plural(error, 'error')}, ${plural(warning, 'warning')}${info > 0 ? `, ${info} info` : ''})`,
  );

  const all = doc.sections.flatMap(function flatten(section: Section): Section[] {
    return [section, ...section.children.flatMap(flatten)];
  });
  const width = String(Math.max(1, ...all.map((section) => section.heading.range.start.line))).length;
  lines.push('', colors.bold(`Outline (${all.length} sections)`));
  if (all.length === 0) lines.push(`  ${none}`);
  outline(doc.sections, lines, colors, width);

  lines.push('', colors.bold(`Components (${doc.components.length})`));
  for (const component of doc.components) {
    const purpose = component.fields.find((field) => field.label.toLowerCase() === 'purpose')?.value ?? '';
    lines.push(
      `  ${colors.dim(String(component.range.start.line).padStart(width))}  ${component.name || colors.dim('(unnamed)')}${purpose ? ` — ${oneLine(purpose, 80)}` : ''}`,
    );
  }
  lines.push('', colors.bold(`Decisions (${doc.decisions.length})`));
  for (const decision of doc.decisions) {
    lines.push(
      `  ${colors.dim(String(decision.range.start.line).padStart(width))}  ${decision.title || colors.dim('(untitled)')}`,
    );
  }
  const open = doc.openQuestions.filter((question) => !question.checked).length;
  lines.push('', colors.bold(`Open questions (${doc.openQuestions.length}, ${open} open)`));
  for (const question of doc.openQuestions) {
    const state = question.status
      ? question.status.value || colors.dim('status empty')
      : colors.dim('no status');
    lines.push(
      `  ${colors.dim(String(question.range.start.line).padStart(width))}  [${question.checked ? 'x' : ' '}] ${oneLine(question.text) || colors.dim('(empty)')} — ${state}`,
    );
  }
  lines.push('', colors.bold(`Approvals (${doc.approvals.length} slots)`));
  for (const slot of doc.approvals) {
    const entries =
      slot.entries.length === 0
        ? colors.dim('(empty)')
        : slot.entries
            .map((entry) =>
              [
                entry.name || entry.raw,
                entry.date,
                entry.verdict,
                entry.revision === null ? null : `rev ${entry.revision}`,
              ]
                .filter(Boolean)
                .join(', '),
            )
            .join('; ');
    lines.push(`  ${colors.dim(String(slot.range.start.line).padStart(width))}  ${slot.name}: ${entries}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs `designdoc show`. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      json: { type: 'boolean', default: false },
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
  if (positionals.length !== 1)
    throw usageError(positionals.length === 0 ? 'missing the file to show' : 'show takes one file', USAGE);
  const session = await openDocumentSession(io, { configFile: values.config, template: values.template });
  const { doc, display } = await loadDocument(io.cwd, positionals[0] as string, session.maxFileSize);
  const schema = session.schemaFor(doc);
  const result = lint(doc, { schema, config: session.config });
  if (values.json) {
    const { text: _text, ...model } = doc;
    const json = {
      ...model,
      lint: { template: schema?.name ?? null, score: result.score, counts: result.counts },
    };
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout.write(summary(doc, display, schema?.name ?? null, result, terminalColors(io)));
  }
  return EXIT_OK;
}
