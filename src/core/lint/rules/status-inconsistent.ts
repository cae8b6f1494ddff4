import type { ApprovalEntry, ApprovalSlot, DesignDocument, Lifecycle, SourceRange } from '../../model.js';
import type { SchemaApprovalSlot, TemplateSchema } from '../../template/schema.js';
import { createStatusNormalizer } from '../../status.js';
import type { Rule, StatusWords } from '../rule.js';
import { entriesFor } from '../metadata-keys.js';
import { isUnresolvedQuestion } from '../unresolved-questions.js';
import { firstLineOf, isBlankValue, plainValue, quote } from '../source-text.js';

const NORMALIZERS = new WeakMap<StatusWords, ReturnType<typeof createStatusNormalizer>>();

function lifecycleOf(raw: string, fallback: Lifecycle | null, words: StatusWords): Lifecycle | null {
  if (Object.keys(words).length === 0) return fallback;
  let normalize = NORMALIZERS.get(words);
  if (!normalize) {
    normalize = createStatusNormalizer(words as Partial<Record<Lifecycle, readonly string[]>>);
    NORMALIZERS.set(words, normalize);
  }
  return normalize(raw).lifecycle;
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).

/** Slots with no entry: every one without a template, the required ones with it. */
function emptySlots(doc: DesignDocument, schema: TemplateSchema | null): ApprovalSlot[] {
  const empty: ApprovalSlot[] = [];
  for (const slot of doc.approvals) {
    if (slot.entries.length > 0) continue;
    if (schema === null || isRequiredSlot(schema, slot.name)) empty.push(slot);
  }
  return empty;
}

function isRequiredSlot(schema: TemplateSchema, name: string): boolean {
  const lower = name.toLowerCase();
  for (const slot of schema.approvalSlots)
    if (slot.required && slot.name.toLowerCase() === lower) return true;
  return false;
}

/** Required slots of the template the document does not have at all. */
function absentSlots(doc: DesignDocument, schema: TemplateSchema): SchemaApprovalSlot[] {
  const present = new Set<string>();
  for (const slot of doc.approvals) present.add(slot.name.toLowerCase());
  const absent: SchemaApprovalSlot[] = [];
  for (const slot of schema.approvalSlots)
    if (slot.required && !present.has(slot.name.toLowerCase())) absent.push(slot);
  return absent;
}

/** Approval entries that read as a sign-off: an approving verdict, or a name with a date. */
function signedEntries(doc: DesignDocument): Array<{ slot: ApprovalSlot; entry: ApprovalEntry }> {
  const signed: Array<{ slot: ApprovalSlot; entry: ApprovalEntry }> = [];
  for (const slot of doc.approvals)
    for (const entry of slot.entries)
      if (entry.verdict === 'approved' || (entry.verdict === null && entry.date !== null))
        signed.push({ slot, entry });
  return signed;
}

/** DD014: the Status disagrees with the rest of the document. */
export const statusInconsistent: Rule = {
  id: 'DD014',
  slug: 'status-inconsistent',
  description:
    'The Status must agree with the content: Approved or later needs every open question checked and every required approval slot filled; Draft should not carry approvals; Superseded must name its successor.',
  tags: ['lifecycle', 'approvals', 'questions'],
  defaultSeverity: 'error',
  fixable: false,
  docs: 'docs/rules/status-inconsistent.md',
  check({ doc, schema, statusWords }, report) {
    const status = doc.status;
    if (!status || isBlankValue(status.raw)) return;
    const lifecycle = lifecycleOf(status.raw, status.lifecycle, statusWords);
    if (!lifecycle) return;
    const raw = plainValue(status.raw);
    const range: SourceRange =
      status.entry.source === 'sidecar'
        ? firstLineOf(
            doc,
            doc.title?.range ?? {
              start: { line: 1, column: 1, offset: 0 },
              end: { line: 1, column: 1, offset: 0 },
            },
          )
        : status.entry.valueRange.start.offset === status.entry.valueRange.end.offset
          ? firstLineOf(doc, status.entry.range)
          : status.entry.valueRange;

    if (lifecycle === 'approved' || lifecycle === 'implemented') {
      // Only a checkbox can be ticked: plain bullets under an RFC's "Unresolved questions" are
      // its history once it is implemented, and asking to check them asks the impossible.
      const open = doc.openQuestions.filter(isUnresolvedQuestion);
      const first = open[0];
      if (first) {
        report({
          message: `Status ${quote(raw)} with ${open.length} open question${open.length === 1 ? '' : 's'}: expected every open question checked or resolved, found ${quote(first.text)} unchecked`,
          range,
          related: {
            message: 'Unchecked open question',
            range:
              first.textRange.start.offset === first.textRange.end.offset ? first.range : first.textRange,
          },
        });
      }
      const empty = emptySlots(doc, schema);
      // Required slots the document dropped altogether are as empty as blank ones.
      const absent = schema && doc.approvals.length > 0 ? absentSlots(doc, schema) : [];
      const firstEmpty = empty[0];
      if (firstEmpty || absent.length > 0) {
        const names: string[] = [];
        for (const slot of empty) names.push(`"${slot.name}"`);
        for (const slot of absent) names.push(`"${slot.name}"`);
        report({
          message: `Status ${quote(raw)} with empty approval slots: expected every required slot signed, found ${names.join(', ')} empty`,
          range,
          ...(firstEmpty
            ? {
                related: {
                  message: `Approval slot "${firstEmpty.name}" has no entry`,
                  range: firstEmpty.nameRange,
                },
              }
            : {}),
        });
      }
    }

    if (lifecycle === 'draft') {
      const signed = signedEntries(doc);
      const first = signed[0];
      if (first) {
        report({
          severity: 'warning',
          message: `Status ${quote(raw)} with approvals filled: expected no sign-off on a draft (or a later status), found ${quote(first.entry.raw)} in "${first.slot.name}"`,
          range,
          related: { message: 'Approval entry', range: first.entry.range },
        });
      }
    }

    if (lifecycle === 'superseded' && !status.supersededBy) {
      const named = ['Superseded By', 'Superseded-By', 'Replaced By'].some((key) =>
        entriesFor(doc, key).some((entry) => !isBlankValue(entry.value)),
      );
      if (!named)
        report({
          message: `Status ${quote(raw)} without a successor: expected "Superseded by <document>", found none named`,
          range,
        });
    }
  },
};
