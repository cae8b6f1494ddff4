/**
 * SARIF 2.1.0 for code-scanning services (GitHub uploads it and puts findings on the diff). Every
 * rule of the registry is listed in `tool.driver.rules` so `ruleIndex` is stable across runs; paths
 * are relative to `%SRCROOT%` (the working folder) so the log is portable between checkouts.
 */
import { pathToFileURL } from 'node:url';
import type { Rule } from '../../core/lint/index.js';
import type { Severity } from '../../core/model.js';
import type { FileReport } from './file-report.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifTool {
  name: string;
  version: string;
  informationUri: string;
  /** Base URL of the rule docs pages (`<base><slug>.md`). */
  rulesHelpBase: string;
}

/** RFC 3986 path segments for a relative path (spaces and `#` escaped, `/` kept). */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * Builds the SARIF log for `reports`. `rules` is the registry's list (every rule, in id order);
 * `cwd` becomes `%SRCROOT%`. Files outside `cwd` get an absolute `file:` URI instead.
 */
export function toSarif(reports: readonly FileReport[], rules: readonly Rule[], tool: SarifTool, cwd: string): Record<string, unknown> {
  const ruleIndex = new Map<string, number>();
  const sarifRules: Record<string, unknown>[] = [];
  const addRule = (id: string, slug: string, description: string, severity: Severity, docs: string | null): number => {
    const index = sarifRules.length;
    ruleIndex.set(id, index);
    sarifRules.push({
      id,
      name: slug,
      shortDescription: { text: description },
      helpUri: docs ?? tool.informationUri,
      defaultConfiguration: { level: LEVELS[severity] },
      properties: { tags: [] as string[] },
    });
    return index;
  };
  for (const rule of rules) {
    addRule(rule.id, rule.slug, rule.description, rule.defaultSeverity, `${tool.rulesHelpBase}${rule.slug}.md`);
    const entry = sarifRules[sarifRules.length - 1] as { properties: { tags: string[] } };
    entry.properties.tags = [...rule.tags];
  }

  const results: Record<string, unknown>[] = [];
  for (const report of reports) {
    const inside = !(report.file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(report.file));
    const artifactLocation = inside ? { uri: relativeUri(report.file), uriBaseId: '%SRCROOT%' } : { uri: pathToFileURL(report.path).href };
    for (const finding of report.findings) {
      const index = ruleIndex.get(finding.ruleId) ?? addRule(finding.ruleId, finding.rule, finding.rule, finding.severity, null);
      const { start, end } = finding.range;
      results.push({
        ruleId: finding.ruleId,
        ruleIndex: index,
        level: LEVELS[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation,
              region: {
                startLine: start.line,
                startColumn: start.column,
                endLine: Math.max(end.line, start.line),
                endColumn: end.line > start.line ? end.column : Math.max(end.column, start.column),
              },
            },
          },
        ],
      });
    }
  }

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: sarifRules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** The SARIF log as JSON text with a trailing newline. */
export function formatSarif(reports: readonly FileReport[], rules: readonly Rule[], tool: SarifTool, cwd: string): string {
  return `${JSON.stringify(toSarif(reports, rules, tool, cwd), null, 2)}\n`;
}
