/**
 * The server's writes into a document's markdown, by source range through `core/edit`: the Status
 * value on each transition, and an approval slot's entries on each verdict.
 */
import { applyEdits, approvalSlotEdits, statusEdits, statusLabel } from '../../core/edit/index.js';
import type { DesignDocument, Lifecycle } from '../../core/model.js';
import { parse } from '../../core/parse/index.js';
import { normalizeHeading } from '../../core/section-kinds.js';

/** The document's text with its status set to `lifecycle`. */
export function rewriteStatus(
  doc: DesignDocument,
  lifecycle: Lifecycle,
  supersededBy: string | null,
): string {
  return applyEdits(doc.text, statusEdits(doc, statusLabel(lifecycle, supersededBy)));
}

/** The document's text with the slot's entries replaced by `lines`. */
export function rewriteApprovalSlot(doc: DesignDocument, slot: string, lines: readonly string[]): string {
  return applyEdits(doc.text, approvalSlotEdits(doc, slot, lines));
}

/**
 * The document's text with every slot in `recorded` holding exactly its recorded lines, and the
 * slots that had to change. A slot whose entries already read as recorded is left as written
 * (notes indented under an entry stay). Slots are rewritten one after another (a slot missing from
 * the text is appended, which moves the offsets of what follows), so each step reads a fresh parse
 * of the previous one's text.
 */
export function rewriteApprovals(
  doc: DesignDocument,
  recorded: readonly { slot: string; lines: readonly string[] }[],
): { text: string; changed: string[] } {
  let current = doc;
  const changed: string[] = [];
  for (const { slot, lines } of recorded) {
    if (entriesRead(current, slot, lines)) continue;
    const text = rewriteApprovalSlot(current, slot, lines);
    if (text === current.text) continue;
    changed.push(slot);
    current = parse(text);
  }
  return { text: current.text, changed };
}

/** Whether the slot's entries in the document are `lines`, in order. */
function entriesRead(doc: DesignDocument, slot: string, lines: readonly string[]): boolean {
  const wanted = normalizeHeading(slot);
  const found = doc.approvals.filter((s) => normalizeHeading(s.name) === wanted);
  if (found.length !== 1) return false;
  const entries = (found[0] as (typeof found)[number]).entries;
  return entries.length === lines.length && entries.every((entry, i) => entry.raw.trim() === lines[i]);
}
