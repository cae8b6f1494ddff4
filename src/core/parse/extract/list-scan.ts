/**
 * The list pass: one walk over the lines that finds labelled fields, bold groups and list items,
 * with the nesting the derived extractors (open questions, approvals, components, …) need.
 *
 * List structure follows CommonMark where it matters for design documents: an item owns the lines
 * indented to its content column, a paragraph line right after item text continues it lazily, and a
 * blank line followed by a less indented line ends the list.
 */
import type { Field, Group, ListItem } from '../../model.js';
import { LINE_CODE, LINE_HTML, LINE_OPEN, rangeAt, rangeOnLine } from '../context.js';
import type { ExtractContext } from '../context.js';
import { SectionCursor } from './section-index.js';
import type { SectionIndex } from './section-index.js';
import { indexBefore } from './bounded-search.js';

/** A field or item with the structure the derived extractors need. */
export interface ScannedEntry {
  field: Field | null;
  item: ListItem | null;
  /** Index in `ListScan.entries` of the enclosing item, -1 at the top of a list or outside lists. */
  parent: number;
  /** Index in `SectionIndex.list`, -1 in the preamble. */
  section: number;
  /** Index in `ListScan.groups`, -1 when not in a group. */
  group: number;
  /** Just after the list marker and its blank: where an entry's raw text (with checkbox) begins. */
  contentStart: number;
  /** End of the first paragraph (trimmed). */
  paragraphEnd: number;
  /** True for list entries, false for top-level `**Label**: value` lines. */
  listed: boolean;
}

export interface ScannedGroup {
  group: Group;
  section: number;
}

export interface ListScan {
  entries: ScannedEntry[];
  groups: ScannedGroup[];
  fields: Field[];
  items: ListItem[];
}

interface OpenItem {
  entry: number;
  contentIndent: number;
  start: number;
  line: number;
  textStart: number;
  checked: boolean | null;
  ordinal: number | null;
  /** Label bounds and value start for `**Label**: value` items; -1 otherwise. */
  labelStart: number;
  labelEnd: number;
  valueStart: number;
  /** End of the first paragraph and whether it is still open. */
  paragraphEnd: number;
  paragraphEndLine: number;
  inFirstParagraph: boolean;
  /** Whether the last line the item saw was paragraph text (lazy continuation possible). */
  inParagraph: boolean;
  lastEnd: number;
}

interface PendingField {
  entry: number;
  line: number;
  start: number;
  labelStart: number;
  labelEnd: number;
  valueStart: number;
  lastEnd: number;
}

const SPACE = 32;
const TAB = 9;
const STAR = 42;
const DASH = 45;
const PLUS = 43;
const UNDERSCORE = 95;
const COLON = 58;
const GT = 62;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const DOT = 46;

function isBlankCode(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Offset just past the end of the trimmed content in [start, end). */
function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlankCode(text.charCodeAt(end - 1))) end--;
  return end;
}

function skipBlanks(text: string, p: number, end: number): number {
  while (p < end && isBlankCode(text.charCodeAt(p))) p++;
  return p;
}

/** Like `skipBlanks`, across line endings too (a value that starts on the next line). */
function skipWhitespace(text: string, p: number, end: number): number {
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c !== SPACE && c !== TAB && c !== 10 && c !== 13) break;
    p++;
  }
  return p;
}

/**
 * A field whose value is blank gets an empty value range just after the separator and one blank
 * (where a value would be typed), and its range is stretched to cover it.
 */
function valueBounds(
  text: string,
  separatorEnd: number,
  lineEnd: number,
  lastEnd: number,
): { valueStart: number; valueEnd: number; end: number } {
  const valueStart = skipWhitespace(text, separatorEnd, lastEnd);
  if (valueStart < lastEnd) return { valueStart, valueEnd: lastEnd, end: lastEnd };
  const at = Math.min(separatorEnd + (text.charCodeAt(separatorEnd) === SPACE ? 1 : 0), lineEnd);
  return { valueStart: at, valueEnd: at, end: Math.max(lastEnd, at) };
}

