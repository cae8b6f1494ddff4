/**
 * Open questions: the checkbox items of Open Questions sections, each with the value of a nested
 * `- **Status**: …` field.
 */
import type { OpenQuestion } from '../../model.js';
import type { ListScan, ScannedEntry } from './list-scan.js';
import type { SectionIndex } from './section-index.js';

/**
 * When any item in the document's open-questions sections has a checkbox, only checkbox items are
 * questions (plain bullets there are notes). When none has, the top-level plain items are the
 * questions, unchecked: many documents list unresolved questions as bullets.
 */
export function extractOpenQuestions(index: SectionIndex, scan: ListScan): OpenQuestion[] {
  const inSection: number[] = [];
  let checkboxes = false;
  scan.entries.forEach((entry, i) => {
    if (entry.section < 0 || index.effectiveKind[entry.section] !== 'open-questions') return;
    inSection.push(i);
    if (entry.item !== null && entry.item.checked !== null) checkboxes = true;
  });
  if (inSection.length === 0) return [];

  const status = new Map<number, ScannedEntry>();
  for (const i of inSection) {
    const entry = scan.entries[i] as ScannedEntry;
    if (entry.parent < 0 || entry.field === null || status.has(entry.parent)) continue;
    if (entry.field.label.trim().toLowerCase() === 'status') status.set(entry.parent, entry);
  }

  const out: OpenQuestion[] = [];
  for (const i of inSection) {
    const item = (scan.entries[i] as ScannedEntry).item;
    if (item === null) continue;
    if (checkboxes ? item.checked === null : (scan.entries[i] as ScannedEntry).parent !== -1) continue;
    const s = status.get(i)?.field ?? null;
    out.push({
      text: item.text,
      checkbox: item.checked !== null,
      checked: item.checked === true,
      status: s === null ? null : { value: s.value, range: s.range, valueRange: s.valueRange },
      range: item.range,
      textRange: item.textRange,
    });
  }
  return out;
}
