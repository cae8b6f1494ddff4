/**
 * One linted file as the output formatters see it: findings flattened to the positions and text
 * that get printed, so a run over ten thousand files keeps neither ranges nor fixes in memory.
 */
import type { Finding, Severity } from '../../core/model.js';

/** A finding as printed: the JSON format's shape. */
export interface FlatFinding {
  ruleId: string;
  rule: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface FileReport {
  /** As shown to the user: relative to the working folder when inside it. */
  file: string;
  /** Absolute path (SARIF needs it for files outside the working folder). */
  path: string;
  score: number;
  /** Findings to print, in source order (already filtered by --quiet). */
  findings: FlatFinding[];
}

/** The printed part of a finding. */
export function flattenFinding(finding: Finding): FlatFinding {
  return {
    ruleId: finding.ruleId,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    line: finding.range.start.line,
    column: finding.range.start.column,
    endLine: finding.range.end.line,
    endColumn: finding.range.end.column,
  };
}
