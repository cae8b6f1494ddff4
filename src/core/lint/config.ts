/**
 * `designdoc.config.json`: rule severities and options, the templates folder, the default template,
 * extra status words, the file size limit and ignore globs. Validated strictly — an unknown key or
 * rule is a typo until proven otherwise — with messages naming the file and the JSON path.
 */
import { DesignDocError } from '../errors.js';
import { LIFECYCLE, type Lifecycle, type Severity } from '../model.js';
import { builtinRegistry } from './builtin-rules.js';
import type { RuleRegistry } from './registry.js';
import { describeValue, didYouMean as suggest, ruleOptionProblem } from './rule-options.js';

export type RuleSeverity = Severity | 'off';

export interface RuleSetting {
  severity: RuleSeverity;
  options: Record<string, unknown>;
}

export interface LintConfig {
  /** Keyed by rule id (`DD004`), whichever name the file used. */
  rules: Record<string, RuleSetting>;
  templatesDir: string | null;
  template: string | null;
  /** Extra status words per lifecycle state. */
  statuses: Partial<Record<Lifecycle, string[]>>;
  maxFileSize: number | null;
  ignore: string[];
}

/** The configuration used when there is no config file. */
export function defaultConfig(): LintConfig {
  return { rules: {}, templatesDir: null, template: null, statuses: {}, maxFileSize: null, ignore: [] };
}

const SEVERITIES: readonly RuleSeverity[] = ['off', 'info', 'warning', 'error'];
const TOP_KEYS = ['rules', 'templatesDir', 'template', 'statuses', 'maxFileSize', 'ignore', '$schema'];

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a parsed `designdoc.config.json` and returns it normalised (rules keyed by id, defaults
 * filled in). Throws `DesignDocError('DD_E_CONFIG_INVALID')` naming the file and the JSON path of the
 * first problem, e.g. `designdoc.config.json: rules.empty-feld: unknown rule (did you mean empty-field?)`.
 */
export function validateConfig(
  json: unknown,
  file = 'designdoc.config.json',
  registry: RuleRegistry = builtinRegistry,
): LintConfig {
  const fail = (path: string, problem: string): never => {
    throw new DesignDocError('DD_E_CONFIG_INVALID', `${path ? `${path}: ` : ''}${problem}`, {
      location: { file, field: path },
    });
  };
  if (!isRecord(json)) fail('', `expected a JSON object, found ${typeName(json)}`);
  const input = json as Record<string, unknown>;
  const config = defaultConfig();
  for (const key of Object.keys(input)) {
    if (!TOP_KEYS.includes(key)) fail(key, `unknown key${suggest(key, TOP_KEYS)}`);
  }

  if (input.rules !== undefined) {
    if (!isRecord(input.rules)) fail('rules', `expected an object, found ${typeName(input.rules)}`);
    for (const [name, value] of Object.entries(input.rules as Record<string, unknown>)) {
      const path = `rules.${name}`;
      const rule = registry.get(name);
      if (!rule) fail(path, `unknown rule${suggest(name, registry.names())}`);
      const found = rule as NonNullable<typeof rule>;
      if (config.rules[found.id]) fail(path, `rule ${found.id} (${found.slug}) is configured twice`);
      let severity: unknown = value;
      let options: unknown = {};
      if (Array.isArray(value)) {
        if (value.length < 1 || value.length > 2)
          fail(path, `expected [severity] or [severity, { options }], found an array of ${value.length}`);
        severity = value[0];
        options = value[1] ?? {};
      }
      if (typeof severity !== 'string' || !SEVERITIES.includes(severity as RuleSeverity)) {
        fail(
          Array.isArray(value) ? `${path}[0]` : path,
          `expected one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}, found ${JSON.stringify(severity)}`,
        );
      }
      if (!isRecord(options)) fail(`${path}[1]`, `expected an options object, found ${typeName(options)}`);
      const specs = found.options ?? {};
      for (const [option, optionValue] of Object.entries(options as Record<string, unknown>)) {
        const spec = specs[option];
        if (!spec) {
          const known = Object.keys(specs);
          fail(
            `${path}[1].${option}`,
            known.length === 0
              ? `rule ${found.slug} takes no options`
              : `unknown option${suggest(option, known)}; expected one of ${known.join(', ')}`,
          );
        }
        const problem = ruleOptionProblem(spec as NonNullable<typeof spec>, optionValue);
        if (problem !== null) fail(`${path}[1].${option}`, problem);
      }
      config.rules[found.id] = {
        severity: severity as RuleSeverity,
        options: { ...(options as Record<string, unknown>) },
      };
    }
  }

  if (input.$schema !== undefined && typeof input.$schema !== 'string')
    fail('$schema', `expected a URL or path string, found ${describeValue(input.$schema)}`);

  for (const key of ['templatesDir', 'template'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '')
      fail(key, `expected a non-empty string, found ${typeName(value)}`);
    config[key] = value as string;
  }

  if (input.statuses !== undefined) {
    if (!isRecord(input.statuses))
      fail('statuses', `expected an object keyed by lifecycle state, found ${typeName(input.statuses)}`);
    for (const [state, words] of Object.entries(input.statuses as Record<string, unknown>)) {
      if (!(LIFECYCLE as readonly string[]).includes(state))
        fail(
          `statuses.${state}`,
          `unknown lifecycle state${suggest(state, LIFECYCLE)}; expected one of ${LIFECYCLE.join(', ')}`,
        );
      if (!Array.isArray(words) || !words.every((w) => typeof w === 'string' && w.trim() !== '')) {
        fail(`statuses.${state}`, `expected an array of non-empty strings, found ${typeName(words)}`);
      }
      config.statuses[state as Lifecycle] = [...(words as string[])];
    }
  }

  if (input.maxFileSize !== undefined) {
    const value = input.maxFileSize;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
      fail(
        'maxFileSize',
        `expected a positive integer (bytes) up to ${Number.MAX_SAFE_INTEGER}, found ${describeValue(value)}`,
      );
    config.maxFileSize = value as number;
  }

  if (input.ignore !== undefined) {
    const value = input.ignore;
    if (!Array.isArray(value)) fail('ignore', `expected an array of glob strings, found ${typeName(value)}`);
    (value as unknown[]).forEach((glob, i) => {
      if (typeof glob !== 'string' || glob.trim() === '')
        fail(`ignore[${i}]`, `expected a glob string, found ${typeName(glob)}`);
    });
    config.ignore = [...(value as string[])];
  }
  return config;
}
