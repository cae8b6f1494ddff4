/**
 * Pairs the template's sections with the document's: by normalised heading (numbering, case,
 * punctuation and `&` ignored) against the schema title and its aliases, children looked up under
 * their matched parent first. Computed once per document and schema.
 */
import type { DesignDocument, Section } from '../model.js';
import { normalizeHeading } from '../section-kinds.js';
import type { SchemaSection, TemplateSchema } from '../template/schema.js';
import { allSections } from './source-text.js';

export interface SectionMatch {
  schema: SchemaSection;
  /** The schema parent, or null for top-level schema sections. */
  parent: SchemaSection | null;
  /** The matched document section, or null when the document lacks it. */
  section: Section | null;
}

const CACHE = new WeakMap<DesignDocument, Map<TemplateSchema, SectionMatch[]>>();

function keys(section: SchemaSection): Set<string> {
  return new Set([section.title, ...section.aliases].map(normalizeHeading).filter((key) => key !== ''));
}

function descendants(section: Section): Section[] {
  const out: Section[] = [];
  const walk = (list: readonly Section[]): void => {
    for (const child of list) {
      out.push(child);
      walk(child.children);
    }
  };
  walk(section.children);
  return out;
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
  const find = (schemaSection: SchemaSection, pool: readonly Section[]): Section | null => {
    const wanted = keys(schemaSection);
    for (const section of pool) {
      if (!used.has(section) && wanted.has(normalizeHeading(section.title))) return section;
    }
    return null;
  };
  const out: SectionMatch[] = [];
  const walk = (list: readonly SchemaSection[], parent: SchemaSection | null, parentSection: Section | null): void => {
    for (const schemaSection of list) {
      if (normalizeHeading(schemaSection.title) === '') continue;
      const pool = parentSection ? descendants(parentSection) : doc.sections;
      const section = find(schemaSection, pool) ?? find(schemaSection, everything);
      if (section) used.add(section);
      out.push({ schema: schemaSection, parent, section });
      walk(schemaSection.children, schemaSection, section);
    }
  };
  walk(schema.sections, null, null);
  bySchema.set(schema, out);
  return out;
}

/** Normalised key of a field label, for matching fields against the schema and known synonyms. */
export function labelKey(label: string): string {
  return normalizeHeading(label);
}
