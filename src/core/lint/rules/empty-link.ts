import type { Rule } from '../rule.js';
import { quote } from '../source-text.js';

/** DD016: a link whose target is a placeholder (`(#)`, empty, `TODO`). */
export const emptyLink: Rule = {
  id: 'DD016',
  slug: 'empty-link',
  description:
    'A link must point somewhere: `[Plan Specification](#)`, `[spec]()` and `[x](TODO)` are placeholders.',
  tags: ['content', 'empty', 'links'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/empty-link.md',
  check({ doc }, report) {
    for (const link of doc.links) {
      if (!link.placeholder) continue;
      const target = link.url.trim() === '' ? 'an empty target' : quote(link.url);
      report({
        message: `Link "${link.text}" has a placeholder target: expected a URL or path, found ${target}`,
        range: link.range,
      });
    }
  },
};
