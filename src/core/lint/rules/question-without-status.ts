import type { Rule } from '../rule.js';
import { firstLineOf, isBlankValue, quote } from '../source-text.js';

/** DD013: an open question with no Status, or a blank one. */
export const questionWithoutStatus: Rule = {
  id: 'DD013',
  slug: 'question-without-status',
  description:
    'Every unchecked open question needs a nested `- **Status**:` saying where it stands (investigating, blocked on X, answered in …).',
  tags: ['content', 'questions'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/question-without-status.md',
  check({ doc }, report) {
    for (const question of doc.openQuestions) {
      // A blank question is empty-field's finding; a checked one is settled.
      if (question.checked || isBlankValue(question.text)) continue;
      if (question.status === null) {
        report({
          message: `Open question ${quote(question.text)} has no status: expected a "- **Status**:" line under it, found none`,
          range:
            question.textRange.start.offset === question.textRange.end.offset
              ? firstLineOf(doc, question.range)
              : question.textRange,
        });
      } else if (isBlankValue(question.status.value)) {
        report({
          message: `Open question ${quote(question.text)} has a blank status: expected where it stands, found nothing`,
          range: firstLineOf(doc, question.status.range),
        });
      }
    }
  },
};
