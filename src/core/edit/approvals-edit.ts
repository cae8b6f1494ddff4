/**
 * Writing the entries of one approval slot (`**Security Review**` and its list) so the document's
 * Approvals section is a true record of who approved which revision. Only the slot's list lines
 * are replaced; a missing slot or a missing Approvals section is appended.
 */
import type { DesignDocument, Section, TextEdit } from '../model.js';
import { classifySection } from '../section-kinds.js';
import { offsetRange } from './apply-edits.js';

const LIST_ITEM = /^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const CONTINUATION = /^(?:[ \t]{2,}|\t)\S/;

interface Line {
  start: number;
  end: number;
  next: number;
  content: string;
}

function lineAt(text: string, start: number): Line {
  let end = text.indexOf('\n', start);
  const next = end === -1 ? text.length : end + 1;
  if (end === -1) end = text.length;
  const contentEnd = text[end - 1] === '\r' ? end - 1 : end;
  return { start, end: contentEnd, next, content: text.slice(start, contentEnd) };
}

function findApprovalsSection(sections: readonly Section[]): Section | null {
  for (const section of sections) {
    if (classifySection(section.title) === 'approvals') return section;
    const inner = findApprovalsSection(section.children);
    if (inner) return inner;
  }
  return null;
}

function normalizeSlot(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Finds `**Slot**` (optionally with a trailing colon) as a line inside the range. */
function findSlotLabel(text: string, from: number, to: number, slot: string): Line | null {
  const wanted = normalizeSlot(slot);
  for (let at = from; at < to;) {
    const line = lineAt(text, at);
    const m = /^[ \t]{0,3}(?:\*\*|__)(.+?)(?:\*\*|__)[ \t]*:?[ \t]*$/.exec(line.content);
    if (m && normalizeSlot(m[1] as string) === wanted) return line;
    at = line.next;
  }
  return null;
}

/**
 * The edits that make the slot named `slot` list exactly `entries` (each one line of text, e.g.
 * from `formatApprovalEntry`). With no entries the slot keeps one empty `- ` line, as the template
 * shows it.
 */
export function approvalSlotEdits(doc: DesignDocument, slot: string, entries: readonly string[]): TextEdit[] {
  const { text } = doc;
  const eol = doc.lineEnding;
  const lines = entries.length > 0 ? entries : [''];
  const section = findApprovalsSection(doc.sections);
  const list = (marker: string) =>
    lines.map((entry) => (entry === '' ? `${marker}` : `${marker} ${entry}`)).join(eol);

  if (!section) {
    const hashes = '#'.repeat(Math.max(1, Math.min(6, doc.sectionLevel)));
    const lead = text === '' || text.endsWith('\n') ? '' : eol;
    const body = `${lead}${eol}${hashes} Approvals${eol}${eol}**${slot}**${eol}${list('-')}${eol}`;
    return [{ range: offsetRange(text, text.length, text.length), text: body }];
  }

  const label = findSlotLabel(text, section.bodyRange.start.offset, section.range.end.offset, slot);
  if (!label) {
    // Append the slot at the end of the Approvals section's own body, after its last content.
    let end = section.bodyRange.end.offset;
    while (end > section.bodyRange.start.offset && /\s/.test(text[end - 1] as string)) end--;
    // Keep the last content line whole (a template's `- ` keeps its trailing space).
    const lineEnd = lineAt(text, text.lastIndexOf('\n', end - 1) + 1).end;
    end = Math.max(end, lineEnd);
    const atEnd = end === text.length;
    const insert = `${eol}${eol}**${slot}**${eol}${list('-')}${atEnd ? eol : ''}`;
    return [{ range: offsetRange(text, end, end), text: insert }];
  }

  // The slot's list: list items and their continuation lines right after the label.
  let cursor = label.next;
  let listStart = -1;
  let listEnd = -1;
  let marker = '-';
  while (cursor < text.length) {
    const line = lineAt(text, cursor);
    if (LIST_ITEM.test(line.content)) {
      if (listStart === -1) {
        listStart = line.start;
        marker = (/^[ \t]{0,3}([-*+]|\d{1,9}[.)])/.exec(line.content)?.[1] ?? '-').replace(/^\d+/, '1');
      }
      listEnd = line.end;
    } else if (listStart !== -1 && CONTINUATION.test(line.content)) {
      listEnd = line.end;
    } else {
      break;
    }
    cursor = line.next;
  }
  if (listStart === -1) {
    return [{ range: offsetRange(text, label.end, label.end), text: `${eol}${list(marker)}` }];
  }
  return [{ range: offsetRange(text, listStart, listEnd), text: list(marker) }];
}
