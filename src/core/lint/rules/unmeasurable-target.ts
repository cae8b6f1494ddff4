import { isMeasurableTarget } from '../measurable.js';
import type { Rule } from '../rule.js';
import { isBlankValue, plainValue, quote } from '../source-text.js';

const EXAMPLES: Record<string, string> = {
  latency: 'p99 < 200 ms',
  'response time': 'p95 < 300 ms',
  throughput: '5k req/s',
  availability: '99.9%',
  uptime: '99.9%',
  'error rate': '< 0.1%',
};
// A bare placeholder is placeholder-text's finding, not this rule's.
const ONLY_PLACEHOLDER = /^(?:TBD|TBA|TBC|TODO|FIXME|XXX|\?+|<[^>]*>|\[[^\]]*\])$/;

/** DD011: a filled performance target without a number with a unit or percentile. */
export const unmeasurableTarget: Rule = {
  id: 'DD011',
  slug: 'unmeasurable-target',
  description:
    'A filled performance target (Latency, Throughput, Availability, …) needs a number with a unit, a percentage or a percentile: `p99 < 200 ms`, `99.9%`, `5k req/s`.',
  tags: ['content', 'performance'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/unmeasurable-target.md',
  check({ doc }, report) {
    for (const target of doc.targets) {
      if (isBlankValue(target.value)) continue;
      const value = plainValue(target.value);
      if (ONLY_PLACEHOLDER.test(value) || isMeasurableTarget(value)) continue;
      const example = EXAMPLES[target.metric.trim().toLowerCase()] ?? 'p99 < 200 ms, 99.9%, 5k req/s';
      report({
        message: `Target "${target.metric}" is not measurable: expected a number with a unit or percentile (e.g. ${example}), found ${quote(value)}`,
        range: target.valueRange,
      });
    }
  },
};
