/**
 * Sorting by position in the source. One shared comparator rather than an arrow written at each
 * `sort`: closures made per call lose their optimised code whenever the collector finds none of
 * them alive (a server's analysis thread idling between saves), and V8 compiled them again and
 * again.
 */
import type { SourceRange } from './model.js';

export function byStartOffset(a: { range: SourceRange }, b: { range: SourceRange }): number {
  return a.range.start.offset - b.range.start.offset;
}
