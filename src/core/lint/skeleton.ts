/**
 * Pieces of the template skeleton the fixes insert: a whole section (with its children, headings
 * re-levelled to the document) and metadata lines.
 */
import { normalizeHeading } from '../section-kinds.js';
import type { SchemaSection, TemplateSchema } from '../template/schema.js';

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$/;

/**
 * The skeleton text of one schema section, from its heading to the next heading of the same or a
 * higher level, headings shifted so the section's own heading sits at `level`. Null when the
 * skeleton has no such heading (the caller then inserts the bare heading).
 */
const LINES = new WeakMap<TemplateSchema, string[]>();
const SECTIONS = new WeakMap<SchemaSection, Map<string, string | null>>();

/** As `extractSection`, cached, with `eol` line endings and no trailing line break. */
export function skeletonSection(
  schema: TemplateSchema,
  section: SchemaSection,
  level: number,
  eol: '\n' | '\r\n' = '\n',
): string | null {
  let cache = SECTIONS.get(section);
  if (!cache) {
    cache = new Map();
    SECTIONS.set(section, cache);
  }
  const key = `${level}${eol}`;
  if (!cache.has(key)) {
    const text = extractSection(schema, section, level);
    cache.set(key, text === null ? null : text.replace(/(?:\r?\n)+$/, '').replace(/\r?\n/g, eol));
  }
  return cache.get(key) ?? null;
}

function extractSection(schema: TemplateSchema, section: SchemaSection, level: number): string | null {
  let lines = LINES.get(schema);
  if (!lines) {
    lines = schema.skeleton.split(/\r?\n/);
    LINES.set(schema, lines);
  }
  const wanted = new Set([section.title, ...section.aliases].map(normalizeHeading));
  let start = -1;
  let ownLevel = 0;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^ {0,3}(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = HEADING.exec(line);
    if (!heading) continue;
    const headingLevel = (heading[1] as string).length;
    if (start === -1) {
      if (wanted.has(normalizeHeading(heading[2] ?? ''))) {
        start = i;
        ownLevel = headingLevel;
      }
    } else if (headingLevel <= ownLevel) {
      return relevel(lines.slice(start, i), level - ownLevel);
    }
  }
  return start === -1 ? null : relevel(lines.slice(start), level - ownLevel);
}

function relevel(lines: string[], shift: number): string {
  let inFence = false;
  const out = lines.map((line) => {
    if (/^ {0,3}(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence || shift === 0) return line;
    const heading = HEADING.exec(line);
    if (!heading) return line;
    const level = Math.min(6, Math.max(1, (heading[1] as string).length + shift));
    return `${'#'.repeat(level)} ${heading[2] ?? ''}`.trimEnd() + (heading[2] ? '' : ' ');
  });
  while (out.length > 0 && (out[out.length - 1] as string).trim() === '') out.pop();
  return `${out.join('\n')}\n`;
}
