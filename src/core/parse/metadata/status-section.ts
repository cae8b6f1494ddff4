/**
 * The ADR style: a top-level `## Status` section whose first line is the status (`Accepted`,
 * `✅ Accepted`, `Superseded by [ADR-0012](…)`).
 */
import type { MetadataEntry, Section } from '../../model.js';
import { LINE_OPEN, rangeOnLine, type ExtractContext } from '../context.js';
import { metadataKeyName } from './metadata-key.js';

const STATUS_TITLES = new Set([
  'status',
  'state',
  'current-status',
  'decision-status',
  'document-status',
  'adr-status',
]);

/** The entry for the first top-level Status section (value blank when the section is empty), or null. */
export function readStatusSection(ctx: ExtractContext): MetadataEntry | null {
  const section = ctx.sectionList.find(
    (candidate) => candidate.depth === 1 && STATUS_TITLES.has(metadataKeyName(candidate.title)),
  );
  if (!section) return null;
  return firstLineEntry(ctx, section);
}

function firstLineEntry(ctx: ExtractContext, section: Section): MetadataEntry | null {
  const { text, lineStarts, lineEnds, opaque } = ctx;
  const headingStart = section.heading.range.start;
  const fromLine = section.heading.range.end.line + 1;
  const toLine = section.bodyRange.end.line;
  for (let line = fromLine; line <= toLine && line <= lineStarts.length; line++) {
    if (opaque[line - 1] !== LINE_OPEN) continue;
    let start = lineStarts[line - 1] as number;
    let end = lineEnds[line - 1] as number;
    if (end > section.bodyRange.end.offset) end = section.bodyRange.end.offset;
    const lineText = text.slice(start, end);
    // A list item or quote marker is decoration around the value.
    const marker = /^\s*(?:[-*+]\s+|>\s*)?/.exec(lineText);
    start += marker ? marker[0].length : 0;
    while (end > start && /\s/.test(text[end - 1] as string)) end--;
    if (end <= start) continue;
    return {
      key: section.title,
      name: 'status',
      value: text.slice(start, end),
      source: 'section',
      range: { start: headingStart, end: rangeOnLine(lineStarts, line, end, end).end },
      valueRange: rangeOnLine(lineStarts, line, start, end),
    };
  }
  // An empty Status section is still where the status belongs: report it blank, not missing.
  const headingEnd = section.heading.range.end;
  return {
    key: section.title,
    name: 'status',
    value: '',
    source: 'section',
    range: { start: headingStart, end: headingEnd },
    valueRange: { start: headingEnd, end: headingEnd },
  };
}
