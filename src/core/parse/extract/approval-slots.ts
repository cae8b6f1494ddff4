/**
 * Approval slots: each bold group under an Approvals section (`**Technical Review**`), and for
 * lists written without groups, the (sub-)section holding them; each non-blank line is an entry.
 */
import type { ApprovalSlot, Section } from '../../model.js';
import { parseApprovalEntry } from '../../approval-entry.js';
import type { ExtractContext } from '../context.js';
import { rangeAt } from '../context.js';
import type { ListScan } from './list-scan.js';
import { headingTextRange } from './section-index.js';
import type { SectionIndex } from './section-index.js';
import { byStartOffset } from '../../source-order.js';

export function extractApprovals(ctx: ExtractContext, index: SectionIndex, scan: ListScan): ApprovalSlot[] {
  const { text } = ctx;
  const byGroup = new Map<number, ApprovalSlot>();
  const bySection = new Map<number, ApprovalSlot>();
  const slots: ApprovalSlot[] = [];
  scan.groups.forEach((g, i) => {
    if (g.section < 0 || index.effectiveKind[g.section] !== 'approvals') return;
    const slot: ApprovalSlot = {
      name: g.group.label,
      range: g.group.range,
      nameRange: g.group.labelRange,
      entries: [],
    };
    byGroup.set(i, slot);
    slots.push(slot);
  });
  let ungrouped = false;
  for (const entry of scan.entries) {
    if (entry.parent !== -1 || !entry.listed || entry.section < 0) continue;
    if (index.effectiveKind[entry.section] !== 'approvals') continue;
    let slot = entry.group >= 0 ? byGroup.get(entry.group) : bySection.get(entry.section);
    if (slot === undefined) {
      const section = index.list[entry.section] as Section;
      slot = {
        name: section.heading.text.trim(),
        range: section.range,
        nameRange: headingTextRange(ctx, section),
        entries: [],
      };
      bySection.set(entry.section, slot);
      slots.push(slot);
      ungrouped = true;
    }
    let start = entry.contentStart;
    let end = entry.paragraphEnd;
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    if (start === end) continue;
    const raw = text.slice(start, end);
    slot.entries.push({ raw, ...parseApprovalEntry(raw), range: rangeAt(ctx.lineStarts, start, end) });
  }
  if (ungrouped) slots.sort(byStartOffset);
  return slots;
}
