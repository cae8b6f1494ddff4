import type { Section } from '../../model.js';
import { sectionFilled } from '../content.js';
import type { Rule } from '../rule.js';
import { matchSchemaSections } from '../schema-sections.js';
import { byStartOffset } from '../../source-order.js';
import { allSections, firstLineOf } from '../source-text.js';

/** DD004: a section with no content of its own and no child with content. */
export const emptySection: Rule = {
  id: 'DD004',
  slug: 'empty-section',
  description:
    'A section must say something: text, a filled field, a list item, a diagram. Blank fields, bare list markers and text copied verbatim from the template do not count.',
  tags: ['content', 'empty'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/empty-section.md',
  check({ doc, schema }, report) {
    // With a template only its required sections must be filled; without one every section is
    // expected to say something.
    let candidates: Section[];
    if (schema) {
      candidates = [];
      for (const match of matchSchemaSections(doc, schema))
        if (match.schema.required && match.section) candidates.push(match.section);
      candidates.sort(byStartOffset);
    } else {
      candidates = allSections(doc);
    }
    for (const section of candidates) {
      if (sectionFilled(doc, section, schema)) continue;
      const what = section.children.length > 0 ? 'content in it or its subsections' : 'content';
      report({
        message: `Section "${section.title}" is empty: expected ${what}, found none`,
        range: firstLineOf(doc, section.heading.range),
      });
    }
  },
};
