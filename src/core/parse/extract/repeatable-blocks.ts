/**
 * Architecture components and design decisions: the `####` blocks under a section classified as
 * `components` or `decisions`, each with the fields written inside it.
 */
import type { Component, Decision, Field, Section } from '../../model.js';
import type { ExtractContext } from '../context.js';
import { rangeOnLine } from '../context.js';
import { headingTextRange } from './section-index.js';
import type { SectionIndex } from './section-index.js';
import type { ListScan } from './list-scan.js';

// `Decision 1:`, `Decision #2 -`, `ADR-003:`, `D4.` in front of a decision's title.
// A bare `Decision` heading keeps its word; `Deprecate X` keeps its `D`.
const DECISION_PREFIX = /^\s*(?:decision|adr|d)[\s-]*#?\s*(?:\d+\s*(?:[:.)\-–—]\s*|$)|[:\-–—]\s*)/i;

interface Block {
  section: Section;
  index: number;
  fields: Field[];
}

/** The direct children of every section of `kind`, with the fields inside each child's subtree. */
function blocksOf(kind: 'components' | 'decisions', index: SectionIndex, scan: ListScan): Block[] {
  const blocks: Block[] = [];
  const owner = new Map<number, Block>();
  for (let i = 0; i < index.list.length; i++) {
    if (index.kind[i] !== kind) continue;
    for (const child of (index.list[i] as Section).children) {
      const c = index.position.get(child);
      if (c === undefined || owner.has(c)) continue;
      const block: Block = { section: child, index: c, fields: [] };
      blocks.push(block);
      for (
        let j = c;
        j < index.list.length && (index.list[j] as Section).range.start.offset < child.range.end.offset;
        j++
      ) {
        if (!owner.has(j)) owner.set(j, block);
      }
    }
  }
  if (blocks.length === 0) return blocks;
  for (const entry of scan.entries) {
    if (entry.field === null || entry.section < 0) continue;
    owner.get(entry.section)?.fields.push(entry.field);
  }
  return blocks;
}

/** Components: each child section of an Architecture Components section (a blank heading gives ''). */
export function extractComponents(ctx: ExtractContext, index: SectionIndex, scan: ListScan): Component[] {
  const components: Component[] = [];
  for (const { section, fields } of blocksOf('components', index, scan)) {
    components.push({
      name: section.heading.text.trim(),
      sectionId: section.id,
      range: section.range,
      nameRange: headingTextRange(ctx, section),
      fields,
    });
  }
  return components;
}

/** Decisions: each child section of a Design Decisions section, titled without its `Decision N:` prefix. */
export function extractDecisions(ctx: ExtractContext, index: SectionIndex, scan: ListScan): Decision[] {
  const decisions: Decision[] = [];
  for (const { section, fields } of blocksOf('decisions', index, scan)) {
    const nameRange = headingTextRange(ctx, section);
    const raw = ctx.text.slice(nameRange.start.offset, nameRange.end.offset);
    const rawPrefix = DECISION_PREFIX.exec(raw);
    const cut = rawPrefix === null ? 0 : rawPrefix[0].length;
    const plain = section.heading.text.trim();
    const plainPrefix = rawPrefix === null ? null : DECISION_PREFIX.exec(plain);
    const start = nameRange.start.offset + cut;
    decisions.push({
      title: plainPrefix ? plain.slice(plainPrefix[0].length).trim() : plain,
      sectionId: section.id,
      range: section.range,
      titleRange: rangeOnLine(
        ctx.lineStarts,
        nameRange.start.line,
        start,
        Math.max(start, nameRange.end.offset),
      ),
      fields,
    });
  }
  return decisions;
}
