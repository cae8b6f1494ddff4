/** Documents the server suites write with, derived from the project's own filled example. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.js';

/** The filled example with its status set to `status` and every approval slot emptied. */
export function filledDocument(title: string, status = 'Draft'): string {
  const text = readFileSync(join(repoRoot, 'examples', 'payments-service.md'), 'utf8');
  const [head, approvals] = text.split('\n## Approvals\n') as [string, string];
  const emptied = approvals.replace(/^(\*\*[^*]+\*\*)\n(?:- .*\n?)+/gm, '$1\n- \n');
  return `${head.replace('# Payments Service', `# ${title}`).replace(/^Status: .*$/m, `Status: ${status}`)}\n## Approvals\n${emptied}`;
}

/** Adds a sentence to the end of the Security section's Compliance group. */
export function editSecurity(text: string, sentence: string): string {
  return text
    .replace('\n## Dependencies & Assumptions', `- ${sentence}\n\n## Dependencies & Assumptions`)
    .replace(/\n\n- (.*)\n\n## Dependencies/, '\n- $1\n\n## Dependencies');
}

/** Adds a sentence to the Executive Summary. */
export function editSummary(text: string, sentence: string): string {
  return text.replace('## Problem Statement', `${sentence}\n\n## Problem Statement`);
}