/** `Type: Feature`-like lines end a top-level field's value instead of continuing it. */
function looksLikeKeyLine(text: string, p: number, end: number): boolean {
  const limit = Math.min(end, p + 40);
  for (let q = p; q < limit; q++) {
    const c = text.charCodeAt(q);
    if (c === COLON) return q > p && q + 1 < end && isBlankCode(text.charCodeAt(q + 1));
    if (!(
      c === SPACE ||
      c === DASH ||
      c === UNDERSCORE ||
      (c >= 48 && c <= 57) ||
      ((c | 32) >= 97 && (c | 32) <= 122)
    )) {
      return false;
    }
  }
  return false;
}

/** A thematic break (`---`, `***`, `* * *`) is not a list item even though it starts like one. */
function isThematicBreak(text: string, p: number, end: number): boolean {
  const ch = text.charCodeAt(p);
  if (ch !== DASH && ch !== STAR && ch !== UNDERSCORE) return false;
  let count = 0;
  for (let i = p; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === ch) count++;
    else if (!isBlankCode(c)) return false;
  }
  return count >= 3;
}

/**
 * A `**Label**` opening at `p`: returns the label bounds and the offset after the closing `**`, or
 * null. The label must be non-empty and on one line.
 */
function boldAt(text: string, p: number, end: number): { start: number; end: number; after: number } | null {
  if (text.charCodeAt(p) !== STAR || text.charCodeAt(p + 1) !== STAR) return null;
  const start = p + 2;
  if (start >= end || isBlankCode(text.charCodeAt(start))) return null;
  const close = indexBefore(text, '**', start, end);
  if (close < 0 || close === start) return null;
  return { start, end: close, after: close + 2 };
}

/**
 * A labelled field's shape at `p` (`**Label**: value`, `**Label:** value`); returns the label
 * bounds (trailing colon excluded) and where the value starts, or null.
 */
function fieldAt(
  text: string,
  p: number,
  end: number,
): { labelStart: number; labelEnd: number; valueStart: number } | null {
  const bold = boldAt(text, p, end);
  if (bold === null) return null;
  // `***Note**:` (bold italic) leaves its italic star inside the bold span.
  let labelStart = bold.start;
  while (labelStart < bold.end && text.charCodeAt(labelStart) === STAR) labelStart++;
  let labelEnd = trimEnd(text, labelStart, bold.end);
  if (labelEnd === labelStart) return null;
  if (text.charCodeAt(labelEnd - 1) === COLON) {
    labelEnd = trimEnd(text, labelStart, labelEnd - 1);
    if (labelEnd === labelStart) return null;
    return { labelStart, labelEnd, valueStart: bold.after };
  }
  const q = skipBlanks(text, bold.after, end);
  if (text.charCodeAt(q) !== COLON || q >= end) return null;
  return { labelStart, labelEnd, valueStart: q + 1 };
}

/**
 * A line that is only a bold label, optionally followed by a parenthesised note and a colon
 * (`**Key Endpoints** (or reference API spec)`, `**Phases**:`, `**Storage Strategy**`).
 */
function groupLabelAt(text: string, p: number, end: number): { start: number; end: number } | null {
  const bold = boldAt(text, p, end);
  if (bold === null) return null;
  let q = skipBlanks(text, bold.after, end);
  if (q < end && text.charCodeAt(q) === OPEN_PAREN) {
    const close = indexBefore(text, ')', q, end);
    if (close < 0) return null;
    q = skipBlanks(text, close + 1, end);
  }
  if (q < end && text.charCodeAt(q) === COLON) q = skipBlanks(text, q + 1, end);
  if (q !== end) return null;
  let labelEnd = trimEnd(text, bold.start, bold.end);
  if (text.charCodeAt(labelEnd - 1) === COLON) labelEnd = trimEnd(text, bold.start, labelEnd - 1);
  if (labelEnd === bold.start) return null;
  return { start: bold.start, end: labelEnd };
}

