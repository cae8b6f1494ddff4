/**
 * Applies the text edits attached to findings. Edits are applied from the end of the text backwards
 * so earlier offsets stay valid; an edit overlapping one already taken is skipped (the next `--fix`
 * pass picks it up). Inserts at the same offset keep their finding order.
 */
import type { Finding, TextEdit } from '../model.js';

/** Applies every non-overlapping fix; returns the new text and how many findings' fixes were applied. */
export function applyFixes(text: string, findings: readonly Finding[]): { text: string; applied: number } {
  const groups = findings
    .map((finding, order) => ({ edits: finding.fix ?? [], order }))
    .filter(
      (group) =>
        group.edits.length > 0 &&
        group.edits.every(
          (e) => e.range.start.offset <= e.range.end.offset && e.range.end.offset <= text.length,
        ),
    );
  // Decide which findings' fixes are taken, in finding order, refusing any that overlap a taken one.
  const taken: Array<{ edit: TextEdit; order: number }> = [];
  const overlaps = (a: TextEdit, b: TextEdit): boolean => {
    const [as, ae, bs, be] = [
      a.range.start.offset,
      a.range.end.offset,
      b.range.start.offset,
      b.range.end.offset,
    ];
    if (as === ae && bs === be) return false;
    if (as === ae) return as > bs && as < be;
    if (bs === be) return bs > as && bs < ae;
    return as < be && bs < ae;
  };
  let applied = 0;
  for (const group of groups) {
    if (group.edits.some((edit) => taken.some((t) => overlaps(edit, t.edit)))) continue;
    for (const edit of group.edits) taken.push({ edit, order: group.order });
    applied++;
  }
  // End first; at one offset a replacement goes before the inserts in front of it, and among inserts
  // the later finding goes first so the earlier ends up in front.
  taken.sort(
    (a, b) =>
      b.edit.range.start.offset - a.edit.range.start.offset ||
      b.edit.range.end.offset - a.edit.range.end.offset ||
      b.order - a.order,
  );
  let out = text;
  for (const { edit } of taken)
    out = out.slice(0, edit.range.start.offset) + edit.text + out.slice(edit.range.end.offset);
  return { text: out, applied };
}
