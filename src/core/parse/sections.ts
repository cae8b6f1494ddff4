/**
 * The title heading and the section tree. A document's title heading is kept out of the tree;
 * the remaining document-level headings after it nest by level into sections whose own bodies are
 * exact slices of the source, so a section can be linted, rendered or rewritten in place.
 */
import type { Heading, Section, SourceRange } from '../model.js';
import { LINE_CODE } from './context.js';
import { SlugRegistry } from './inline/slug.js';

/** Section names that open a document's body and so are not its title when several headings share the top level. */
export const COMMON_SECTION_NAMES: ReadonlySet<string> = new Set([
  'summary',
  'abstract',
  // Buildpacks-style `# Meta` blocks hold the header bullets, not the title.
  'meta',
  'metadata',
  'motivation',
  'background',
  'context',
  'status',
  'introduction',
  'overview',
  'goals',
  'non-goals',
  'goals and non-goals',
  'proposal',
  'design',
  'detailed design',
  'design details',
  'alternatives',
  'alternatives considered',
  'drawbacks',
  'prior art',
  'unresolved questions',
  'open questions',
  'references',
  'decision',
  'decision outcome',
  'considered options',
  'consequences',
  'rationale',
  'implementation',
  'guide-level explanation',
  'reference-level explanation',
  'future possibilities',
  'future work',
  'table of contents',
  'contents',
  'toc',
  'executive summary',
  'problem statement',
  'context and problem statement',
  'scope',
  'requirements',
  'risks',
  'security',
  'testing',
  'appendix',
  'conclusion',
  'metadata',
  'release signoff checklist',
]);

/** Whether `text` names a common section (case, numbering and trailing punctuation ignored). */
export function isCommonSectionName(text: string): boolean {
  const name = text
    .toLowerCase()
    .replace(/^[\s\d.)]+/, '')
    .replace(/[\s:.]+$/, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?& ?/g, ' and ');
  return COMMON_SECTION_NAMES.has(name);
}

/**
 * The heading that titles the document, or null. The first heading at the document's minimum
 * heading level is the title when it is the only heading at that level (unless it comes after
 * other headings and is a common section name such as "Unresolved questions"); when several
 * headings share the minimum level, the first heading of the document is the title if it is at
 * that level and is not a common section name.
 */
export function findTitleHeading(headings: readonly Heading[], namedElsewhere = false): Heading | null {
  const found = titleHeadingCandidate(headings);
  // Front matter that names the title leaves only an H1 to compete with it: a first `## Simple
  // Summary` under a `title:` is the first section, not the title.
  return found !== null && namedElsewhere && found.level > 1 ? null : found;
}

function titleHeadingCandidate(headings: readonly Heading[]): Heading | null {
  const first = headings[0];
  if (first === undefined) return null;
  let min = 7;
  for (const h of headings) if (h.level < min) min = h.level;
  let atMin: Heading | null = null;
  let count = 0;
  for (const h of headings) {
    if (h.level !== min) continue;
    if (count === 0) atMin = h;
    count++;
  }
  if (atMin === null) return null;
  if (count === 1) return atMin === first || !isCommonSectionName(atMin.text) ? atMin : null;
  return first.level === min && !isCommonSectionName(first.text) ? first : null;
}

/** What the section builder needs from the block pass. */
export interface SectionInput {
  text: string;
  lineStarts: readonly number[];
  lineEnds: readonly number[];
  opaque: Uint8Array;
  headings: readonly Heading[];
  titleHeading: Heading | null;
  /** Offset where the document body starts (after front matter, or after a BOM). */
  bodyStart: number;
}

export interface SectionTree {
  sections: Section[];
  sectionList: Section[];
  sectionLevel: number;
  /** Text from `bodyStart` to the first section (or the end). */
  preamble: string;
  preambleRange: SourceRange;
}

function position(lineStarts: readonly number[], line: number, offset: number): SourceRange['start'] {
  return { line: line + 1, column: offset - (lineStarts[line] as number) + 1, offset };
}

/** Line index (0-based) holding `offset`, at or after line `hint` (binary search). */
function lineOf(lineStarts: readonly number[], offset: number, hint: number): number {
  let lo = hint;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const LIST_MARKER = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const CHECKBOX = /^\[[ xX]\](?:[ \t]+|$)/;
const EMPTY_LABEL = /^\*\*[^*]+?\*\*:?$|^\*\*[^*]+?:\*\*$/;
const GROUP_LABEL = /^\*\*[^*]+?\*\*:?(?:[ \t]*\([^)]*\))?:?$/;

/** True when a line (outside code, comments removed) carries no content of its own. */
function isEmptyLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '') return true;
  const marker = LIST_MARKER.exec(line);
  if (marker !== null) {
    let rest = line.slice(marker[0].length);
    const box = CHECKBOX.exec(rest);
    if (box !== null) rest = rest.slice(box[0].length);
    rest = rest.trim();
    return rest === '' || EMPTY_LABEL.test(rest);
  }
  return EMPTY_LABEL.test(trimmed) || GROUP_LABEL.test(trimmed);
}

