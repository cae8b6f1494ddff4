/**
 * "Does this section say anything?" — the one definition of filled content that the empty-section
 * rule, the security rule and the score share. A section is filled when a line of its body carries
 * words that are neither a blank field label, a bare list marker, a group label nor text copied
 * verbatim from the template skeleton, or when one of its children is filled.
 */
import { DocumentMap } from '../document-cache.js';
import type { DesignDocument, Section } from '../model.js';
import type { TemplateSchema } from '../template/schema.js';
import { isSpace } from './source-text.js';
import { normalizeLine, templateText, type TemplateText } from './template-text.js';

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
// `- **Label**:`, `**Label**:`, `1. **Phase 1**:`, `**Label**` (group), `**Label** (if applicable):`, `- [ ]`, `- : `
export const BLANK_LINE_SHAPES: readonly RegExp[] = [
  /^\s*(?:(?:[-*+]|\d+[.)])\s+)?(?:\[[ xX]\]\s*)?\*\*[^*]+\*\*\s*(?:\([^)]*\))?\s*:?\s*(?:\*\*)?\s*$/,
  /^\s*\*\*[^*]+:\*\*\s*$/,
  /^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]\])?[\s:]*$/,
];

/** What every one of `BLANK_LINE_SHAPES` ends in, before trailing blanks (unless it is all blanks). */
const SHAPE_ENDINGS = '*):-+.]';

/**
 * Whether `line` has one of the `BLANK_LINE_SHAPES`. A filled field (`- **Purpose**: Serves …`)
 * ends in a word, so its last character rules out all three regexes without running them.
 */
export function isBlankLineShape(line: string): boolean {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  if (end > 0 && !SHAPE_ENDINGS.includes(line.charAt(end - 1))) return false;
  for (const shape of BLANK_LINE_SHAPES) if (shape.test(line)) return true;
  return false;
}

/**
 * True when the line, trimmed, is one of the skeleton's raw lines. The length table rejects most
 * lines before the trimmed copy is made.
 */
function isRawTemplateLine(line: string, template: TemplateText): boolean {
  let start = 0;
  let end = line.length;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  const length = end - start;
  if (length >= template.rawLengths.length || template.rawLengths[length] === 0) return false;
  return template.rawLines.has(line.slice(start, end));
}

/**
 * The length of `normalizeLine(line)` for a line whose trimmed part (`start` to `end`) is ASCII
 * without `<`, or -1 for any other line: emphasis and code marks dropped, each run of whitespace
 * between kept characters counted as one blank (what `plainValue` and lower-casing leave).
 */
function asciiNormalizedLength(line: string, start: number, end: number): number {
  let length = 0;
  let blank = false;
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code >= 128 || code === 60) return -1;
    if (code === 42 || code === 95 || code === 96 || code === 126) continue;
    if (code === 32 || (code >= 9 && code <= 13)) {
      blank = true;
      continue;
    }
    if (blank && length > 0) length++;
    blank = false;
    length++;
  }
  return length;
}

/**
 * `template.lines.has(normalizeLine(line))`, without normalising most lines: a trimmed ASCII line
 * with no decoration normalises to its lower-case self, whose length the table can rule out.
 */
function isTemplateLine(line: string, template: TemplateText): boolean {
  let start = 0;
  let end = line.length;
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  let plain = true;
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    // Non-ASCII may change length when lower-cased; decoration (normalizeLine's DECORATION) is removed.
    if (
      code >= 128 ||
      code === 42 || // *
      code === 95 || // _
      code === 96 || // `
      code === 126 || // ~
      code === 60 || // <
      code === 9 ||
      (code === 32 && line.charCodeAt(i + 1) === 32)
    ) {
      plain = false;
      break;
    }
  }
  if (!plain) {
    // Most decorated lines (`- **Purpose**: …`) are ASCII: their normalised length is known
    // without building the normalised line, and the length table rules most of them out.
    const normalized = asciiNormalizedLength(line, start, end);
    if (
      normalized !== -1 &&
      (normalized >= template.lineLengths.length || template.lineLengths[normalized] === 0)
    )
      return false;
    return template.lines.has(normalizeLine(line));
  }
  const length = end - start;
  if (length >= template.lineLengths.length || template.lineLengths[length] === 0) return false;
  return template.lines.has(line.slice(start, end).toLowerCase());
}

/** True when a single body line carries content an author wrote. */
export function isContentLine(line: string, template: TemplateText): boolean {
  if (template.rawLines.size > 0 && isRawTemplateLine(line, template)) return false;
  // Decoration adds a few characters at most: a line far longer than any skeleton line is not one.
  const lengthRulesOutTemplate = line.length > template.maxLength + 24;
  // Fast path for prose: a line opening with a letter is neither a marker nor a label.
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  const code = line.charCodeAt(i);
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
    return template.lines.size === 0 || lengthRulesOutTemplate || !isTemplateLine(line, template);
  }
  if (!/[\p{L}\p{N}]/u.test(line)) {
    // Lines of a diagram or table are content even without letters only when they are not the
    // template's own; a line of pure punctuation otherwise says nothing.
    return /[│┌└├─→|]/.test(line) && (template.lines.size === 0 || !isTemplateLine(line, template));
  }
  if (isBlankLineShape(line)) return false;
  return template.lines.size === 0 || lengthRulesOutTemplate || !isTemplateLine(line, template);
}

/** True when a body text has a content line (HTML comments ignored). */
export function bodyHasContent(body: string, template: TemplateText): boolean {
  const text = body.includes('<!--') ? body.replace(COMMENT, ' ') : body;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (isContentLine(text.slice(start, end), template)) return true;
    start = end + 1;
  }
  return false;
}

const FILLED = new DocumentMap<Map<TemplateSchema | null, Map<Section, boolean>>>();

/** True when the section or one of its children has content (cached per document). */
export function sectionFilled(doc: DesignDocument, section: Section, schema: TemplateSchema | null): boolean {
  let bySchema = FILLED.get(doc);
  if (!bySchema) {
    bySchema = new Map();
    FILLED.set(doc, bySchema);
  }
  let cache = bySchema.get(schema);
  if (!cache) {
    cache = new Map();
    bySchema.set(schema, cache);
  }
  const known = cache.get(section);
  if (known !== undefined) return known;
  let filled = section.hasContent && bodyHasContent(section.body, templateText(schema));
  if (!filled) for (const child of section.children) if (sectionFilled(doc, child, schema)) filled = true;
  cache.set(section, filled);
  return filled;
}
