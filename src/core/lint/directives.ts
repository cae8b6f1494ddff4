/**
 * Inline `<!-- designdoc-disable … -->` directives, resolved against findings. `disable` / `enable`
 * open and close ranges; `disable-next-line` and `disable-line` cover one line. Rules are named by id
 * or slug; an empty list means every rule.
 */
import type { Directive, Finding } from '../model.js';
import { byStartOffset } from '../source-order.js';

/** A predicate telling whether a finding is suppressed by the document's directives. */
export function suppressionFilter(directives: readonly Directive[]): (finding: Finding) => boolean {
  if (directives.length === 0) return () => false;
  const ordered = [...directives].sort(byStartOffset);
  const names = (d: Directive): Set<string> => new Set(d.rules.map((r) => r.trim().toLowerCase()));
  const covers = (d: Directive, finding: Finding): boolean => {
    if (d.rules.length === 0) return true;
    const set = names(d);
    return set.has(finding.ruleId.toLowerCase()) || set.has(finding.rule.toLowerCase());
  };
  return (finding) => {
    const line = finding.range.start.line;
    const offset = finding.range.start.offset;
    let disabled = false;
    for (const d of ordered) {
      if (d.kind === 'disable-line') {
        if (line >= d.range.start.line && line <= d.range.end.line && covers(d, finding)) return true;
        continue;
      }
      if (d.kind === 'disable-next-line') {
        if (line === d.range.end.line + 1 && covers(d, finding)) return true;
        continue;
      }
      if (d.range.start.offset > offset) continue;
      if (!covers(d, finding)) continue;
      disabled = d.kind === 'disable';
    }
    return disabled;
  };
}
