import type { DesignDocument, Section, TextEdit } from '../../model.js';
import type { SchemaSection } from '../../template/schema.js';
import type { Rule, RuleContext } from '../rule.js';
import { groupLabelKeys } from '../../section-kinds.js';
import { labelKey, matchSchemaSections, type SectionMatch } from '../schema-sections.js';
import { firstLineOf, lineRange, positionOf } from '../source-text.js';
import { skeletonSection } from '../skeleton.js';

/**
 * Where the missing section goes: before the next present sibling, else after the previous one,
 * else at the end of its parent, else at the end of the document. `before` is the section it lands
 * in front of, when there is one.
 */
function insertionPoint(
  ctx: RuleContext,
  matches: SectionMatch[],
  missing: SectionMatch,
): { offset: number; before: Section | null } {
  const siblings: SectionMatch[] = [];
  for (const m of matches) if (m.parent === missing.parent) siblings.push(m);
  const index = siblings.indexOf(missing);
  for (let i = index + 1; i < siblings.length; i++) {
    const next = (siblings[i] as SectionMatch).section;
    if (next) return { offset: next.range.start.offset, before: next };
  }
  for (let i = index - 1; i >= 0; i--) {
    const previous = (siblings[i] as SectionMatch).section;
    if (previous) return { offset: previous.range.end.offset, before: null };
  }
  const parent = matchedSection(matches, missing.parent);
  if (parent) return { offset: parent.range.end.offset, before: null };
  return { offset: ctx.doc.text.length, before: null };
}

/**
 * The document section matched to `schema`, or null. A loop rather than `find` with an arrow
 * (no closure per call: docs/DESIGN.md, Scalability Strategy).
 */
function matchedSection(matches: readonly SectionMatch[], schema: SchemaSection | null): Section | null {
  for (const m of matches) if (m.schema === schema) return m.section;
  return null;
}

/** The last line with a non-space character (1-based), scanning back from the end. */
function lastContentLine(doc: DesignDocument): number {
  let end = doc.text.length;
  while (end > 0 && /\s/.test(doc.text.charAt(end - 1))) end--;
  return positionOf(doc, Math.max(0, end - 1)).line;
}

function headingOf(schemaSection: SchemaSection, level: number): string {
  return `${'#'.repeat(Math.min(6, Math.max(1, level)))} ${schemaSection.title}`;
}

/** DD002: a section the template requires is not in the document. */
export const requiredSectionMissing: Rule = {
  id: 'DD002',
  slug: 'required-section-missing',
  description:
    'Every section the template marks as required must be present (matched by heading or a synonym).',
  tags: ['template', 'structure'],
  defaultSeverity: 'error',
  fixable: true,
  docs: 'docs/rules/required-section-missing.md',
  check(ctx, report) {
    const { doc, schema } = ctx;
    if (!schema) return;
    const matches = matchSchemaSections(doc, schema);
    const reportedParents = new Set<SchemaSection>();
    const groupKeys = new Set(groupLabelKeys(doc));
    for (const slot of doc.approvals) groupKeys.add(labelKey(slot.name));
    for (const match of matches) {
      if (match.section || !match.schema.required) continue;
      // A blank skeleton's `**Label**` over `- ` reads as a setext heading, a filled one as a
      // group: a group with the section's title is the section, written the other way.
      if (groupKeys.has(labelKey(match.schema.title))) continue;
      // A missing parent is one finding; its missing children come with its inserted skeleton.
      if (match.parent && reportedParents.has(match.parent)) {
        reportedParents.add(match.schema);
        continue;
      }
      reportedParents.add(match.schema);
      const parentSection = matchedSection(matches, match.parent);
      // Levels follow the document: its own top-level heading level, one deeper per schema level.
      const topLevel = doc.sectionLevel;
      const depth = match.parent ? 1 + (parentSection ? parentSection.depth : 1) : 1;
      const level = topLevel + depth - 1;
      const { offset, before } = insertionPoint(ctx, matches, match);
      const eol = doc.lineEnding;
      const body = skeletonSection(schema, match.schema, level, eol) ?? headingOf(match.schema, level);
      const before2 = doc.text.slice(Math.max(0, offset - 2 * eol.length), offset);
      // Keep one blank line on each side of the inserted block.
      const lead =
        offset === 0 || before2 === eol + eol
          ? ''
          : doc.text.slice(offset - eol.length, offset) === eol
            ? eol
            : eol + eol;
      const text = offset >= doc.text.length ? `${lead}${body}${eol}` : `${lead}${body}${eol}${eol}`;
      const at = positionOf(doc, offset);
      const fix: TextEdit[] = [{ range: { start: at, end: at }, text }];
      const where = parentSection ? ` under "${parentSection.title}"` : '';
      // The finding sits where the section belongs: on the heading it should precede, else on
      // its parent's heading, else on the document's last line.
      const range = before
        ? firstLineOf(doc, before.heading.range)
        : parentSection
          ? firstLineOf(doc, parentSection.heading.range)
          : lineRange(doc, lastContentLine(doc));
      report({
        message: `Required section missing: expected "${match.schema.title}"${where}, found none`,
        range,
        fix,
      });
    }
  },
};