/**
 * Whether a body has content: anything besides blank lines, HTML comments, list items whose text
 * is empty or only an empty `**Label**:`, and bare bold labels (`**Data Layer**`, the group
 * headers of an unfilled template). Code blocks always count as content.
 */
export function bodyHasContent(input: SectionInput, start: number, end: number, startLine = 0): boolean {
  const { text, lineStarts, lineEnds, opaque } = input;
  let inComment = false;
  let l = lineOf(lineStarts, start, startLine);
  for (; l < lineStarts.length; l++) {
    const ls = Math.max(lineStarts[l] as number, start);
    if (ls >= end) break;
    const le = Math.min(lineEnds[l] as number, end);
    if (opaque[l] === LINE_CODE) return true;
    if (!inComment) {
      // Fast exit: a line starting with anything but a list marker, bold or `<` is content.
      let p = ls;
      while (p < le && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
      if (p === le) continue;
      const c = text.charCodeAt(p);
      if (c !== 45 && c !== 42 && c !== 43 && c !== 60 && !(c >= 48 && c <= 57)) return true;
    }
    let line = text.slice(ls, le);
    let rest = '';
    for (;;) {
      if (inComment) {
        const close = line.indexOf('-->');
        if (close === -1) {
          line = '';
          break;
        }
        line = line.slice(close + 3);
        inComment = false;
      }
      const open = line.indexOf('<!--');
      if (open === -1) break;
      rest += line.slice(0, open);
      line = line.slice(open + 4);
      inComment = true;
    }
    rest += line;
    if (!isEmptyLine(rest)) return true;
  }
  return false;
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).
function closeSection(section: Section, lineStarts: readonly number[], line: number, end: number): void {
  section.range = { start: section.range.start, end: position(lineStarts, line, end) };
}

/**
 * Builds the section tree. Headings before the title heading belong to the preamble; the others
 * nest by level. `sectionLevel` is the minimum level among them (2 when there are none). A
 * section's range runs from the start of its heading line to the next heading line of the same or
 * a higher level; its own body from the line after its heading to the next heading line of any
 * level (or the end of the text).
 */
export function buildSectionTree(input: SectionInput): SectionTree {
  const { text, lineStarts, headings, titleHeading } = input;
  const lastLine = lineStarts.length - 1;
  const slugs = new SlugRegistry();
  const ids: string[] = [];
  let startIndex = 0;
  for (let i = 0; i < headings.length; i++) {
    const h = headings[i] as Heading;
    ids.push(slugs.slug(h.text));
    if (h === titleHeading) startIndex = i + 1;
  }
  let sectionLevel = 7;
  for (let i = startIndex; i < headings.length; i++)
    sectionLevel = Math.min(sectionLevel, (headings[i] as Heading).level);
  if (sectionLevel === 7) sectionLevel = 2;

  const sections: Section[] = [];
  const sectionList: Section[] = [];
  const stack: Section[] = [];
  for (let i = startIndex; i < headings.length; i++) {
    const h = headings[i] as Heading;
    // Line indices are known from the headings, so no position needs a search.
    const line = h.range.start.line - 1;
    const start = lineStarts[line] as number;
    while (stack.length > 0 && (stack[stack.length - 1] as Section).level >= h.level) {
      closeSection(stack.pop() as Section, lineStarts, line, start);
    }
    const next = headings[i + 1];
    let bodyLine = h.range.end.line;
    let bodyStart = text.length;
    if (bodyLine <= lastLine) bodyStart = lineStarts[bodyLine] as number;
    else bodyLine = lastLine;
    let bodyEndLine = lastLine;
    let bodyEnd = text.length;
    if (next !== undefined) {
      bodyEndLine = next.range.start.line - 1;
      bodyEnd = lineStarts[bodyEndLine] as number;
    }
    const parent = stack[stack.length - 1];
    const startPosition = { line: line + 1, column: 1, offset: start };
    const section: Section = {
      id: ids[i] as string,
      title: h.text,
      heading: h,
      level: h.level,
      depth: parent === undefined ? 1 : parent.depth + 1,
      range: { start: startPosition, end: startPosition },
      bodyRange: {
        start: position(lineStarts, bodyLine, bodyStart),
        end: position(lineStarts, bodyEndLine, bodyEnd),
      },
      body: text.slice(bodyStart, bodyEnd),
      hasContent: bodyHasContent(input, bodyStart, bodyEnd, bodyLine),
      children: [],
    };
    if (parent === undefined) sections.push(section);
    else parent.children.push(section);
    sectionList.push(section);
    stack.push(section);
  }
  while (stack.length > 0) closeSection(stack.pop() as Section, lineStarts, lastLine, text.length);

  const firstSection = sectionList[0];
  const bodyStart = Math.min(input.bodyStart, text.length);
  const preambleEnd =
    firstSection === undefined ? text.length : Math.max(firstSection.range.start.offset, bodyStart);
  const preambleStartLine = lineOf(lineStarts, bodyStart, 0);
  return {
    sections,
    sectionList,
    sectionLevel,
    preamble: text.slice(bodyStart, preambleEnd),
    preambleRange: {
      start: position(lineStarts, preambleStartLine, bodyStart),
      end: position(lineStarts, lineOf(lineStarts, preambleEnd, preambleStartLine), preambleEnd),
    },
  };
}
