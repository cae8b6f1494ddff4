import { expect, it } from 'vitest';
import { parse } from '../../src/core/index.js';
import { isUnresolvedQuestion } from '../../src/core/lint/unresolved-questions.js';

const unresolved = (markdown: string) =>
  parse(markdown)
    .openQuestions.filter(isUnresolvedQuestion)
    .map((q) => q.text);

it('counts unticked task items that no Status settles', () => {
  const doc = parse(
    [
      '# Q',
      '',
      '## Open Questions',
      '',
      '- [ ] Which region first?',
      '- [x] Who is on call?',
      '- [ ] Do we shard by tenant?',
      '  - **Status**: Resolved: yes, by tenant id.',
      '- [ ] Is Redis enough?',
      '  - **Status**: Open',
      '- [ ] ',
      '',
    ].join('\n'),
  );
  expect(doc.openQuestions.map((q) => [q.checkbox, q.checked])).toEqual([
    [true, false],
    [true, true],
    [true, false],
    [true, false],
    [true, false],
  ]);
  expect(doc.openQuestions.filter(isUnresolvedQuestion).map((q) => q.text)).toEqual([
    'Which region first?',
    'Is Redis enough?',
  ]);
});

it('never counts plain bullets, which cannot be ticked', () => {
  const markdown =
    '# RFC\n\n## Unresolved questions\n\n- How are old clients migrated?\n- What about quotas?\n';
  const doc = parse(markdown);
  expect(doc.openQuestions.map((q) => [q.text, q.checkbox, q.checked])).toEqual([
    ['How are old clients migrated?', false, false],
    ['What about quotas?', false, false],
  ]);
  expect(unresolved(markdown)).toEqual([]);
});
