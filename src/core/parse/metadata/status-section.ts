/**
 * The ADR style: a top-level `## Status` section whose first line is the status (`Accepted`,
 * `✅ Accepted`, `Superseded by [ADR-0012](…)`, `- Status: [ACCEPTED](…)`); failing that, a
 * deeper one (`## Summary` › `### Status`) whose first line names a lifecycle.
 */
import type { MetadataEntry, Section } from '../../model.js';
import type { StatusNormalizer } from '../../status.js';
import { LINE_OPEN, rangeOnLine, type ExtractContext } from '../context.js';
import { metadataKeyName } from './metadata-key.js';

/** `Status:` / `**Status:**` repeated on the section's first line (Aries RFCs): not part of the value. */
const REPEATED_KEY = /^(?:\*\*|__)?(?:status|state)(?:\*\*|__)?[ \t]*:[ \t]*(?:(?:\*\*|__)[ \t]*)?/i;

const STATUS_TITLES = new Set([
  'status',
  'state',
  'current-status',
  'decision-status',
  'document-status',
  'adr-status',
]);

const MAY_BE_STATUS = /stat/i;

/** The entry for the first top-level Status section (value blank when the section is empty), or null. */
export function readStatusSection(ctx: ExtractContext, normalize: StatusNormalizer): MetadataEntry | null {
  let nested: Section | null = null;
  for (const candidate of ctx.sectionList) {
    // Every status title contains "stat": most sections are ruled out without building a key.
    if (!MAY_BE_STATUS.test(candidate.title) || !STATUS_TITLES.has(metadataKeyName(candidate.title)))
      continue;
    if (candidate.depth === 1) return firstLineEntry(ctx, candidate);
    nested ??= candidate;
  }
  if (nested === null) return null;
  // A nested Status section may be about anything (`### Status` of a migration): only a first
  // line that reads as a lifecycle makes it the document's status.
  const entry = firstLineEntry(ctx, nested);
  return entry !== null && entry.value !== '' && normalize(entry.value).lifecycle !== null ? entry : null;
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
    const repeated = REPEATED_KEY.exec(text.slice(start, end));
    if (repeated) start += repeated[0].length;
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
