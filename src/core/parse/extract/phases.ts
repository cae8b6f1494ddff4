/**
 * Implementation phases: `**Phase N**: description` fields, `Phase N: …` and `**Phase N – Name**`
 * items, and `**Phase N – Name**` group labels whose list describes the phase.
 */
import type { Phase } from '../../model.js';
import type { ExtractContext } from '../context.js';
import { rangeAt } from '../context.js';
import type { ListScan } from './list-scan.js';
import { byStartOffset } from '../../source-order.js';

const PHASE = /^phase\s*(\d{1,6})(?![\p{L}\p{N}])/iu;
const PLAIN_DASHED = /^phase\s*\d{1,6}\s*(?:\([^)]*\)\s*)?[-–—]\s/iu;

function isPhaseStart(text: string): boolean {
  // `p`/`P` first: most labels and items are rejected by one character comparison.
  return (text.charCodeAt(0) | 32) === 112 && PHASE.test(text);
}

/** Splits an item's text (`**Phase 2 – Rollout**: desc`, `Phase 2: desc`) into label and description. */
function phaseFromText(
  ctx: ExtractContext,
  text: string,
  textStart: number,
  textEnd: number,
): { number: number; label: string; descStart: number } | null {
  const bold = text.startsWith('**');
  const inner = bold ? text.slice(2) : text;
  if (!isPhaseStart(inner)) return null;
  const number = Number((PHASE.exec(inner) as RegExpExecArray)[1]);
  let labelEnd: number;
  if (bold) {
    const close = text.indexOf('**', 2);
    if (close < 0) return null;
    labelEnd = close;
  } else {
    // Unformatted, the phase needs a separator (`Phase 2: …`, `Phase 2 – Name`) so that prose
    // such as "Phase 1 implemented and …" is not taken for one.
    const colon = text.indexOf(':');
    if (colon >= 0 && colon <= 80) labelEnd = colon;
    else if (PLAIN_DASHED.test(text))
      labelEnd = Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
    else return null;
  }
  let label = text.slice(bold ? 2 : 0, labelEnd).trim();
  if (label.endsWith(':')) label = label.slice(0, -1).trimEnd();
  let q = textStart + labelEnd + (bold ? 2 : 0);
  const src = ctx.text;
  while (q < textEnd) {
    const c = src.charCodeAt(q);
    if (c === 32 || c === 9 || c === 58 || c === 45 || c === 0x2013 || c === 0x2014) q++;
    else break;
  }
  return { number, label, descStart: Math.min(q, textEnd) };
}

/** Every phase in the document, in source order. */
export function extractPhases(ctx: ExtractContext, scan: ListScan): Phase[] {
  const found: Phase[] = [];
  for (const entry of scan.entries) {
    if (entry.field !== null) {
      const f = entry.field;
      if (!isPhaseStart(f.label)) continue;
      found.push({
        number: Number((PHASE.exec(f.label) as RegExpExecArray)[1]),
        label: f.label,
        description: f.value,
        range: f.range,
        descriptionRange: f.valueRange,
      });
    } else if (entry.item !== null) {
      const item = entry.item;
      const start = item.textRange.start.offset;
      const end = item.textRange.end.offset;
      const parsed = phaseFromText(ctx, item.text, start, end);
      if (parsed === null) continue;
      found.push({
        number: parsed.number,
        label: parsed.label,
        description: ctx.text.slice(parsed.descStart, end),
        range: item.range,
        descriptionRange: rangeAt(ctx.lineStarts, parsed.descStart, end),
      });
    }
  }
  let fromGroups = false;
  for (const { group } of scan.groups) {
    if (!isPhaseStart(group.label)) continue;
    fromGroups = true;
    const first = group.fields[0]?.range.start.offset ?? Infinity;
    const firstItem = group.items[0]?.range.start.offset ?? Infinity;
    const listStart = Math.min(first, firstItem, group.range.end.offset);
    found.push({
      number: Number((PHASE.exec(group.label) as RegExpExecArray)[1]),
      label: group.label,
      description: ctx.text.slice(listStart, group.range.end.offset),
      range: group.range,
      descriptionRange: rangeAt(ctx.lineStarts, listStart, group.range.end.offset),
    });
  }
  if (fromGroups) found.sort(byStartOffset);
  return found;
}
