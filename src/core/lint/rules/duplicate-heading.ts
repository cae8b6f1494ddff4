import type { DesignDocument, Section } from '../../model.js';
import type { Report, Rule } from '../rule.js';
import { firstLineOf } from '../source-text.js';

/** The heading compared: lower case, spaces collapsed, a trailing colon or period dropped. */
function headingText(title: string): string {
  let key = title.trim().toLowerCase();
  if (key.includes('  ') || key.includes('\t')) key = key.split(/\s+/).join(' ');
  const last = key.charAt(key.length - 1);
  return last === ':' || last === '.' ? key.slice(0, -1).trimEnd() : key;
}

/** DD017: the same heading twice under the same parent. */
export const duplicateHeading: Rule = {
  id: 'DD017',
  slug: 'duplicate-heading',
  description:
    'Two sibling sections must not share a heading (case and spacing ignored): links and comments anchored to one of them become ambiguous.',
  tags: ['structure', 'headings'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/duplicate-heading.md',
  check({ doc }, report) {
    reportDuplicates(doc, doc.sections, report);
  },
};

// A module-level recursion (no closure per call: docs/DESIGN.md, Scalability Strategy).
function reportDuplicates(doc: DesignDocument, siblings: readonly Section[], report: Report): void {
  // Most sections have one child or none: nothing to compare, and no map to build.
  if (siblings.length < 2) {
    for (const section of siblings) reportDuplicates(doc, section.children, report);
    return;
  }
  const first = new Map<string, Section>();
  for (const section of siblings) {
    // Blank headings are the template's unnamed blocks; empty-field reports them.
    const key = headingText(section.title);
    if (key !== '') {
      const earlier = first.get(key);
      if (earlier) {
        report({
          message: `Duplicate heading "${section.title}": expected each sibling heading once, found it again (first on line ${earlier.heading.range.start.line})`,
          range: firstLineOf(doc, section.heading.range),
          related: { message: 'First occurrence', range: firstLineOf(doc, earlier.heading.range) },
        });
      } else first.set(key, section);
    }
    reportDuplicates(doc, section.children, report);
  }
}
