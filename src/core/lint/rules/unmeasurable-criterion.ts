import { isMeasurableCriterion } from '../measurable.js';
import type { Rule } from '../rule.js';
import { isBlankValue, plainValue, quote } from '../source-text.js';

const ONLY_PLACEHOLDER = /^(?:TBD|TBA|TBC|TODO|FIXME|XXX|\?+|<[^>]*>|\[[^\]]*\])$/;

/** DD012: a filled success criterion with nothing to measure it by. */
export const unmeasurableCriterion: Rule = {
  id: 'DD012',
  slug: 'unmeasurable-criterion',
  description:
    'A filled success criterion needs a quantity, a threshold, a date, or an outcome that is observably true or false ("all clients migrated", "zero double captures").',
  tags: ['content', 'goals'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/unmeasurable-criterion.md',
  check({ doc }, report) {
    for (const criterion of doc.successCriteria) {
      if (isBlankValue(criterion.text)) continue;
      const text = plainValue(criterion.text);
      if (ONLY_PLACEHOLDER.test(text) || isMeasurableCriterion(text)) continue;
      report({
        message: `Success criterion is not measurable: expected a quantity, threshold, date or yes/no outcome, found ${quote(text)}`,
        range: criterion.textRange,
      });
    }
  },
};
