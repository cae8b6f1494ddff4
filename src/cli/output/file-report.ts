/**
 * One linted file as the output formatters see it.
 */
import type { Finding } from '../../core/model.js';

export interface FileReport {
  /** As shown to the user: relative to the working folder when inside it. */
  file: string;
  /** Absolute path (SARIF needs it for files outside the working folder). */
  path: string;
  score: number;
  /** Findings to print, in source order (already filtered by --quiet). */
  findings: Finding[];
}

/** Counts per severity over `reports`. */
export function countFindings(reports: readonly FileReport[]): { error: number; warning: number; info: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const report of reports) for (const finding of report.findings) counts[finding.severity]++;
  return counts;
}
