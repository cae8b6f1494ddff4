/**
 * The terminal format: `file:line:col severity message [DD004 empty-section]`, one line per finding,
 * grouped by file, and a summary line. The location comes first so terminals and editors make it a
 * link, and lines stay greppable with colour off.
 */
import type { Colors } from '../terminal-colors.js';
import { countFindings, type FileReport } from './file-report.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export interface StylishSummary {
  /** How many files were linted. */
  files: number;
  /** Fixes applied by --fix, and in how many files, when --fix ran. */
  fixed?: { fixes: number; files: number };
}

/** Formats reports for a terminal; `colors` may be disabled (plain text). */
export function formatStylish(reports: readonly FileReport[], summary: StylishSummary, colors: Colors): string {
  const out: string[] = [];
  let filesWithFindings = 0;
  for (const report of reports) {
    if (report.findings.length === 0) continue;
    filesWithFindings++;
    if (out.length > 0) out.push('');
    for (const finding of report.findings) {
      const { line, column } = finding.range.start;
      const severity =
        finding.severity === 'error' ? colors.red('error') : finding.severity === 'warning' ? colors.yellow('warning') : colors.blue('info');
      out.push(`${colors.bold(`${report.file}:${line}:${column}`)} ${severity} ${finding.message} ${colors.dim(`[${finding.ruleId} ${finding.rule}]`)}`);
    }
  }
  const counts = countFindings(reports);
  const total = counts.error + counts.warning + counts.info;
  if (out.length > 0) out.push('');
  if (total === 0) {
    out.push(colors.green(`no problems in ${plural(summary.files, 'file')}`));
  } else {
    const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
    if (counts.info > 0) parts.push(`${counts.info} info`);
    const line = `${plural(total, 'problem')} (${parts.join(', ')}) in ${filesWithFindings} of ${plural(summary.files, 'file')}`;
    out.push(counts.error > 0 ? colors.red(colors.bold(line)) : colors.yellow(colors.bold(line)));
  }
  if (summary.fixed) out.push(`fixed ${plural(summary.fixed.fixes, 'problem')} in ${plural(summary.fixed.files, 'file')}`);
  return out.join('\n') + '\n';
}
