/**
 * Which template does a document follow? A document that names its template (`template:` in front
 * matter) is taken at its word; any other is scored against every known schema by the headings,
 * field labels and metadata keys the two share, and the best fit wins when it fits well enough.
 */
import type { DesignDocument, Section } from '../model.js';
import {
  fieldLabelKeys,
  groupLabelKeys,
  headingKeys,
  normalizeHeading,
  normalizeHeadingCached,
  sectionTitleKeys,
} from '../section-kinds.js';
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
  pushTopSections(doc.sections, doc.sectionLevel, found);
  return found;
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).
function pushTopSections(list: readonly Section[], level: number, found: Section[]): void {
  for (const section of list) {
    if (section.level === level) found.push(section);
    else if (section.level < level) pushTopSections(section.children, level, found);
  }
}

/** What a document offers to match against any schema: normalised once, scored against each. */
interface DocumentFeatures {
  headings: Set<string>;
  labels: Set<string>;
  /** Metadata keys and headings: metadata also shows up as a section (`## Status`). */
  keysAndHeadings: Set<string>;
  /** Normalised titles of the top-level sections, blanks left out. */
  top: string[];
}

function documentFeatures(doc: DesignDocument): DocumentFeatures {
  const headings = new Set(headingKeys(doc));
  const labels = new Set(fieldLabelKeys(doc));
  for (const key of groupLabelKeys(doc)) labels.add(key);
  const keysAndHeadings = new Set(headings);
  for (const entry of doc.metadata) keysAndHeadings.add(normalizeHeadingCached(entry.key));
  const top: string[] = [];
  for (const name of sectionTitleKeys(doc, topSections(doc))) if (name !== '') top.push(name);
  return { headings, labels, keysAndHeadings, top };
}

function hasAny(set: Set<string>, names: readonly string[]): boolean {
  for (const name of names) if (set.has(name)) return true;
  return false;
}

/** How many of the name lists have a name in `set`. */
function hitsIn(set: Set<string>, list: readonly string[][]): number {
  let hits = 0;
  for (const names of list) if (hasAny(set, names)) hits++;
  return hits;
}

function scoreFeatures(doc: DocumentFeatures, schema: TemplateSchema): number {
  const features = featuresOf(schema);
  let recall = 0;
  let shares = 0;
  if (features.top.length > 0) {
    let total = 0;
    let hit = 0;
    for (const feature of features.top) {
      total += feature.weight;
      if (hasAny(doc.headings, feature.names)) hit += feature.weight;
    }
    recall += SHARE_TOP * (hit / total);
    shares += SHARE_TOP;
  }
  for (const [list, set, share] of [
    [features.sub, doc.headings, SHARE_SUB],
    [features.labels, doc.labels, SHARE_LABELS],
    [features.metadata, doc.keysAndHeadings, SHARE_METADATA],
  ] as const) {
    if (list.length === 0) continue;
    recall += share * (hitsIn(set, list) / list.length);
    shares += share;
  }
  if (shares === 0) return 0;
  recall /= shares;

  if (doc.top.length === 0) return 0;
  let known = 0;
  for (const name of doc.top) if (features.all.has(name)) known++;
  const precision = known / doc.top.length;
  if (recall === 0 || precision === 0) return 0;
  return (2 * recall * precision) / (recall + precision);
}

/**
 * How well `doc` fits `schema`, 0–1: the harmonic mean of recall (the weighted share of the
 * schema's sections, subsections, field labels and metadata keys the document has) and precision
 * (the share of the document's top-level sections the schema knows). Precision keeps a small
 * template from claiming every long document that happens to share two headings with it.
 */
export function scoreTemplate(doc: DesignDocument, schema: TemplateSchema): number {
  return scoreFeatures(documentFeatures(doc), schema);
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
  const features = documentFeatures(doc);
  for (const schema of schemas) {
    const score = scoreFeatures(features, schema);
    if (score >= DETECTION_THRESHOLD && (best === null || score > best.score))
      best = { name: schema.name, score };
  }
  return best;
}
