/**
 * Goals, success criteria and performance targets: the list content of sections of those kinds.
 */
import type { Criterion, PerformanceTarget } from '../../model.js';
import type { SchemaSectionKind } from '../../template/schema.js';
import type { ListScan } from './list-scan.js';
import type { SectionIndex } from './section-index.js';

/**
 * The top-level items and fields of sections of `kind` (`- **Goal 1**: text` gives the value,
 * `1. text` the item text). Blank entries are kept with empty text so that a linter can point at
 * them; nested sub-bullets belong to their criterion and are not criteria themselves.
 */
export function extractCriteria(kind: SchemaSectionKind, index: SectionIndex, scan: ListScan): Criterion[] {
  const out: Criterion[] = [];
  for (const entry of scan.entries) {
    if (entry.parent !== -1 || entry.section < 0 || index.kind[entry.section] !== kind) continue;
    if (entry.field !== null) {
      out.push({ text: entry.field.value, range: entry.field.range, textRange: entry.field.valueRange });
    } else if (entry.item !== null) {
      out.push({ text: entry.item.text, range: entry.item.range, textRange: entry.item.textRange });
    }
  }
  return out;
}

/** Every field under a Performance Targets section: the label is the metric. */
export function extractTargets(index: SectionIndex, scan: ListScan): PerformanceTarget[] {
  const out: PerformanceTarget[] = [];
  for (const entry of scan.entries) {
    if (entry.field === null || entry.section < 0 || index.kind[entry.section] !== 'performance-targets')
      continue;
    const f = entry.field;
    out.push({ metric: f.label, value: f.value, range: f.range, valueRange: f.valueRange });
  }
  return out;
}
