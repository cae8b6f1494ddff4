import type { Decision, Field } from '../../model.js';
import type { Rule } from '../rule.js';
import { labelKey } from '../schema-sections.js';
import { firstLineOf, isBlankValue, plainValue, quote } from '../source-text.js';

interface Aspect {
  name: string;
  expected: string;
  labels: string[];
}

const ASPECTS: Aspect[] = [
  {
    name: 'rationale',
    expected: 'why this option was chosen',
    labels: ['rationale', 'why', 'reasoning', 'reason', 'justification', 'motivation'],
  },
  {
    name: 'alternatives',
    expected: 'the options considered and why they lost',
    labels: [
      'alternatives considered',
      'alternatives',
      'options considered',
      'options',
      'considered options',
      'other options',
    ],
  },
  {
    name: 'impact',
    expected: 'what the choice changes or costs',
    labels: ['impact', 'consequences', 'implications', 'trade offs', 'tradeoffs', 'effects'],
  },
];

// "None" is not an alternative: a real decision always had at least the status quo.
const NO_ALTERNATIVE =
  /^(?:none|nothing|n\/?a|na|-+|—|–|no|no alternatives?(?: considered)?|none considered|not applicable)\.?$/i;

function hasContent(decision: Decision): boolean {
  return decision.fields.some((field) => !isBlankValue(field.value));
}

/** DD010: a filled design decision without rationale, alternatives or impact. */
export const decisionIncomplete: Rule = {
  id: 'DD010',
  slug: 'decision-incomplete',
  description:
    'A design decision that has content must say why (rationale), what else was considered (alternatives — "none" does not count) and what it changes (impact).',
  tags: ['content', 'decisions'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/decision-incomplete.md',
  check({ doc }, report) {
    for (const decision of doc.decisions) {
      if (!hasContent(decision)) continue;
      // Built only when there is something to report: most filled decisions are complete.
      let shown: string | null = null;
      const name = (): string =>
        (shown ??=
          decision.title.trim() !== ''
            ? quote(decision.title)
            : `in "${plainValue(decision.fields.find((f) => !isBlankValue(f.value))?.value ?? '')}"`);
      const labelKeys = decision.fields.map((f) => labelKey(f.label));
      for (const aspect of ASPECTS) {
        const at = labelKeys.findIndex((key) => aspect.labels.includes(key));
        const field: Field | undefined = at === -1 ? undefined : decision.fields[at];
        if (!field) {
          report({
            message: `Decision ${name()} has no ${aspect.name}: expected ${aspect.expected}, found no such field`,
            range: firstLineOf(doc, decision.range),
          });
          continue;
        }
        if (isBlankValue(field.value)) {
          report({
            message: `Decision ${name()} has no ${aspect.name}: expected ${aspect.expected}, found a blank "${field.label}"`,
            range: firstLineOf(doc, field.range),
          });
        } else if (aspect.name === 'alternatives' && NO_ALTERNATIVE.test(plainValue(field.value))) {
          const value = plainValue(field.value);
          report({
            message: `Decision ${name()} lists no alternatives: expected ${aspect.expected}, found ${quote(value)}`,
            range: field.valueRange,
          });
        }
      }
    }
  },
};
