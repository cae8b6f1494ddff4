import type { Section } from '../../model.js';
import { isContentLine } from '../content.js';
import { numberOption, type Rule } from '../rule.js';
import { matchSchemaSections } from '../schema-sections.js';
import { firstLineOf, lineRange, quote } from '../source-text.js';
import { classifySection } from '../../section-kinds.js';
import { templateText } from '../template-text.js';

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const LABEL = /^\s*(?:(?:[-*+]|\d+[.)])\s+)?\*\*[^*]+\*\*\s*(?:\([^)]*\))?\s*:?\s*/;

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

/**
 * How many `WORD`s `text` holds. An ASCII line is counted in one loop (a letter or digit starts a
 * word, which runs on over letters, digits, `'`, `.` and `-`, as `WORD` does); any other line goes
 * to the regex, which knows every script.
 */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128) return countWordsByRegex(text);
    // Setting bit 5 maps A–Z onto a–z, and no other ASCII character onto a letter.
    const lower = code | 32;
    const letterOrDigit = (code >= 48 && code <= 57) || (lower >= 97 && lower <= 122);
    if (inWord) inWord = letterOrDigit || code === 39 || code === 46 || code === 45;
    else if (letterOrDigit) {
      inWord = true;
      words++;
    }
  }
  return words;
}

/** How many `WORD`s `text` holds, by the regex itself: the reference `countWords` must agree with. */
export function countWordsByRegex(text: string): number {
  let words = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) words++;
  return words;
}

/**
 * Words an author wrote in a section and its children: labels, markers and template text left
 * out. Counting stops at `limit`: the rule only asks whether there are enough.
 */
function filledWords(
  doc: { text: string },
  section: Section,
  template: ReturnType<typeof templateText>,
  limit: number,
): number {
  let text = doc.text.slice(section.bodyRange.start.offset, section.range.end.offset);
  if (text.includes('<!--')) text = text.replace(COMMENT, ' ');
  let words = 0;
  let start = 0;
  while (start <= text.length && words < limit) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (/^\s{0,3}#{1,6}\s/.test(line) || !isContentLine(line, template)) continue;
    words += countWords(line.replace(LABEL, ''));
  }
  return words;
}

/** DD019: no Security section, or one too thin to review. */
export const thinSecurity: Rule = {
  id: 'DD019',
  slug: 'thin-security',
  description:
    'A design document needs a Security section that says enough to review (option `minWords`, default 40): authentication, authorisation, data protection, secrets.',
  tags: ['content', 'security'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/thin-security.md',
  options: {
    minWords: {
      type: 'number',
      default: 40,
      integer: true,
      min: 0,
      max: 10_000,
      unit: 'words',
      description: 'Fewest words of filled content the Security section must hold.',
    },
  },
  check(ctx, report) {
    const { doc, schema } = ctx;
    const schemaHasSecurity = schema
      ? matchSchemaSections(doc, schema).some((m) => m.schema.kind === 'security') ||
        schema.sections.some((s) => s.kind === 'security')
      : false;
    const isDesignDocument = (schema?.name ?? doc.template) === 'design-document';
    if (!schemaHasSecurity && !isDesignDocument) return;
    const minWords = numberOption(ctx, 'minWords', 40);
    const security = schema
      ? (matchSchemaSections(doc, schema).find((m) => m.schema.kind === 'security')?.section ?? null)
      : null;
    const section = security ?? findSecurity(doc.sections);
    if (!section) {
      const line = doc.sections[doc.sections.length - 1]?.heading.range.start.line ?? 1;
      report({
        message: `No Security section: expected one describing authentication, authorisation and data protection, found none`,
        range: lineRange(doc, line),
      });
      return;
    }
    const words = filledWords(doc, section, templateText(schema), minWords);
    // An untouched section is empty-section's finding; thin means started but not enough.
    if (words === 0 || words >= minWords) return;
    report({
      message: `Security section ${quote(section.title)} is thin: expected at least ${minWords} words of filled content, found ${words}`,
      range: firstLineOf(doc, section.heading.range),
    });
  },
};

function findSecurity(sections: readonly Section[]): Section | null {
  for (const section of sections) {
    if (classifySection(section.title) === 'security') return section;
    const inner = findSecurity(section.children);
    if (inner) return inner;
  }
  return null;
}
