import type { Rule } from '../rule.js';
import { firstLineOf } from '../source-text.js';

/** DD018: a heading level skipped on the way down (## then ####). */
export const headingIncrement: Rule = {
  id: 'DD018',
  slug: 'heading-increment',
  description:
    'Heading levels go down one at a time (## then ###), so the outline and the section tree agree.',
  tags: ['structure', 'headings'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/heading-increment.md',
  check({ doc }, report) {
    let previous = doc.headings[0];
    for (const heading of doc.headings.slice(1)) {
      if (previous && heading.level > previous.level + 1) {
        report({
          message: `Heading level skipped: expected h${previous.level + 1} or higher, found h${heading.level}`,
          range: firstLineOf(doc, heading.range),
          related: {
            message: `Previous heading (h${previous.level})`,
            range: firstLineOf(doc, previous.range),
          },
        });
      }
      previous = heading;
    }
  },
};
