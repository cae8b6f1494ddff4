/**
 * The machine format: an array with one object per file,
 * `{ file, score, findings: [{ ruleId, rule, severity, message, line, column, endLine, endColumn }] }`.
 */
import type { FileReport } from './file-report.js';

export interface JsonFinding {
  ruleId: string;
  rule: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonFileReport {
  file: string;
  score: number;
  findings: JsonFinding[];
}

/** The JSON value for `reports` (see `formatJson` for the text). */
export function toJsonReports(reports: readonly FileReport[]): JsonFileReport[] {
  return reports.map((report) => ({
    file: report.file,
    score: report.score,
    findings: report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      line: finding.range.start.line,
      column: finding.range.start.column,
      endLine: finding.range.end.line,
      endColumn: finding.range.end.column,
    })),
  }));
}

/** `reports` as pretty-printed JSON text with a trailing newline. */
export function formatJson(reports: readonly FileReport[]): string {
  return `${JSON.stringify(toJsonReports(reports), null, 2)}\n`;
}
