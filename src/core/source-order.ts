/**
 * Sorting by position in the source. One shared comparator rather than an arrow written at each
 * `sort` (no closure per call: docs/DESIGN.md, Scalability Strategy).
 */
import type { SourceRange } from './model.js';

export function byStartOffset(a: { range: SourceRange }, b: { range: SourceRange }): number {
  return a.range.start.offset - b.range.start.offset;
}
