/**
 * Which template does a document follow? A document that names its template (`template:` in front
 * matter) is taken at its word; any other is scored against every known schema by the headings,
 * field labels and metadata keys the two share, and the best fit wins when it fits well enough.
 */
import type { DesignDocument, Section } from '../model.js';
import { normalizeHeading } from '../section-kinds.js';
import type { SchemaSection, TemplateSchema } from './schema.js';

/** The best-fitting template and how well it fits (0–1; 1 when the document names it). */
export interface TemplateMatch {
  name: string;
  score: number;
}

/** Below this score no template is claimed: the document follows none of them closely enough. */
export const DETECTION_THRESHOLD = 0.3;

// How much each kind of evidence counts toward recall, when the schema has that kind at all.
const SHARE_TOP = 0.6;
const SHARE_SUB = 0.15;
const SHARE_LABELS = 0.1;
const SHARE_METADATA = 0.15;

/** A set of names a schema part answers to: its title and aliases, normalised. */
function namesOf(title: string, aliases: readonly string[]): string[] {
  return [title, ...aliases].map(normalizeHeading).filter((name) => name !== '');
}

interface Features {
  top: Array<{ names: string[]; weight: number }>;
  sub: string[][];
  labels: string[][];
  metadata: string[][];
  /** Every heading name the schema knows, for precision: sections, subsections, metadata keys. */
  all: Set<string>;
}

// Schemas are immutable once compiled; detection runs per document, so their features are kept.
const featureCache = new WeakMap<TemplateSchema, Features>();

function featuresOf(schema: TemplateSchema): Features {
  const cached = featureCache.get(schema);
  if (cached) return cached;
  const features: Features = { top: [], sub: [], labels: [], metadata: [], all: new Set() };
  const labels = new Map<string, string[]>();
  const addLabel = (label: string, aliases: readonly string[]): void => {
    const names = namesOf(label, aliases);
    if (names[0] !== undefined && !labels.has(names[0])) labels.set(names[0], names);
  };
  const walk = (section: SchemaSection, top: boolean): void => {
    const names = namesOf(section.title, section.aliases);
    for (const name of names) features.all.add(name);
    if (top) features.top.push({ names, weight: section.required ? 1 : 0.5 });
    else features.sub.push(names);
    for (const field of section.fields) addLabel(field.label, field.aliases);
    for (const group of section.groups) {
      addLabel(group.label, group.aliases);
      for (const field of group.fields) addLabel(field.label, field.aliases);
    }
    for (const field of section.repeatable?.fields ?? []) addLabel(field.label, field.aliases);
    for (const child of section.children) walk(child, false);
  };
  for (const section of schema.sections) walk(section, true);
  features.labels = [...labels.values()];
  for (const key of schema.metadata) {
    const names = namesOf(key.key, key.aliases);
    features.metadata.push(names);
    for (const name of names) features.all.add(name);
  }
  featureCache.set(schema, features);
  return features;
}

/** Top-level sections of the document, looking through a wrapping H1. */
function topSections(doc: DesignDocument): Section[] {
  const found: Section[] = [];
  const visit = (list: readonly Section[]): void => {
    for (const section of list) {
      if (section.level === doc.sectionLevel) found.push(section);
      else if (section.level < doc.sectionLevel) visit(section.children);
    }
  };
  visit(doc.sections);
  return found;
}

/**
 * How well `doc` fits `schema`, 0–1: the harmonic mean of recall (the weighted share of the
 * schema's sections, subsections, field labels and metadata keys the document has) and precision
 * (the share of the document's top-level sections the schema knows). Precision keeps a small
 * template from claiming every long document that happens to share two headings with it.
 */
export function scoreTemplate(doc: DesignDocument, schema: TemplateSchema): number {
  const features = featuresOf(schema);
  const headings = new Set(doc.headings.map((heading) => normalizeHeading(heading.text)));
  const labels = new Set(
    [...doc.fields.map((field) => field.label), ...doc.groups.map((group) => group.label)].map(
      normalizeHeading,
    ),
  );
  const keys = new Set(doc.metadata.map((entry) => normalizeHeading(entry.key)));
  const has = (set: Set<string>, names: readonly string[]): boolean => names.some((name) => set.has(name));

  let recall = 0;
  let shares = 0;
  if (features.top.length > 0) {
    const total = features.top.reduce((sum, feature) => sum + feature.weight, 0);
    const hit = features.top.reduce(
      (sum, feature) => sum + (has(headings, feature.names) ? feature.weight : 0),
      0,
    );
    recall += SHARE_TOP * (hit / total);
    shares += SHARE_TOP;
  }
  const part = (list: readonly string[][], set: Set<string>, share: number): void => {
    if (list.length === 0) return;
    recall += share * (list.filter((names) => has(set, names)).length / list.length);
    shares += share;
  };
  part(features.sub, headings, SHARE_SUB);
  part(features.labels, labels, SHARE_LABELS);
  // Metadata also shows up as a section (`## Status`) in many decision records.
  part(features.metadata, new Set([...keys, ...headings]), SHARE_METADATA);
  if (shares === 0) return 0;
  recall /= shares;

  const docTop = topSections(doc)
    .map((section) => normalizeHeading(section.title))
    .filter((name) => name !== '');
  if (docTop.length === 0) return 0;
  const precision = docTop.filter((name) => features.all.has(name)).length / docTop.length;
  if (recall === 0 || precision === 0) return 0;
  return (2 * recall * precision) / (recall + precision);
}

/**
 * Picks the template a document follows. `doc.template` wins when it names one of `schemas`;
 * otherwise each schema is scored (see `scoreTemplate`) and the best is returned when it reaches
 * `DETECTION_THRESHOLD`. Ties go to the schema listed first. Returns null when nothing fits.
 */
export function detectTemplate(
  doc: DesignDocument,
  schemas: readonly TemplateSchema[],
): TemplateMatch | null {
  if (doc.template !== null) {
    const named = normalizeHeading(doc.template);
    const schema = schemas.find((candidate) => normalizeHeading(candidate.name) === named);
    if (schema) return { name: schema.name, score: 1 };
  }
  let best: TemplateMatch | null = null;
  for (const schema of schemas) {
    const score = scoreTemplate(doc, schema);
    if (score >= DETECTION_THRESHOLD && (best === null || score > best.score))
      best = { name: schema.name, score };
  }
  return best;
}