/**
 * The list marker at `p`, or null: bullets `-`, `*`, `+` and ordered `1.`/`1)` followed by a blank
 * or the line end. `width` counts the marker characters.
 */
function markerAt(text: string, p: number, end: number): { width: number; ordinal: number | null } | null {
  const c = text.charCodeAt(p);
  if (c === DASH || c === STAR || c === PLUS) {
    if (p + 1 < end && !isBlankCode(text.charCodeAt(p + 1))) return null;
    if (c !== PLUS && isThematicBreak(text, p, end)) return null;
    return { width: 1, ordinal: null };
  }
  if (c >= 48 && c <= 57) {
    let q = p;
    let n = 0;
    while (q < end && q - p < 9) {
      const d = text.charCodeAt(q);
      if (d < 48 || d > 57) break;
      n = n * 10 + (d - 48);
      q++;
    }
    const after = text.charCodeAt(q);
    if (q >= end || (after !== DOT && after !== CLOSE_PAREN)) return null;
    if (q + 1 < end && !isBlankCode(text.charCodeAt(q + 1))) return null;
    return { width: q + 1 - p, ordinal: n };
  }
  return null;
}

/** Finds fields, groups and list items in one pass over the document's open lines. */
export function scanLists(ctx: ExtractContext, sections: SectionIndex): ListScan {
  return new ListScanner(ctx, sections).run();
}

/**
 * The list pass's state and steps. A class rather than closures inside `scanLists` (no closure per call: docs/DESIGN.md, Scalability Strategy):
 * methods live as long as the module, and so does their optimised code.
 */
class ListScanner {
  private readonly text: string;
  private readonly lineStarts: readonly number[];
  private readonly lineEnds: readonly number[];
  private readonly opaque: ExtractContext['opaque'];
  private readonly sections: SectionIndex;
  private readonly cursor: SectionCursor;
  private readonly entries: ScannedEntry[] = [];
  private readonly groups: ScannedGroup[] = [];
  private readonly stack: OpenItem[] = [];
  private currentGroup = -1;
  private pendingField: PendingField | null = null;
  private previousBlank = true;
  private previousFlag: number = LINE_OPEN;
  /** Whether the previous line was top-level paragraph text (which some list markers cannot interrupt). */
  private topParagraph = false;

  constructor(ctx: ExtractContext, sections: SectionIndex) {
    this.text = ctx.text;
    this.lineStarts = ctx.lineStarts;
    this.lineEnds = ctx.lineEnds;
    this.opaque = ctx.opaque;
    this.sections = sections;
    this.cursor = new SectionCursor(sections);
  }

  private extendGroup(end: number, line: number): void {
    if (this.currentGroup < 0) return;
    const g = (this.groups[this.currentGroup] as ScannedGroup).group;
    if (end > g.range.end.offset)
      g.range.end = { line, column: end - (this.lineStarts[line - 1] as number) + 1, offset: end };
  }

