/**
 * The completeness score, 0–100: the weighted share of what the template asks for that the document
 * fills in, minus a fixed penalty per error finding. Without a template, the share of the document's
 * own sections that have content. See docs/rules/index.md.
 */
import type { DesignDocument, Field, Finding, Group, SourceRange } from '../model.js';
import type { SchemaField, TemplateSchema } from '../template/schema.js';
import { sectionFilled } from './content.js';
import { entriesFor } from './metadata-keys.js';
import { labelKey, matchSchemaSections } from './schema-sections.js';
import { allSections, contains, isBlankValue } from './source-text.js';

/** Weights of each part the template asks for. */
export const SCORE_WEIGHTS = {
  title: 2,
  metadata: 1,
  section: 3,
  field: 1,
  group: 1,
  repeatable: 2,
  approvalSlot: 1,
} as const;
/** Points taken off per error-severity finding. */
export const ERROR_PENALTY = 5;

function fieldFilled(byKey: Map<string, Field[]>, field: SchemaField, within: SourceRange | null): boolean {
  for (const key of [field.label, ...field.aliases].map(labelKey)) {
    if (
      (byKey.get(key) ?? []).some(
        (f) => !isBlankValue(f.value) && (within === null || contains(within, f.range)),
      )
    )
      return true;
  }
  return false;
}

/** Completeness share (0–1) of a document against a schema, or against its own sections when there is none. */
export function completeness(doc: DesignDocument, schema: TemplateSchema | null): number {
  let total = 0;
  let filled = 0;
  const add = (weight: number, ok: boolean): void => {
    total += weight;
    if (ok) filled += weight;
  };
  add(
    SCORE_WEIGHTS.title,
    doc.title !== null && doc.title.text.trim() !== '' && doc.title.source !== 'file-name',
  );
  if (!schema) {
    for (const section of allSections(doc)) add(SCORE_WEIGHTS.section, sectionFilled(doc, section, null));
    return total === 0 ? 1 : filled / total;
  }
  for (const key of schema.metadata) {
    if (key.required)
      add(
        SCORE_WEIGHTS.metadata,
        entriesFor(doc, key).some((entry) => !isBlankValue(entry.value)),
      );
  }
  const byKey = new Map<string, Field[]>();
  for (const f of doc.fields) {
    const key = labelKey(f.label);
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  const groupsByKey = new Map<string, Group[]>();
  for (const g of doc.groups) {
    const key = labelKey(g.label);
    const list = groupsByKey.get(key);
    if (list) list.push(g);
    else groupsByKey.set(key, [g]);
  }
  for (const match of matchSchemaSections(doc, schema)) {
    const section = match.section;
    const weight = match.schema.required ? 1 : 0.5;
    add(SCORE_WEIGHTS.section * weight, section !== null && sectionFilled(doc, section, schema));
    for (const field of match.schema.fields)
      add(SCORE_WEIGHTS.field * weight, section !== null && fieldFilled(byKey, field, section.range));
    for (const group of match.schema.groups) {
      const found = [group.label, ...group.aliases]
        .flatMap((label) => groupsByKey.get(labelKey(label)) ?? [])
        .filter((g) => section === null || contains(section.range, g.range));
      const groupFilled = found.some(
        (g) => g.fields.some((f) => !isBlankValue(f.value)) || g.items.some((i) => !isBlankValue(i.text)),
      );
      add(SCORE_WEIGHTS.group * weight, section !== null && groupFilled);
    }
    const repeatable = match.schema.repeatable;
    if (repeatable && repeatable.min > 0) {
      const blocks: Array<{ range: SourceRange; fields: { value: string }[] }> =
        repeatable.kind === 'decision'
          ? doc.decisions
          : repeatable.kind === 'component'
            ? doc.components
            : [];
      const count = blocks.filter(
        (b) =>
          (section === null || contains(section.range, b.range)) &&
          b.fields.some((f) => !isBlankValue(f.value)),
      ).length;
      for (let i = 0; i < repeatable.min; i++) add(SCORE_WEIGHTS.repeatable * weight, count > i);
    }
  }
  for (const slot of schema.approvalSlots) {
    add(
      SCORE_WEIGHTS.approvalSlot,
      doc.approvals.some((s) => s.name.toLowerCase() === slot.name.toLowerCase() && s.entries.length > 0),
    );
  }
  return total === 0 ? 1 : filled / total;
}

/** The score: round(100 × completeness) minus ERROR_PENALTY per error finding, clamped to 0–100. */
export function score(
  doc: DesignDocument,
  schema: TemplateSchema | null,
  findings: readonly Finding[],
): number {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return Math.max(0, Math.min(100, Math.round(100 * completeness(doc, schema)) - ERROR_PENALTY * errors));
}
