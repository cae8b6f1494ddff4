/**
 * Which open questions still stand in the way of an approval: the linter's status rule (DD014)
 * and the server's approve transition ask the same question, so they answer it here, once.
 */
import type { OpenQuestion } from '../model.js';
import { isBlankValue, plainValue } from './source-text.js';

/** A nested Status that says the question is settled, whether or not its box was ticked. */
const SETTLED = /^(?:resolved|answered|closed|decided|done|settled|won'?t fix|n\/a|not applicable)\b/i;

/**
 * An unticked task-item question with text and no settled Status. Plain bullets are not counted:
 * they cannot be ticked, and an RFC's "Unresolved questions" list stays as its record.
 */
export function isUnresolvedQuestion(question: OpenQuestion): boolean {
  return (
    question.checkbox &&
    !question.checked &&
    !isBlankValue(question.text) &&
    !(question.status !== null && isSettledStatus(question.status.value))
  );
}

/** Whether a question's nested Status value (as written) says it is settled: `Resolved — use Redis`. */
export function isSettledStatus(value: string): boolean {
  return SETTLED.test(plainValue(value));
}
