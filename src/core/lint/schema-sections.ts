/**
 * Pairs the template's sections with the document's: by normalised heading (numbering, case,
 * punctuation and `&` ignored) against the schema title and its aliases, children looked up under
 * their matched parent first. Computed once per document and schema.
 */
import { DocumentMap } from '../document-cache.js';
import type { DesignDocument, Section } from '../model.js';
import type { SchemaSection, TemplateSchema } from '../template/schema.js';
import { normalizeHeadingCached, sectionTitleKeys } from '../section-kinds.js';
import { allSections } from './source-text.js';

export interface SectionMatch {
  schema: SchemaSection;
  /** The schema parent, or null for top-level schema sections. */
  parent: SchemaSection | null;
  /** The matched document section, or null when the document lacks it. */
  section: Section | null;
}

const CACHE = new DocumentMap<Map<TemplateSchema, SectionMatch[]>>();

const KEYS = new WeakMap<SchemaSection, string[]>();

function keys(section: SchemaSection): string[] {
  let found = KEYS.get(section);
  if (!found) {
    found = [
      ...new Set([section.title, ...section.aliases].map(normalizeHeadingCached).filter((key) => key !== '')),
    ];
    KEYS.set(section, found);
  }
  return found;
}

/** One schema section to match, in pre-order; `parentIndex` points at its parent's step (-1 at the top). */
interface MatchStep {
  schema: SchemaSection;
  parent: SchemaSection | null;
  parentIndex: number;
}

const PLANS = new WeakMap<TemplateSchema, MatchStep[]>();

/** The schema's sections flattened once per schema; sections without a usable title are left out with their subtree. */
function planFor(schema: TemplateSchema): MatchStep[] {
  let plan = PLANS.get(schema);
  if (!plan) {
    const steps: MatchStep[] = [];
    const walk = (
      list: readonly SchemaSection[],
      parent: SchemaSection | null,
      parentIndex: number,
    ): void => {
      for (const schemaSection of list) {
        if (normalizeHeadingCached(schemaSection.title) === '') continue;
        const index = steps.length;
        steps.push({ schema: schemaSection, parent, parentIndex });
        walk(schemaSection.children, schemaSection, index);
      }
    };
    walk(schema.sections, null, -1);
    plan = steps;
    PLANS.set(schema, plan);
  }
  return plan;
}

/** What matching one document needs: its sections by normalised heading and those already taken. */
interface MatchState {
  byKey: Map<string, Section[]>;
  used: Set<Section>;
  top: Set<Section>;
}

// Module-level (no closure per call: docs/DESIGN.md, Scalability Strategy).
function findSection(
  state: MatchState,
  schemaSection: SchemaSection,
  within: Section | null,
): Section | null {
  let best: Section | null = null;
  for (const key of keys(schemaSection)) {
    for (const section of state.byKey.get(key) ?? []) {
      if (state.used.has(section)) continue;
      if (
        within &&
        !(
          within.range.start.offset < section.range.start.offset &&
          section.range.end.offset <= within.range.end.offset
        )
      )
        continue;
      if (!best || section.range.start.offset < best.range.start.offset) best = section;
      break;
    }
  }
  return best;
}

function findTopSection(state: MatchState, schemaSection: SchemaSection): Section | null {
  let best: Section | null = null;
  for (const key of keys(schemaSection)) {
    for (const section of state.byKey.get(key) ?? []) {
      if (state.used.has(section) || !state.top.has(section)) continue;
      if (!best || section.range.start.offset < best.range.start.offset) best = section;
      break;
    }
  }
  return best;
}

/** Every schema section (pre-order) with the document section it matched, or null. */
export function matchSchemaSections(doc: DesignDocument, schema: TemplateSchema): SectionMatch[] {
  let bySchema = CACHE.get(doc);
  if (!bySchema) {
    bySchema = new Map();
    CACHE.set(doc, bySchema);
  }
  const cached = bySchema.get(schema);
  if (cached) return cached;

  const used = new Set<Section>();
  const everything = allSections(doc);
  // Document sections by normalised heading, in document order.
  const byKey = new Map<string, Section[]>();
  const sectionKeys = sectionTitleKeys(doc, everything);
  for (let i = 0; i < everything.length; i++) {
    const section = everything[i] as Section;
    const key = sectionKeys[i] as string;
    const list = byKey.get(key);
    if (list) list.push(section);
    else byKey.set(key, [section]);
  }
  const state: MatchState = { byKey, used, top: new Set(doc.sections) };
  const out: SectionMatch[] = [];
  for (const step of planFor(schema)) {
    const parentSection = step.parentIndex < 0 ? null : (out[step.parentIndex] as SectionMatch).section;
    const schemaSection = step.schema;
    // Top-level schema sections prefer top-level document sections; children prefer their parent's subtree.
    const section = parentSection
      ? (findSection(state, schemaSection, parentSection) ?? findSection(state, schemaSection, null))
      : (findTopSection(state, schemaSection) ?? findSection(state, schemaSection, null));
    if (section) used.add(section);
    out.push({ schema: schemaSection, parent: step.parent, section });
  }
  // Second chance for what is still unmatched: a heading that joins the section's name to another
  // (`Consequences & Optimizations`, `Security and Privacy`) is that section. Exact names went first,
  // so a document with both `Security` and `Security and Privacy` keeps `Security`.
  for (let index = 0; index < out.length; index++) {
    const match = out[index] as SectionMatch;
    if (match.section !== null) continue;
    const step = planFor(schema)[index] as MatchStep;
    const parentSection = step.parentIndex < 0 ? null : (out[step.parentIndex] as SectionMatch).section;
    const prefixes = keys(match.schema).map((key) => `${key} and `);
    let best: Section | null = null;
    for (let i = 0; i < everything.length; i++) {
      const section = everything[i] as Section;
      if (used.has(section)) continue;
      const within = parentSection
        ? parentSection.range.start.offset < section.range.start.offset &&
          section.range.end.offset <= parentSection.range.end.offset
        : state.top.has(section);
      if (!within) continue;
      const key = sectionKeys[i] as string;
      if (prefixes.some((prefix) => key.startsWith(prefix))) {
        best = section;
        break;
      }
    }
    if (best) {
      used.add(best);
      match.section = best;
    }
  }
  bySchema.set(schema, out);
  return out;
}

/** Normalised key of a field label, for matching fields against the schema and known synonyms (memoised: labels repeat). */
export function labelKey(label: string): string {
  return normalizeHeadingCached(label);
}