  private closeItem(): void {
    const { text, lineStarts, stack, groups } = this;
    const open = stack.pop() as OpenItem;
    // Ends propagate to the parent only here, so a line costs O(1) however deep the nesting.
    const parentItem = stack[stack.length - 1];
    if (parentItem !== undefined && open.lastEnd > parentItem.lastEnd) parentItem.lastEnd = open.lastEnd;
    const entry = this.entries[open.entry] as ScannedEntry;
    const sectionId = entry.section >= 0 ? this.sections.list[entry.section]!.id : null;
    const groupLabel = entry.group >= 0 ? groups[entry.group]!.group.label : null;
    entry.paragraphEnd = open.paragraphEnd;
    if (open.labelStart >= 0) {
      const v = valueBounds(text, open.valueStart, this.lineEnds[open.line - 1] as number, open.lastEnd);
      const field: Field = {
        label: text.slice(open.labelStart, open.labelEnd),
        value: text.slice(v.valueStart, v.valueEnd),
        sectionId,
        group: groupLabel,
        range: rangeAt(lineStarts, open.start, v.end),
        labelRange: rangeOnLine(lineStarts, open.line, open.labelStart, open.labelEnd),
        valueRange: rangeAt(lineStarts, v.valueStart, v.valueEnd),
      };
      entry.field = field;
      if (entry.group >= 0) groups[entry.group]!.group.fields.push(field);
    } else {
      const item: ListItem = {
        text: text.slice(open.textStart, open.paragraphEnd),
        checked: open.checked,
        ordinal: open.ordinal,
        sectionId,
        group: groupLabel,
        range: rangeAt(lineStarts, open.start, open.lastEnd),
        textRange:
          open.paragraphEndLine === open.line
            ? rangeOnLine(lineStarts, open.line, open.textStart, open.paragraphEnd)
            : rangeAt(lineStarts, open.textStart, open.paragraphEnd),
      };
      entry.item = item;
      if (entry.group >= 0) groups[entry.group]!.group.items.push(item);
    }
  }

  private closeList(): void {
    while (this.stack.length > 0) this.closeItem();
    this.currentGroup = -1;
  }

  private closePendingField(): void {
    const f = this.pendingField;
    if (f === null) return;
    this.pendingField = null;
    const { text, lineStarts } = this;
    const entry = this.entries[f.entry] as ScannedEntry;
    const v = valueBounds(text, f.valueStart, this.lineEnds[f.line - 1] as number, f.lastEnd);
    entry.paragraphEnd = f.lastEnd;
    entry.field = {
      label: text.slice(f.labelStart, f.labelEnd),
      value: text.slice(v.valueStart, v.valueEnd),
      sectionId: entry.section >= 0 ? this.sections.list[entry.section]!.id : null,
      group: null,
      range: rangeAt(lineStarts, f.start, v.end),
      labelRange: rangeOnLine(lineStarts, f.line, f.labelStart, f.labelEnd),
      valueRange: rangeAt(lineStarts, v.valueStart, v.valueEnd),
    };
  }

