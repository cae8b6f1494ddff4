/**
 * Creates a new document from a template: the skeleton with the title, the status, the version and
 * the date filled in and nothing else changed, so that the only things a linter can say about it
 * are that sections, fields and slots are still empty.
 */
import { DesignDocError } from '../errors.js';
import { parse } from '../parse/index.js';
import { normalizeHeading } from '../section-kinds.js';
import { normalizeStatus } from '../status.js';
import type { TemplateSchema } from './schema.js';

/** What the author gives `newDocument`. */
export interface NewDocumentInput {
  title: string;
  /** The document type (`Type:` line); left blank when not given. */
  type?: string;
  /** The creation date, `YYYY-MM-DD`. */
  date: string;
  author?: string;
}

type Role = 'type' | 'status' | 'version' | 'date' | 'author';

// The metadata keys `new` fills, in the order it inserts missing ones, and the names that mean each.
const ROLES: ReadonlyArray<{ role: Role; key: string; names: readonly string[] }> = [
  { role: 'type', key: 'Type', names: ['type', 'document type', 'doc type', 'kind'] },
  { role: 'status', key: 'Status', names: ['status', 'state'] },
  { role: 'version', key: 'Version', names: ['version'] },
  {
    role: 'date',
    key: 'Date',
    names: ['date', 'created', 'created on', 'start date', 'last updated', 'updated'],
  },
  { role: 'author', key: 'Author', names: ['author', 'authors', 'owner', 'owners', 'created by'] },
];

