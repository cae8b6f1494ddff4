import type {
  Component,
  Criterion,
  Decision,
  DesignDocument,
  Field,
  ListItem,
  OpenQuestion,
  SourceRange,
} from '../../model.js';
import type { Report, Rule } from '../rule.js';
import { contains, firstLineOf, isBlankValue, lineStarts, quote, sectionById } from '../source-text.js';
import { itemGapsAt, templateText } from '../template-text.js';

/** Where a field or item sits, for messages: its component or decision, its group, its section. */
function placeOf(
  doc: DesignDocument,
  range: SourceRange,
  group: string | null,
  sectionId: string | null,
): string {
  const componentIndex = doc.components.findIndex((c) => contains(c.range, range));
  if (componentIndex !== -1) {
    const component = doc.components[componentIndex];
    return component && component.name.trim() !== ''
      ? `component "${component.name}"`
      : `component ${componentIndex + 1}`;
  }
  const decisionIndex = doc.decisions.findIndex((d) => contains(d.range, range));
  if (decisionIndex !== -1) {
    const decision = doc.decisions[decisionIndex];
    return decision && decision.title.trim() !== ''
      ? `decision "${decision.title}"`
      : `decision ${decisionIndex + 1}`;
  }
  const section = sectionById(doc, sectionId);
  if (group && section) return `"${group}" in "${section.title}"`;
  if (group) return `"${group}"`;
  return section ? `"${section.title}"` : 'the preamble';
}

const LIST_MARKER = /^\s*(?:[-*+]|\d+[.)])\s/;
const LABEL_LINE = /^\s*(?:(?:[-*+]|\d+[.)])\s+)?\*\*[^*]+\*\*\s*:?/;

/**
 * True when a stand-alone `**Label:**` line (not a list item) is followed by its content on the
 * next lines (a paragraph, a code block, a table), the way real documents introduce a paragraph.
 */
function labelIntroducesBlock(doc: DesignDocument, field: Field): boolean {
  const text = doc.text;
  const lineStart = text.lastIndexOf('\n', field.range.start.offset - 1) + 1;
  if (LIST_MARKER.test(text.slice(lineStart, field.range.start.offset + 2))) return false;
  let at = text.indexOf('\n', field.range.end.offset - 1);
  while (at !== -1) {
    const next = text.indexOf('\n', at + 1);
    const line = text.slice(at + 1, next === -1 ? text.length : next);
    if (line.trim() !== '' && !/^\s*<!--.*-->\s*$/.test(line)) {
      return !/^\s{0,3}#/.test(line) && !LABEL_LINE.test(line) && /[\p{L}\p{N}`|]/u.test(line);
    }
    at = next;
  }
  return false;
}

