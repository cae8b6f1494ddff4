/**
 * The linter: runs every enabled rule over a parsed document, applies the config's severities and
 * options, honours inline directives, sorts findings by position and scores the result. It never
 * throws: a rule that fails becomes one internal-error finding naming it.
 */
import type { DesignDocument, Finding, Severity } from '../model.js';
import type { TemplateSchema } from '../template/schema.js';
import { builtinRegistry } from './builtin-rules.js';
import type { LintConfig } from './config.js';
import { suppressionFilter } from './directives.js';
import type { RuleRegistry } from './registry.js';
import type { Report, ReportedFinding, Rule, RuleContext, StatusWords } from './rule.js';
import { score } from './score.js';

export interface LintOptions {
  schema?: TemplateSchema | null;
  config?: LintConfig;
  /** Rules to run; the built-in registry by default. */
  registry?: RuleRegistry;
}

export interface LintResult {
  findings: Finding[];
  score: number;
  counts: { error: number; warning: number; info: number };
}

/** The id and slug of findings that report a rule's own failure, not a document problem. */
export const INTERNAL_ERROR = { ruleId: 'DD000', rule: 'internal-error' } as const;

const EMPTY_WORDS: StatusWords = Object.freeze({});

function computeOptions(
  rule: Rule,
  schema: TemplateSchema | null,
  config: LintConfig | undefined,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(rule.options ?? {})) options[name] = spec.default;
  Object.assign(options, schema?.ruleOptions?.[rule.slug] ?? {}, schema?.ruleOptions?.[rule.id] ?? {});
  Object.assign(options, config?.rules?.[rule.id]?.options ?? {});
  return options;
}

const NO_SCHEMA = {};
const NO_CONFIG = {};
const OPTIONS = new WeakMap<
  readonly Rule[],
  WeakMap<object, WeakMap<object, ReadonlyArray<Readonly<Record<string, unknown>>>>>
>();

/**
 * Each rule's merged options (index as in `rules`) for a schema and config, merged once: a run
 * lints thousands of documents with the same rule list and the same three objects. Frozen, since
 * every document of the run shares them.
 */
function optionsFor(
  rules: readonly Rule[],
  schema: TemplateSchema | null,
  config: LintConfig | undefined,
): ReadonlyArray<Readonly<Record<string, unknown>>> {
  let bySchema = OPTIONS.get(rules);
  if (!bySchema) {
    bySchema = new WeakMap();
    OPTIONS.set(rules, bySchema);
  }
  const schemaKey = schema ?? NO_SCHEMA;
  let byConfig = bySchema.get(schemaKey);
  if (!byConfig) {
    byConfig = new WeakMap();
    bySchema.set(schemaKey, byConfig);
  }
  const configKey = config ?? NO_CONFIG;
  let options = byConfig.get(configKey);
  if (!options) {
    options = rules.map((rule) => Object.freeze(computeOptions(rule, schema, config)));
    byConfig.set(configKey, options);
  }
  return options;
}

/** By position, then rule id; otherwise report order is kept (the sort is stable), which keeps fixes inserting at one place in the order the rule meant. */
function comparePosition(a: Finding, b: Finding): number {
  return (
    a.range.start.offset - b.range.start.offset ||
    a.range.end.offset - b.range.end.offset ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

const DOCUMENT_START: Finding['range'] = {
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
};

/** The score, or 0 when computing it fails on a malformed model: lint never throws. */
function safeScore(doc: DesignDocument, schema: TemplateSchema | null, findings: Finding[]): number {
  try {
    return score(doc, schema, findings);
  } catch {
    return 0;
  }
}

/**
 * Turns what a rule reports into findings of the run's list. Its `report` is the method bound
 * once per document, not a closure per rule and document (no closure per call: docs/DESIGN.md, Scalability Strategy).
 */
class RuleReporter {
  rule: Rule | null = null;
  configured: Severity | 'off' | undefined = undefined;
  readonly report: Report;

  constructor(private readonly findings: Finding[]) {
    this.report = this.add.bind(this);
  }

  private add(reported: ReportedFinding): void {
    const rule = this.rule as Rule;
    const finding: Finding = {
      ruleId: rule.id,
      rule: rule.slug,
      severity: (this.configured ?? reported.severity ?? rule.defaultSeverity) as Severity,
      message: reported.message,
      range: reported.range,
    };
    if (reported.related) finding.related = reported.related;
    if (reported.fix) finding.fix = reported.fix;
    this.findings.push(finding);
  }
}

/**
 * Lints a parsed document against its template schema (or none) with the given config, returning
 * findings sorted by position, a completeness score and counts per severity.
 */
export function lint(doc: DesignDocument, options: LintOptions = {}): LintResult {
  const schema = options.schema ?? null;
  const config = options.config;
  const registry = options.registry ?? builtinRegistry;
  // Defensive reads: callers may hand a hand-built config object, and lint must never throw.
  const statusWords: StatusWords =
    config?.statuses && Object.keys(config.statuses).length > 0 ? config.statuses : EMPTY_WORDS;
  const findings: Finding[] = [];
  const reporter = new RuleReporter(findings);
  const rules = registry.list();
  const ruleOptions = optionsFor(rules, schema, config);
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index] as Rule;
    const configured = config?.rules?.[rule.id]?.severity;
    if (configured === 'off') continue;
    const ctx: RuleContext = {
      doc,
      schema,
      options: ruleOptions[index] as Record<string, unknown>,
      statusWords,
    };
    // Findings go straight into the list; a rule that fails has its own taken back out.
    const before = findings.length;
    try {
      reporter.rule = rule;
      reporter.configured = configured;
      rule.check(ctx, reporter.report);
    } catch (error) {
      findings.length = before;
      const reason = error instanceof Error ? error.message : String(error);
      findings.push({
        ...INTERNAL_ERROR,
        severity: 'error',
        message: `Rule ${rule.id} (${rule.slug}) failed on this document: ${reason}`,
        range: DOCUMENT_START,
      });
    }
  }
  let kept = findings;
  try {
    const directives = doc.directives ?? [];
    if (directives.length > 0) {
      const suppressed = suppressionFilter(directives);
      kept = findings.filter((finding) => finding.ruleId === INTERNAL_ERROR.ruleId || !suppressed(finding));
    }
  } catch {
    // Malformed directives must not cost the findings themselves.
  }
  kept.sort(comparePosition);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of kept) counts[finding.severity]++;
  return { findings: kept, score: safeScore(doc, schema, kept), counts };
}
