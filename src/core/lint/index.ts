/**
 * The linter's public surface: `lint`, the rule registry and the built-in rules, config
 * validation, fixes and the completeness score.
 */
export { lint, INTERNAL_ERROR, type LintOptions, type LintResult } from './lint.js';
export { applyFixes } from './apply-fixes.js';
export {
  validateConfig,
  defaultConfig,
  type LintConfig,
  type RuleSetting,
  type RuleSeverity,
} from './config.js';
export { RuleRegistry } from './registry.js';
export { BUILTIN_RULES, builtinRegistry } from './builtin-rules.js';
export { completeness, score, SCORE_WEIGHTS, ERROR_PENALTY } from './score.js';
export type { Rule, RuleContext, RuleOption, Report, ReportedFinding, StatusWords } from './rule.js';
