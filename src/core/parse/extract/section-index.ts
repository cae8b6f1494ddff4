/**
 * Per-section facts the extractors share: each section's kind, its parent, and a fast way to
 * find the innermost section of offsets that only ever grow.
 */
import type { Section, SourceRange } from '../../model.js';
import type { SchemaSectionKind } from '../../template/schema.js';
import { classifyNormalized, normalizeHeadingCached } from '../../section-kinds.js';
import { rangeOnLine, sectionAt } from '../context.js';
import type { ExtractContext } from '../context.js';

export interface SectionIndex {
  list: readonly Section[];
  /** Each title through `normalizeHeading`. */
  normalized: string[];
  /** The section's own kind (index as in `list`). */
  kind: SchemaSectionKind[];
  /**
   * The kind content in the section counts for: its own kind, or for plain sub-sections of open
   * questions and approvals (`### Networking` under `## Open Questions`) the parent's.
   */
  effectiveKind: SchemaSectionKind[];
  /** Index of the parent section, -1 for top-level sections. */
  parent: number[];
  position: Map<Section, number>;
}

const INHERITED: ReadonlySet<SchemaSectionKind> = new Set(['open-questions', 'approvals']);

/** Classifies every section once and records the tree's parent links. */
export function buildSectionIndex(ctx: ExtractContext): SectionIndex {
  const list = ctx.sectionList;
  const position = new Map<Section, number>();
  for (let i = 0; i < list.length; i++) position.set(list[i] as Section, i);
  const parent = new Array<number>(list.length).fill(-1);
  for (let i = 0; i < list.length; i++) {
    for (const child of (list[i] as Section).children) {
      const c = position.get(child);
      if (c !== undefined) parent[c] = i;
    }
  }
  const normalized = new Array<string>(list.length);
  const kind = new Array<SchemaSectionKind>(list.length);
  for (let i = 0; i < list.length; i++) {
    const name = normalizeHeadingCached((list[i] as Section).title);
    normalized[i] = name;
    kind[i] = classifyNormalized(name);
  }
  const effectiveKind = kind.slice();
  // Parents come before their children in document order, so one forward sweep suffices.
  for (let i = 0; i < list.length; i++) {
    const p = parent[i] as number;
    if (effectiveKind[i] === 'plain' && p >= 0 && INHERITED.has(effectiveKind[p] as SchemaSectionKind)) {
      effectiveKind[i] = effectiveKind[p] as SchemaSectionKind;
    }
  }
  return { list, normalized, kind, effectiveKind, parent, position };
}

/**
 * Innermost-section lookup for non-decreasing offsets. Sections that have started are kept on a
 * stack in document order; one that has ended can never contain a later offset, so it is popped
 * for good and every call costs amortised O(1) — a linear `sectionAt` per heading made documents
 * with many sections quadratic. Answers exactly what `sectionAt` would: the last started section
 * (in document order) whose range still holds the offset.
 */
export class SectionCursor {
  private next = 0;
  private readonly open: number[] = [];
  private last = -1;
  private readonly index: SectionIndex;

  constructor(index: SectionIndex) {
    this.index = index;
  }

  /** Index in `SectionIndex.list` of the innermost section holding `offset`, -1 in the preamble. */
  at(offset: number): number {
    const list = this.index.list;
    if (offset < this.last) {
      // Not expected from the callers; stay correct rather than fast.
      const found = sectionAt(list, offset);
      return found === null ? -1 : (this.index.position.get(found) ?? -1);
    }
    this.last = offset;
    const open = this.open;
    while (this.next < list.length && (list[this.next] as Section).range.start.offset <= offset) {
      open.push(this.next++);
    }
    while (open.length > 0 && offset >= (list[open[open.length - 1] as number] as Section).range.end.offset)
      open.pop();
    return open.length > 0 ? (open[open.length - 1] as number) : -1;
  }
}

/**
 * The range of a heading's text (markers, closing `#`s and surrounding blanks excluded); an empty
 * range after the markers when the heading is blank (`#### `).
 */
export function headingTextRange(ctx: ExtractContext, section: Section): SourceRange {
  const { text, lineStarts, lineEnds } = ctx;
  const line = section.heading.range.start.line;
  const lineStart = lineStarts[line - 1] as number;
  const lineEnd = lineEnds[line - 1] as number;
  let start = lineStart;
  while (start < lineEnd && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  if (section.heading.kind === 'atx') {
    while (start < lineEnd && text.charCodeAt(start) === 35) start++;
    while (start < lineEnd && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  }
  let end = lineEnd;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (section.heading.kind === 'atx') {
    // A closing sequence counts only when a blank separates it from the content.
    let hashes = end;
    while (hashes > start && text.charCodeAt(hashes - 1) === 35) hashes--;
    if (hashes < end && (hashes === start || isBlank(text.charCodeAt(hashes - 1)))) {
      end = hashes;
      while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
    }
  }
  return rangeOnLine(lineStarts, line, start, end);
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}