  /** Marks the deepest open item as running to `end` (its ancestors learn it when it closes). */
  private extendItems(end: number, line: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined) top.lastEnd = end;
    this.extendGroup(end, line);
  }

  /** Whether the next non-blank line after `line` (1-based) starts a list. */
  private listFollows(line: number): boolean {
    const { text, lineStarts, lineEnds, opaque } = this;
    for (let j = line; j < lineStarts.length; j++) {
      if (opaque[j] !== LINE_OPEN) return false;
      const s = lineStarts[j] as number;
      const e = lineEnds[j] as number;
      const p = skipBlanks(text, s, e);
      if (p === e) continue;
      return p - s < 4 && markerAt(text, p, e) !== null;
    }
    return false;
  }

  run(): ListScan {
    const { text, lineStarts, lineEnds, opaque, sections, cursor, entries, groups, stack } = this;
    const lineCount = lineStarts.length;
    for (let i = 0; i < lineCount; i++) {
      const line = i + 1;
      const start = lineStarts[i] as number;
      const end = lineEnds[i] as number;
      let flag = opaque[i] as number;
      // `* <!-- option -->`: a list item whose content is an HTML block is still an item.
      if (flag === LINE_HTML && this.previousFlag !== LINE_HTML) {
        const q = skipBlanks(text, start, end);
        if (q - start < 4 && markerAt(text, q, end) !== null) flag = LINE_OPEN;
      }

      // Indentation in columns (tabs to the next multiple of 4) and the first non-blank offset.
      let p = start;
      let indent = 0;
      while (p < end) {
        const c = text.charCodeAt(p);
        if (c === SPACE) indent++;
        else if (c === TAB) indent += 4 - (indent % 4);
        else break;
        p++;
      }
      const blank = p === end;

      if (flag !== LINE_OPEN) {
        this.closePendingField();
        if (flag !== LINE_CODE && flag !== LINE_HTML) {
          this.closeList();
        } else if (stack.length > 0 && !blank) {
          // A code or HTML block belongs to an item when its first line is indented to the item's
          // content column; its later lines follow the first.
          const opens = this.previousFlag !== flag;
          if (opens && indent < (stack[stack.length - 1] as OpenItem).contentIndent) this.closeList();
          else {
            (stack[stack.length - 1] as OpenItem).inParagraph = false;
            this.extendItems(trimEnd(text, p, end), line);
          }
        }
        this.previousBlank = blank;
        this.previousFlag = flag;
        this.topParagraph = false;
        continue;
      }
      this.previousFlag = flag;

      if (blank) {
        this.topParagraph = false;
        this.closePendingField();
        // Only the deepest item can be in a paragraph: pushing a child ends the parent's.
        const top = stack[stack.length - 1];
        if (top !== undefined) {
          top.inParagraph = false;
          top.inFirstParagraph = false;
        }
        this.previousBlank = true;
        continue;
      }

      const contentEnd = trimEnd(text, p, end);
      // A marker four or more columns past the open item's content column is continuation text
      // (indented code cannot interrupt a paragraph), not a nested item.
      const deepest = stack.length > 0 ? (stack[stack.length - 1] as OpenItem).contentIndent : 0;
      let marker = indent < deepest + 4 ? markerAt(text, p, end) : null;
      // CommonMark: an empty item, or an ordered one not starting at 1, cannot interrupt a
      // paragraph (`1978.` wrapped onto its own line is text, not a list).
      if (
        marker !== null &&
        !this.previousBlank &&
        ((marker.ordinal !== null && marker.ordinal !== 1) || skipBlanks(text, p + marker.width, end) === end)
      ) {
        const top = stack.length > 0 ? (stack[stack.length - 1] as OpenItem) : null;
        const paragraphOpen =
          top === null ? this.topParagraph : indent >= top.contentIndent && top.inParagraph;
        if (paragraphOpen) marker = null;
      }

      if (marker !== null) {
        this.closePendingField();
        while (stack.length > 0 && (stack[stack.length - 1] as OpenItem).contentIndent > indent)
          this.closeItem();
        // An item can be nested at most 3 columns past its parent's content column.
        const parentOpen = stack.length > 0 ? (stack[stack.length - 1] as OpenItem) : null;
        if (parentOpen === null && indent >= 4) {
          this.closeList();
          this.previousBlank = false;
          continue;
        }
        if (parentOpen !== null) {
          parentOpen.inParagraph = false;
          parentOpen.inFirstParagraph = false;
        }
        const afterMarker = p + marker.width;
        let contentStart = skipBlanks(text, afterMarker, end);
        let spaces = contentStart - afterMarker;
        // Five or more blanks after the marker make indented code; the content column is then one.
        if (spaces > 4 || contentStart === end) {
          spaces = 1;
          contentStart = Math.min(afterMarker + 1, end);
        }
        const contentIndent = indent + marker.width + spaces;
        let textStart = contentStart;
        let checked: boolean | null = null;
        if (
          text.charCodeAt(textStart) === OPEN_BRACKET &&
          text.charCodeAt(textStart + 2) === CLOSE_BRACKET &&
          (textStart + 3 >= end || isBlankCode(text.charCodeAt(textStart + 3)))
        ) {
          const mark = text.charCodeAt(textStart + 1);
          if (mark === SPACE || mark === 120 || mark === 88) {
            checked = mark !== SPACE;
            textStart = skipBlanks(text, textStart + 3, end);
          }
        }
        // A blank item (`- `) runs to the line end so that its empty text range lies inside it.
        const itemEnd = Math.max(contentEnd, textStart);
        const field = checked === null ? fieldAt(text, textStart, contentEnd) : null;
        const entryIndex = entries.length;
        entries.push({
          field: null,
          item: null,
          parent: parentOpen === null ? -1 : parentOpen.entry,
          section: cursor.at(p),
          group: this.currentGroup,
          contentStart: Math.min(contentStart, contentEnd),
          paragraphEnd: contentEnd,
          listed: true,
        });
        stack.push({
          entry: entryIndex,
          contentIndent,
          start: p,
          line,
          textStart,
          checked,
          ordinal: marker.ordinal,
          labelStart: field === null ? -1 : field.labelStart,
          labelEnd: field === null ? -1 : field.labelEnd,
          valueStart: field === null ? -1 : field.valueStart,
          paragraphEnd: itemEnd,
          paragraphEndLine: line,
          inFirstParagraph: true,
          inParagraph: contentEnd > textStart,
          lastEnd: itemEnd,
        });
        this.extendItems(itemEnd, line);
        this.previousBlank = false;
        this.topParagraph = false;
        continue;
      }

      if (stack.length > 0) {
        const top = stack[stack.length - 1] as OpenItem;
        const c = text.charCodeAt(p);
        const interrupts = c === GT || isThematicBreak(text, p, end);
        if (indent >= top.contentIndent || (!this.previousBlank && top.inParagraph && !interrupts)) {
          if (top.inFirstParagraph && !this.previousBlank) {
            top.paragraphEnd = contentEnd;
            top.paragraphEndLine = line;
          }
          top.inParagraph = true;
          this.extendItems(contentEnd, line);
          this.previousBlank = false;
          continue;
        }
        this.closeList();
      }

      // A top-level line: a field, a group label, or paragraph text.
      this.previousBlank = false;
      this.topParagraph = true;
      if (text.charCodeAt(p) === STAR && indent < 4) {
        this.closePendingField();
        this.currentGroup = -1;
        const field = fieldAt(text, p, contentEnd);
        const emptyValue = field !== null && skipBlanks(text, field.valueStart, contentEnd) === contentEnd;
        const label = field === null || emptyValue ? groupLabelAt(text, p, contentEnd) : null;
        if (label !== null && this.listFollows(line)) {
          const section = cursor.at(p);
          this.currentGroup = groups.length;
          groups.push({
            section,
            group: {
              label: text.slice(label.start, label.end),
              sectionId: section >= 0 ? sections.list[section]!.id : null,
              range: rangeOnLine(lineStarts, line, p, contentEnd),
              labelRange: rangeOnLine(lineStarts, line, label.start, label.end),
              fields: [],
              items: [],
            },
          });
          // The block pass reads `**Label**` + `- ` as a group with a blank item, not a heading.
          this.topParagraph = false;
          continue;
        }
        if (field !== null) {
          const entryIndex = entries.length;
          entries.push({
            field: null,
            item: null,
            parent: -1,
            section: cursor.at(p),
            group: -1,
            contentStart: p,
            paragraphEnd: contentEnd,
            listed: false,
          });
          this.pendingField = {
            entry: entryIndex,
            line,
            start: p,
            labelStart: field.labelStart,
            labelEnd: field.labelEnd,
            valueStart: field.valueStart,
            lastEnd: contentEnd,
          };
          continue;
        }
      } else if (
        this.pendingField !== null &&
        text.charCodeAt(p) !== GT &&
        text.charCodeAt(p) !== 124 &&
        !looksLikeKeyLine(text, p, contentEnd)
      ) {
        // Paragraph text right under `**Approach**: …` continues its value.
        this.pendingField.lastEnd = contentEnd;
        continue;
      }
      this.closePendingField();
      this.currentGroup = -1;
    }
    this.closePendingField();
    this.closeList();

    const fields: Field[] = [];
    const items: ListItem[] = [];
    for (const entry of entries) {
      if (entry.field !== null) fields.push(entry.field);
      else if (entry.item !== null) items.push(entry.item);
    }
    return { entries, groups, fields, items };
  }
}