// `Key: value`, `- Key: value`, `**Key**: value`, `- **Key:** value`. The value runs to the end.
const METADATA_LINE =
  /^([ \t]*(?:[-*+][ \t]+)?(?:\*\*)?)([A-Za-z][\w ./&'-]*?)((?:\*\*)?[ \t]*:(?:\*\*)?[ \t]*)(.*)$/;
const ATX_ANY = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reduces a title to one line: every run of whitespace or control characters becomes one space,
 * and the ends are trimmed. This is the title text a parser reads back from `newDocument`'s H1.
 */
export function normalizeTitle(title: string): string {
  return title.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/**
 * Escapes a title for an ATX heading so that it cannot open structure of its own: every character
 * that could start emphasis, code, a link, an HTML tag, an entity or a closing `#` sequence is
 * backslash-escaped, and line breaks are already gone (see `normalizeTitle`).
 */
export function escapeTitle(title: string): string {
  return normalizeTitle(title)
    .replace(/[\\`*_[\]<>#~]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** A value for a `Key: value` line: one line, trimmed. */
function singleLine(value: string): string {
  return value.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** `Draft` unless the template's statuses leave it out; then its first draft-like word. */
function draftStatus(schema: TemplateSchema): string {
  const statuses = schema.statuses;
  if (statuses.length === 0 || statuses.some((status) => status.trim().toLowerCase() === 'draft'))
    return 'Draft';
  const draftLike = statuses.find((status) => normalizeStatus(status).lifecycle === 'draft');
  if (draftLike === undefined) return 'Draft';
  const word = draftLike.trim();
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

function checkDate(date: string): void {
  const parsed = ISO_DATE.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (parsed === null || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `date must be a calendar date written YYYY-MM-DD, found "${date}"`,
      {
        location: { field: 'date' },
      },
    );
  }
}

/**
 * Fills a template's skeleton for a new document: the title goes into the H1 (escaped, on one
 * line), `Status` becomes Draft (or the template's own draft word), `Version` 0.1, the date goes
 * into the template's date key (`Date`, `Created`, …) or a new `Date:` line after Version, and the
 * type and author fill their keys when given. Missing keys are inserted into the metadata block in
 * the style of its first line. Everything else stays exactly as in the skeleton, line endings
 * included. Throws `DD_E_VALIDATION` for an empty title or a date that is not `YYYY-MM-DD`.
 */
export function newDocument(schema: TemplateSchema, input: NewDocumentInput): string {
  const title = escapeTitle(input.title);
  if (title === '') {
    throw new DesignDocError('DD_E_VALIDATION', 'the title is empty; give the document a title', {
      location: { field: 'title' },
    });
  }
  checkDate(input.date);

  const values = new Map<Role, string>([
    ['status', draftStatus(schema)],
    ['version', '0.1'],
    ['date', input.date],
  ]);
  const type = input.type === undefined ? '' : singleLine(input.type);
  if (type !== '') values.set('type', type);
  const author = input.author === undefined ? '' : singleLine(input.author);
  if (author !== '') values.set('author', author);

  const eol = schema.skeleton.includes('\r\n') ? '\r\n' : '\n';
  const lines = schema.skeleton.split(/\r\n|\r|\n/);

  // The title: the skeleton's title heading (setext spans two lines), or a new H1 on top.
  let h1: number;
  const slot = titleSlot(schema.skeleton);
  if (slot === null) {
    lines.unshift(`# ${title}`, '');
    h1 = 0;
  } else {
    lines.splice(slot.first, slot.last - slot.first + 1, `# ${title}`);
    h1 = slot.first;
  }

  // The metadata block: the `Key: value` lines right after the title (blank lines before it allowed).
  const roleNames = rolesByName(schema);
  let start = h1 + 1;
  while (start < lines.length && (lines[start] ?? '').trim() === '') start++;
  let end = start;
  while (end < lines.length && !ATX_ANY.test(lines[end] ?? '') && METADATA_LINE.test(lines[end] ?? '')) end++;

  if (end === start) {
    const block = ROLES.filter(({ role }) => values.has(role)).map(
      ({ role, key }) => `${key}: ${values.get(role) ?? ''}`,
    );
    const next = lines[h1 + 1];
    lines.splice(h1 + 1, 0, '', ...block, ...(next !== undefined && next.trim() !== '' ? [''] : []));
    return lines.join(eol);
  }

  const block = lines.slice(start, end);
  const seen = new Map<Role, number>();
  block.forEach((line, index) => {
    const match = METADATA_LINE.exec(line);
    const role = match ? roleNames.get(normalizeHeading(match[2] ?? '')) : undefined;
    if (!match || role === undefined || seen.has(role)) return;
    seen.set(role, index);
    const value = values.get(role);
    if (value === undefined) return;
    const prefix = `${match[1] ?? ''}${match[2] ?? ''}${match[3] ?? ''}`;
    block[index] = `${/\s$/.test(prefix) ? prefix : `${prefix} `}${value}`;
  });

  // Insert what the template lacks after the nearest earlier key in the canonical order.
  const style = METADATA_LINE.exec(block[0] ?? '') as RegExpExecArray;
  const lineFor = (key: string, value: string): string => {
    const separator = style[3] ?? ': ';
    return `${style[1] ?? ''}${key}${/\s$/.test(separator) ? separator : `${separator} `}${value}`;
  };
  let after = -1;
  for (const { role, key } of ROLES) {
    const at = seen.get(role);
    if (at !== undefined) {
      after = at;
      continue;
    }
    const value = values.get(role);
    if (value === undefined) continue;
    const position = after + 1;
    block.splice(position, 0, lineFor(key, value));
    for (const [other, index] of seen) if (index >= position) seen.set(other, index + 1);
    seen.set(role, position);
    after = position;
  }
  lines.splice(start, end - start, ...block);
  return lines.join(eol);
}

/**
 * The 0-based line span of the skeleton's title heading: the first H1 when sections sit below it,
 * or a blank first H1 when the sections are H1s themselves. Null when the skeleton has no title
 * heading, so that a section heading is never overwritten.
 */
function titleSlot(skeleton: string): { first: number; last: number } | null {
  const doc = parse(skeleton, { fileName: 'template.md' });
  const heading = doc.headings.find((candidate) => candidate.level === 1);
  if (heading === undefined) return null;
  if (doc.sectionLevel === 1 && heading.text.trim() !== '') return null;
  // A setext title spans its text line and its underline; the range covers both.
  return { first: heading.range.start.line - 1, last: heading.range.end.line - 1 };
}

/** Normalised metadata key → the role it fills, including the template's own aliases. */
function rolesByName(schema: TemplateSchema): Map<string, Role> {
  const byName = new Map<string, Role>();
  for (const { role, names } of ROLES) for (const name of names) byName.set(name, role);
  for (const key of schema.metadata) {
    const norm = normalizeHeading(key.key);
    if (byName.has(norm)) continue;
    for (const alias of key.aliases) {
      const role = byName.get(normalizeHeading(alias));
      if (role !== undefined) {
        byName.set(norm, role);
        break;
      }
    }
  }
  return byName;
}
