/**
 * Checking rule names and rule option values against what the rules declare. Shared by
 * `designdoc.config.json` and templates' front matter, so both refuse the same values with the same
 * words: `expected a whole number from 0 to 10000 (words), found -5`.
 */
import type { RuleOption } from './rule.js';

/** Edit distance (Levenshtein), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/**
 * ` (did you mean X?)` for the candidate closest to `name` (case ignored) when it is close enough
 * to be a typo — at most 2 edits, or a third of the name's length — else the empty string.
 */
export function didYouMean(name: string, candidates: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3))
    ? ` (did you mean ${best}?)`
    : '';
}

/** A value as a message shows it: `"forty"`, `-5`, `1.5`, `NaN`, `null`, `an array`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return JSON.stringify(shown);
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value instanceof Date ? `a date (${JSON.stringify(value)})` : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** What an option accepts, in words: `a whole number from 0 to 10000 (words)`. */
export function expectedValue(spec: RuleOption): string {
  switch (spec.type) {
    case 'number':
      return `${spec.integer ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}${
        spec.unit ? ` (${spec.unit})` : ''
      }`;
    case 'string':
      return spec.allowed && spec.allowed.length > 0
        ? `one of ${spec.allowed.map((word) => JSON.stringify(word)).join(', ')}`
        : 'a non-empty string';
    case 'boolean':
      return 'true or false';
    case 'string[]':
      return 'a list of non-empty strings';
  }
}

/**
 * Null when `value` is acceptable for the option, else the problem: `expected …, found …`.
 * Numbers must be finite, whole when the option counts something, and inside the declared range
 * (so no negative counts, fractions, NaN, Infinity or 1e300); strings non-empty (and one of the
 * allowed words when the option lists them); lists hold non-empty strings only.
 */
export function ruleOptionProblem(spec: RuleOption, value: unknown): string | null {
  const expected = `expected ${expectedValue(spec)}`;
  switch (spec.type) {
    case 'number': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!spec.integer || Number.isInteger(value)) &&
        value >= spec.min &&
        value <= spec.max;
      return ok ? null : `${expected}, found ${describeValue(value)}`;
    }
    case 'string': {
      const ok =
        typeof value === 'string' &&
        value.trim() !== '' &&
        (spec.allowed === undefined || spec.allowed.length === 0 || spec.allowed.includes(value));
      return ok ? null : `${expected}, found ${describeValue(value)}`;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `${expected}, found ${describeValue(value)}`;
    case 'string[]': {
      if (!Array.isArray(value)) return `${expected}, found ${describeValue(value)}`;
      const bad = value.findIndex((item) => typeof item !== 'string' || item.trim() === '');
      return bad === -1 ? null : `${expected}, found ${describeValue(value[bad])} at index ${bad}`;
    }
  }
}
