/**
 * What "measurable" means for targets and success criteria. A target needs a number with a unit,
 * a percentage or a percentile (`p99 < 200 ms`, `99.9%`, `5k req/s`, `< 1 s`, `10,000 rps`); a
 * criterion needs a quantity, a threshold, a date, or an outcome a reviewer can check yes/no.
 */

const UNIT =
  '%|ms|msecs?|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|µs|us|microseconds?|ns|nanoseconds?|rps|qps|tps|iops|ops(?:/s(?:ec)?)?|req(?:uest)?s?(?:/s(?:ec)?|/min| per \\w+)?|(?:/|per )(?:s|sec|second|min|minute|h|hour|day)|[kmgtp]i?b(?:/s|ps)?|[kmg]bit/s|users?|connections?|events?|messages?|transactions?|writes?|reads?|queries|nines|x'; // x: "10x"
const NUMBER_WITH_UNIT = new RegExp(
  `(?:^|[^\\w.])\\d[\\d,]*(?:\\.\\d+)?\\s*(?:[kmb](?![a-z]))?\\s*(?:${UNIT})(?![\\w])`,
  'i',
);
const PERCENTILE = /\b(?:p\d{2,3}(?:\.\d+)?|\d{2}(?:\.\d+)?(?:th|st|nd|rd) percentile)\b/i;
const NINES = /\b(?:two|three|four|five|six) nines\b/i;
const DIGIT = /\d/;

/** True when a performance target states a number with a unit, a percentage or a percentile. */
export function isMeasurableTarget(value: string): boolean {
  if (NUMBER_WITH_UNIT.test(value) || NINES.test(value)) return true;
  // `p99 under 200` still names a percentile and a threshold.
  return PERCENTILE.test(value) && /\d/.test(value.replace(PERCENTILE, ''));
}

// Outcomes that are either true or false on a given day.
const OBSERVABLE =
  /\b(?:all|every|each|no|zero|none|never|always|without|100%|passes|pass|fails?|is (?:deployed|released|shipped|removed|retired|enabled|disabled|live|available|approved|signed off|migrated|decommissioned)|are (?:deployed|released|migrated|removed|retired|enabled|disabled|live|available)|(?:deployed|released|shipped|removed|retired|migrated|decommissioned|launched) (?:to|in|on|from|by)|green|signed off)\b/i;

/** True when a success criterion has a quantity, threshold, date or a yes/no observable outcome. */
export function isMeasurableCriterion(text: string): boolean {
  return DIGIT.test(text) || OBSERVABLE.test(text) || NINES.test(text);
}
