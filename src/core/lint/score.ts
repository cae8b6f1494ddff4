/**
 * The completeness score, 0–100: the weighted share of what the template asks for that the document
 * fills in, minus a fixed penalty per error finding. Without a template, the share of the document's
 * own sections that have content. See docs/rules/index.md.
 */
import type { DesignDocument, Field, Finding, Group, SourceRange } from '../model.js';
import type { SchemaSection, TemplateSchema } from '../template/schema.js';
import { fieldLabelKeys, groupLabelKeys } from '../section-kinds.js';
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

/** Normalised keys of a label and its aliases, duplicates dropped. */
function keysOf(label: string, aliases: readonly string[]): string[] {
  return [...new Set([label, ...aliases].map(labelKey))];
}

/** What the score needs from one schema section, normalised once per schema. */
interface SectionPlan {
  fieldKeys: string[][];
  groupKeys: string[][];
}

interface ScorePlan {
  sections: Map<SchemaSection, SectionPlan>;
  slotNames: string[];
}

const PLANS = new WeakMap<TemplateSchema, ScorePlan>();

/** The schema's labels as match keys, computed once per schema: they are the same for every document. */
function planFor(schema: TemplateSchema): ScorePlan {
  let plan = PLANS.get(schema);
  if (!plan) {
    const sections = new Map<SchemaSection, SectionPlan>();
    const walk = (list: readonly SchemaSection[]): void => {
      for (const section of list) {
        sections.set(section, {
          fieldKeys: section.fields.map((field) => keysOf(field.label, field.aliases)),
          groupKeys: section.groups.map((group) => keysOf(group.label, group.aliases)),
        });
        walk(section.children);
      }
    };
    walk(schema.sections);
    plan = { sections, slotNames: schema.approvalSlots.map((slot) => slot.name.toLowerCase()) };
    PLANS.set(schema, plan);
  }
  return plan;
}

/**
 * Items keyed by normalised label (`keys[i]` is the key of `list[i]`), keeping only the filled
 * ones: blankness is tested once per item.
 */
function filledByKey<T>(
  list: readonly T[],
  keys: readonly string[],
  isFilled: (item: T) => boolean,
): Map<string, T[]> {
  const byKey = new Map<string, T[]>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as T;
    if (!isFilled(item)) continue;
    const key = keys[i] as string;
    const found = byKey.get(key);
    if (found) found.push(item);
    else byKey.set(key, [item]);
  }
  return byKey;
}

/** True when some item under one of the keys lies within the range. */
function anyWithin(
  byKey: Map<string, Array<{ range: SourceRange }>>,
  keys: readonly string[],
  within: SourceRange,
): boolean {
  for (const key of keys) {
    const found = byKey.get(key);
    if (found) for (const item of found) if (contains(within, item.range)) return true;
  }
  return false;
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).
class Tally {
  total = 0;
  filled = 0;

  add(weight: number, ok: boolean): void {
    this.total += weight;
    if (ok) this.filled += weight;
  }

  share(): number {
    return this.total === 0 ? 1 : this.filled / this.total;
  }
}

function hasValue(entry: { value: string }): boolean {
  return !isBlankValue(entry.value);
}

function groupFilled(group: Group): boolean {
  return group.fields.some(hasValue) || group.items.some(itemFilled);
}

function itemFilled(item: { text: string }): boolean {
  return !isBlankValue(item.text);
}

/** Completeness share (0–1) of a document against a schema, or against its own sections when there is none. */
export function completeness(doc: DesignDocument, schema: TemplateSchema | null): number {
  const tally = new Tally();
  tally.add(
    SCORE_WEIGHTS.title,
    doc.title !== null && doc.title.text.trim() !== '' && doc.title.source !== 'file-name',
  );
  if (!schema) {
    for (const section of allSections(doc))
      tally.add(SCORE_WEIGHTS.section, sectionFilled(doc, section, null));
    return tally.share();
  }
  const plan = planFor(schema);
  for (const key of schema.metadata) {
    if (key.required) tally.add(SCORE_WEIGHTS.metadata, entriesFor(doc, key).some(hasValue));
  }
  let fieldsByKey: Map<string, Field[]> | null = null;
  let groupsByKey: Map<string, Group[]> | null = null;
  for (const match of matchSchemaSections(doc, schema)) {
    const section = match.section;
    const weight = match.schema.required ? 1 : 0.5;
    const sectionPlan = plan.sections.get(match.schema);
    if (section === null || !sectionPlan) {
      // Nothing of a missing section can be filled: only its weights count.
      tally.total += SCORE_WEIGHTS.section * weight;
      tally.total += SCORE_WEIGHTS.field * weight * match.schema.fields.length;
      tally.total += SCORE_WEIGHTS.group * weight * match.schema.groups.length;
      const repeatable = match.schema.repeatable;
      if (repeatable && repeatable.min > 0) tally.total += SCORE_WEIGHTS.repeatable * weight * repeatable.min;
      continue;
    }
    tally.add(SCORE_WEIGHTS.section * weight, sectionFilled(doc, section, schema));
    if (sectionPlan.fieldKeys.length > 0) {
      fieldsByKey ??= filledByKey(doc.fields, fieldLabelKeys(doc), hasValue);
      for (const keys of sectionPlan.fieldKeys)
        tally.add(SCORE_WEIGHTS.field * weight, anyWithin(fieldsByKey, keys, section.range));
    }
    if (sectionPlan.groupKeys.length > 0) {
      groupsByKey ??= filledByKey(doc.groups, groupLabelKeys(doc), groupFilled);
      for (const keys of sectionPlan.groupKeys)
        tally.add(SCORE_WEIGHTS.group * weight, anyWithin(groupsByKey, keys, section.range));
    }
    const repeatable = match.schema.repeatable;
    if (repeatable && repeatable.min > 0) {
      const blocks: Array<{ range: SourceRange; fields: { value: string }[] }> =
        repeatable.kind === 'decision'
          ? doc.decisions
          : repeatable.kind === 'component'
            ? doc.components
            : [];
      let count = 0;
      for (const block of blocks)
        if (contains(section.range, block.range) && block.fields.some(hasValue)) count++;
      for (let i = 0; i < repeatable.min; i++) tally.add(SCORE_WEIGHTS.repeatable * weight, count > i);
    }
  }
  if (plan.slotNames.length > 0) {
    const named = new Set<string>();
    for (const slot of doc.approvals) if (slot.entries.length > 0) named.add(slot.name.toLowerCase());
    for (const name of plan.slotNames) tally.add(SCORE_WEIGHTS.approvalSlot, named.has(name));
  }
  return tally.share();
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
