import type { Rule } from '../rule.js';
import { firstLineOf, lineRange } from '../source-text.js';

/** DD001: the document has no title, or an empty one. */
export const noTitle: Rule = {
  id: 'DD001',
  slug: 'no-title',
  description:
    'The document must have a non-empty title (an H1 heading, front matter `title`, or a Feature Name).',
  tags: ['metadata'],
  defaultSeverity: 'error',
  fixable: false,
  docs: 'docs/rules/no-title.md',
  check({ doc, schema }, report) {
    // An empty `# ` heading is the template's blank title line even when the parser fell back to
    // another source (the file name), so it is reported on that line.
    const emptyH1 = doc.headings.find((heading) => heading.level === 1 && heading.text.trim() === '');
    const title = doc.title;
    if (title && title.text.trim() !== '' && title.source !== 'file-name' && !emptyH1) return;
    if (emptyH1) {
      report({
        message: 'Title is empty: expected text after "#", found nothing',
        range: firstLineOf(doc, emptyH1.range),
      });
      return;
    }
    if (title && title.text.trim() === '') {
      report({
        message: 'Title is empty: expected a title, found nothing',
        range: title.range ?? lineRange(doc, 1),
      });
      return;
    }
    if (title && title.source === 'file-name') {
      // Without a template a file-name title is the corpus convention (Rust RFCs); a templated
      // document is expected to carry its own H1.
      if (!schema) return;
      report({
        message: `Title missing: expected an H1 heading, found none (using the file name "${title.text}")`,
        range: lineRange(doc, 1),
      });
      return;
    }
    report({
      message: 'Title missing: expected an H1 heading or a front matter title, found none',
      range: lineRange(doc, 1),
    });
  },
};