/** DD005: a field, list item, criterion, phase, goal, question or approval slot left blank. */
export const emptyField: Rule = {
  id: 'DD005',
  slug: 'empty-field',
  description:
    'Every labelled field, template list item, success criterion, phase, goal, open question and approval slot must be filled in; a list item still reading as the template wrote it counts as blank.',
  tags: ['content', 'empty'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/empty-field.md',
  check({ doc, schema }, report) {
    const template = templateText(schema);
    const claims = new LineClaims(lineStarts(doc).length + 2, report);

    for (const slot of doc.approvals) {
      if (slot.entries.length === 0)
        claims.emit(`Approval slot "${slot.name}" has no entry`, slot.nameRange, slot.range);
      else claims.claim(slot.range);
    }
    for (let i = 0; i < doc.openQuestions.length; i++) {
      const question = doc.openQuestions[i] as OpenQuestion;
      if (isBlankValue(question.text))
        claims.emit(
          `Open question ${i + 1} is empty: expected a question, found nothing`,
          firstLineOf(doc, question.range),
          question.range,
        );
      // The status line belongs to its question: blank question → one finding; filled question → question-without-status.
      if (question.status) claims.claim(question.status.range);
    }
    for (const phase of doc.phases) {
      if (isBlankValue(phase.description))
        claims.emit(
          `Phase ${phase.number} ("${phase.label}") is empty: expected a description, found nothing`,
          firstLineOf(doc, phase.range),
          phase.range,
        );
      else claims.claim(phase.range);
    }
    for (let i = 0; i < doc.successCriteria.length; i++) {
      const criterion = doc.successCriteria[i] as Criterion;
      if (isBlankValue(criterion.text))
        claims.emit(
          `Success criterion ${i + 1} is empty: expected a measurable outcome, found nothing`,
          firstLineOf(doc, criterion.range),
          criterion.range,
        );
      else claims.claim(criterion.range);
    }
    for (let i = 0; i < doc.components.length; i++) {
      const component = doc.components[i] as Component;
      if (component.name.trim() === '')
        claims.emit(
          `Component ${i + 1} has no name: expected a heading text, found nothing`,
          component.nameRange.start.offset === component.nameRange.end.offset
            ? firstLineOf(doc, component.range)
            : component.nameRange,
        );
    }
    for (let i = 0; i < doc.decisions.length; i++) {
      const decision = doc.decisions[i] as Decision;
      if (decision.title.trim() === '')
        claims.emit(
          `Decision ${i + 1} has no title: expected the choice made, found nothing`,
          firstLineOf(doc, decision.range),
        );
    }
    // Items are in source order: the ones inside a range are found by binary search.
    const itemStarts = doc.items.map(startOffset);
    for (const field of doc.fields) {
      if (!isBlankValue(field.value)) continue;
      // A label that introduces a list (`**Phases**:` then `1. …`) or a paragraph is not a blank field.
      if (filledItemWithin(doc, itemStarts, field.range)) continue;
      if (labelIntroducesBlock(doc, field)) continue;
      claims.emit(
        `Field "${field.label}" (${placeOf(doc, field.range, field.group, field.sectionId)}) is empty: expected a value, found nothing`,
        firstLineOf(doc, field.range),
        field.range,
      );
    }
    for (let i = 0; i < doc.goals.length; i++) {
      const goal = doc.goals[i] as Criterion;
      if (isBlankValue(goal.text))
        claims.emit(
          `Goal ${i + 1} is empty: expected a goal, found nothing`,
          firstLineOf(doc, goal.range),
          goal.range,
        );
    }
    for (let index = 0; index < doc.items.length; index++) {
      const item = doc.items[index] as ListItem;
      if (item.checked !== null) continue;
      if (isBlankValue(item.text)) {
        const where = placeOf(doc, item.range, item.group, item.sectionId);
        claims.emit(
          `List item under ${where} is empty: expected text, found nothing`,
          firstLineOf(doc, item.range),
          item.range,
        );
        continue;
      }
      const gaps = itemGapsAt(doc, index, template);
      if (gaps?.unchanged) {
        const where = placeOf(doc, item.range, item.group, item.sectionId);
        claims.emit(
          `List item ${quote(item.text)} under ${where} is left as in the template: expected it filled in`,
          firstLineOf(doc, item.range),
          item.range,
        );
      }
    }
  },
};

/**
 * One finding per line: the same line is often a field, an item and a goal at once, and the most
 * specific reading wins (slots and questions first, plain items last). A class rather than
 * closures made per document (docs/DESIGN.md, Scalability Strategy).
 */
class LineClaims {
  /** A byte per line (index = 1-based line): marking a range is one fill, not a Set insert per line. */
  private lines: Uint8Array;

  constructor(
    size: number,
    private readonly report: Report,
  ) {
    this.lines = new Uint8Array(size);
  }

  claim(range: SourceRange): void {
    if (range.end.line >= this.lines.length) {
      // Only a hand-built model reaches past the text's last line: grow rather than lose the claim.
      const grown = new Uint8Array(range.end.line + 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines.fill(1, Math.max(0, range.start.line), range.end.line + 1);
  }

  emit(message: string, range: SourceRange, claim: SourceRange = range): void {
    if (this.lines[claim.start.line] === 1) return;
    this.claim(claim);
    this.report({ message, range });
  }
}

function startOffset(item: ListItem): number {
  return item.range.start.offset;
}

/** Whether a filled list item lies inside `range` (`itemStarts[i]` is `doc.items[i]`'s start). */
function filledItemWithin(doc: DesignDocument, itemStarts: readonly number[], range: SourceRange): boolean {
  let lo = 0;
  let hi = itemStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((itemStarts[mid] as number) < range.start.offset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < doc.items.length && (itemStarts[i] as number) < range.end.offset; i++) {
    const item = doc.items[i] as ListItem;
    if (contains(range, item.range) && !isBlankValue(item.text)) return true;
  }
  return false;
}
