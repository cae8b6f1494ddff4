/**
 * "Does this section say anything?" — the one definition of filled content that the empty-section
 * rule, the security rule and the score share. A section is filled when a line of its body carries
 * words that are neither a blank field label, a bare list marker, a group label nor text copied
 * verbatim from the template skeleton, or when one of its children is filled.
 */
import type { DesignDocument, Section } from '../model.js';
import type { TemplateSchema } from '../template/schema.js';
import { normalizeLine, templateText, type TemplateText } from './template-text.js';

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
// `- **Label**:`, `**Label**:`, `1. **Phase 1**:`, `**Label**` (group), `**Label** (if applicable):`, `- [ ]`, `- : `
const BLANK_LINE_SHAPES = [
  /^\s*(?:(?:[-*+]|\d+[.)])\s+)?(?:\[[ xX]\]\s*)?\*\*[^*]+\*\*\s*(?:\([^)]*\))?\s*:?\s*(?:\*\*)?\s*$/,
  /^\s*\*\*[^*]+:\*\*\s*$/,
  /^\s*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]\])?[\s:]*$/,
];

/** True when a single body line carries content an author wrote. */
export function isContentLine(line: string, template: TemplateText): boolean {
  if (template.rawLines.size > 0 && template.rawLines.has(line.trim())) return false;
  // Decoration adds a few characters at most: a line far longer than any skeleton line is not one.
  const lengthRulesOutTemplate = line.length > template.maxLength + 24;
  // Fast path for prose: a line opening with a letter is neither a marker nor a label.
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  const code = line.charCodeAt(i);
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
    return template.lines.size === 0 || lengthRulesOutTemplate || !template.lines.has(normalizeLine(line));
  }
  if (!/[\p{L}\p{N}]/u.test(line)) {
    // Lines of a diagram or table are content even without letters only when they are not the
    // template's own; a line of pure punctuation otherwise says nothing.
    return /[│┌└├─→|]/.test(line) && (template.lines.size === 0 || !template.lines.has(normalizeLine(line)));
  }
  for (const shape of BLANK_LINE_SHAPES) if (shape.test(line)) return false;
  return template.lines.size === 0 || lengthRulesOutTemplate || !template.lines.has(normalizeLine(line));
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

const FILLED = new WeakMap<DesignDocument, Map<TemplateSchema | null, Map<Section, boolean>>>();

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
