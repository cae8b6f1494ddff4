/**
 * The contract every lint rule fulfils: one metadata object per file, a stable id and slug, and a
 * `check` that reads the model and reports findings as values. Rules never throw on purpose and never
 * rescan the text for structure the parser already extracted.
 */
import type { DesignDocument, Finding, Lifecycle, Severity } from '../model.js';
import type { TemplateSchema } from '../template/schema.js';

/** Extra status words per lifecycle state, from the config's `statuses`. */
export type StatusWords = Readonly<Partial<Record<Lifecycle, readonly string[]>>>;

/** What a rule sees: the document, its template schema (null for documents without one), its options. */
export interface RuleContext {
  doc: DesignDocument;
  schema: TemplateSchema | null;
  /** Rule defaults, overridden by the template's front matter, overridden by the config. */
  options: Record<string, unknown>;
  statusWords: StatusWords;
}

/** What `report` takes: a finding without the rule's identity; severity defaults to the rule's. */
export type ReportedFinding = Omit<Finding, 'ruleId' | 'rule' | 'severity'> & { severity?: Severity };

export type Report = (finding: ReportedFinding) => void;

interface RuleOptionBase {
  description: string;
}

/**
 * A numeric option. Its range is part of the declaration, so that a config or template can never
 * hand a rule `-5`, `1.5` words or `1e300`: counts are `integer` with `min: 0`.
 */
export interface NumberRuleOption extends RuleOptionBase {
  type: 'number';
  default: number;
  /** Only whole numbers (a count). */
  integer: boolean;
  /** The smallest and largest value accepted, inclusive. */
  min: number;
  max: number;
  /** What the number counts, for messages (`words`). */
  unit?: string;
}

/** A text option: never empty; limited to `allowed` when given. */
export interface StringRuleOption extends RuleOptionBase {
  type: 'string';
  default: string;
  allowed?: readonly string[];
}

export interface BooleanRuleOption extends RuleOptionBase {
  type: 'boolean';
  default: boolean;
}

/** A list of non-empty strings. */
export interface StringListRuleOption extends RuleOptionBase {
  type: 'string[]';
  default: readonly string[];
}

/**
 * Declared option of a rule: its type, default and the values it accepts, so the config and
 * template validators can check it (see `rule-options.ts`).
 */
export type RuleOption = NumberRuleOption | StringRuleOption | BooleanRuleOption | StringListRuleOption;

export interface Rule {
  /** Stable id, `DD` + three digits. */
  id: string;
  /** Stable kebab-case name. */
  slug: string;
  description: string;
  tags: string[];
  defaultSeverity: Severity;
  fixable: boolean;
  /** Path of the rule's docs page, `docs/rules/<slug>.md`. */
  docs: string;
  /** Options the rule accepts (validated in config files). */
  options?: Readonly<Record<string, RuleOption>>;
  check(ctx: RuleContext, report: Report): void;
}

/** Typed read of a numeric option (the config and template validators already checked its range). */
export function numberOption(ctx: RuleContext, name: string, fallback: number): number {
  const value = ctx.options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Typed read of a string-list option. */
export function stringListOption(ctx: RuleContext, name: string): string[] {
  const value = ctx.options[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
