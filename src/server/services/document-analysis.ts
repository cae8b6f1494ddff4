/**
 * Everything the server derives from a document's text on each save: the parsed model, the
 * template it follows, lint findings and score, the fields extracted for structured queries, the
 * per-section hashes approvals go stale by, and the text the search index holds.
 */
import { lint } from '../../core/lint/index.js';
import type { DesignDocument, Field, MetadataEntry, Section } from '../../core/model.js';
import { parse } from '../../core/parse/index.js';
import { classifyNormalized, normalizeHeadingCached } from '../../core/section-kinds.js';
import { detectTemplate } from '../../core/template/detect-template.js';
import type { TemplateSchema } from '../../core/template/schema.js';
import { sha256Digest } from '../../node/sha256.js';
import type { DocumentDerived, ExtractRecord, FindingRecord, StoredExtract } from '../data/database.js';
import { extractContentKey } from '../data/extract-content-key.js';
import type { ServiceContext } from './service-context.js';

export interface Analysis {
  doc: DesignDocument;
  schema: TemplateSchema | null;
  derived: DocumentDerived;
  findings: FindingRecord[];
  extracts: StoredExtract[];
  sectionHashes: Record<string, string>;
  searchMetadata: string;
  sha256: string;
}

export function sha256(text: string): string {
  return sha256Digest(text, 'hex');
}

/** Every section, depth first, in document order. */
export function flattenSections(sections: readonly Section[]): Section[] {
  const out: Section[] = [];
  pushSections(sections, out);
  return out;
}

// No closure made per call here: see docs/DESIGN.md, Scalability Strategy (V8 drops the
// optimised code of closures none of which is alive, and an idle analysis thread recompiled them).
function pushSections(list: readonly Section[], out: Section[]): void {
  for (const section of list) {
    out.push(section);
    pushSections(section.children, out);
  }
}

/**
 * Suffix of a key whose hash covers only the section's own text, up to its first subsection: a
 * slot covering `Data Model & Storage` claims an edit there, and the `*` slot must then see that
 * the text of `Proposed Solution` outside it did not change (`touchesSlot`). Normalised titles
 * never hold `@`.
 */
export const OWN_TEXT = '@own';

/**
 * Section key → hash of the section's text (children included). Keys are normalised titles with
 * the parent path (`performance and scalability/performance targets`), and top-level keys alone
 * (`security`) so slot coverage can name either; a section with subsections also has its own
 * text's hash under `key@own`. The Approvals section is left out: the server writes it, and an
 * approval must not go stale because another reviewer signed.
 */
export function hashSections(doc: DesignDocument): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const { key, section } of sectionKeys(doc)) {
    const start = section.range.start.offset;
    hashes[key] = sha256(textWithoutApprovals(doc.text, section)).slice(0, 16);
    const first = section.children[0];
    if (first !== undefined)
      hashes[key + OWN_TEXT] = sha256(doc.text.slice(start, first.range.start.offset)).slice(0, 16);
  }
  return hashes;
}

/**
 * The section's text without any Approvals section inside it (`### Approvals` under `## Sign-off`):
 * the server writes those lines on each verdict, and they must not make the parent look edited.
 */
function textWithoutApprovals(text: string, section: Section): string {
  const skipped: Section[] = [];
  collectApprovals(section.children, skipped);
  if (skipped.length === 0) return text.slice(section.range.start.offset, section.range.end.offset);
  let out = '';
  let at = section.range.start.offset;
  for (const approvals of skipped) {
    out += text.slice(at, approvals.range.start.offset);
    at = approvals.range.end.offset;
  }
  return out + text.slice(at, section.range.end.offset);
}

function collectApprovals(list: readonly Section[], out: Section[]): void {
  for (const section of list) {
    if (classifyNormalized(normalizeHeadingCached(section.title)) === 'approvals') out.push(section);
    else collectApprovals(section.children, out);
  }
}

/** Section key (as `hashSections` makes them) → the headings as written (`Performance & Scalability / Performance Targets`). */
export function sectionTitles(doc: DesignDocument): Record<string, string> {
  const titles: Record<string, string> = {};
  for (const { key, title } of sectionKeys(doc)) titles[key] = title;
  return titles;
}

interface KeyedSection {
  key: string;
  section: Section;
  /** The heading path as written. */
  title: string;
}

/** Every section but Approvals, depth first, with its key and its heading path as written. */
function sectionKeys(doc: DesignDocument): KeyedSection[] {
  const out: KeyedSection[] = [];
  pushSectionKeys(doc.sections, '', '', new Set<string>(), out);
  return out;
}

function pushSectionKeys(
  list: readonly Section[],
  prefix: string,
  titlePrefix: string,
  seen: Set<string>,
  out: KeyedSection[],
): void {
  for (const section of list) {
    // Normalised once, through the memo: titles repeat from save to save.
    const name = normalizeHeadingCached(section.title);
    if (classifyNormalized(name) === 'approvals') continue;
    let key = prefix + name;
    for (let n = 2; seen.has(key); n++) key = `${prefix}${name}#${n}`;
    seen.add(key);
    const title = titlePrefix + section.title;
    out.push({ key, section, title });
    pushSectionKeys(section.children, `${key}/`, `${title} / `, seen, out);
  }
}

function schemaFor(
  ctx: Pick<ServiceContext, 'templates'>,
  doc: DesignDocument,
  templateName: string | null,
): TemplateSchema | null {
  if (templateName) {
    const named = ctx.templates.get(templateName);
    if (named) return named;
  }
  const match = detectTemplate(doc, [...ctx.templates.values()]);
  return match ? (ctx.templates.get(match.name) ?? null) : null;
}

const MAX_EXTRACT_VALUE = 4000;

function extractsOf(doc: DesignDocument): StoredExtract[] {
  const sections = flattenSections(doc.sections);
  const titleOf = new Map<string, string>();
  for (const section of sections) titleOf.set(section.id, section.title);
  const out: StoredExtract[] = [];
  for (const section of sections) {
    pushExtract(out, 'section', section.title, section.title, section.body, null, section.range.start.line);
  }
  for (const field of doc.fields) {
    const title = sectionTitle(titleOf, field.sectionId);
    pushExtract(out, 'field', title, field.label, field.value, null, field.range.start.line);
  }
  for (const item of doc.items) {
    const title = sectionTitle(titleOf, item.sectionId);
    pushExtract(out, 'item', title, item.group ?? '', item.text, item.checked, item.range.start.line);
  }
  for (const question of doc.openQuestions) {
    const title = sectionTitle(titleOf, sectionAtLine(sections, question.range.start.offset));
    const status = question.status?.value ?? '';
    pushExtract(out, 'question', title, status, question.text, question.checked, question.range.start.line);
  }
  for (const decision of doc.decisions) {
    const title = sectionTitle(titleOf, decision.sectionId);
    const value = labelledLines(decision.fields, fieldLine);
    pushExtract(out, 'decision', title, decision.title, value, null, decision.range.start.line);
  }
  for (const component of doc.components) {
    const title = sectionTitle(titleOf, component.sectionId);
    const value = labelledLines(component.fields, fieldLine);
    pushExtract(out, 'component', title, component.name, value, null, component.range.start.line);
  }
  return out;
}

function pushExtract(
  out: StoredExtract[],
  kind: ExtractRecord['kind'],
  section: string,
  label: string,
  value: string,
  checked: boolean | null,
  line: number,
): void {
  const extract: StoredExtract = {
    kind,
    section,
    label,
    value: value.length > MAX_EXTRACT_VALUE ? value.slice(0, MAX_EXTRACT_VALUE) : value,
    checked,
    line,
    contentKey: '',
  };
  extract.contentKey = extractContentKey(extract);
  out.push(extract);
}

/** One line per element (`Label: value`), joined with newlines. */
function labelledLines<T>(list: readonly T[], line: (element: T) => string): string {
  let out = '';
  for (let i = 0; i < list.length; i++) out += (i === 0 ? '' : '\n') + line(list[i] as T);
  return out;
}

function fieldLine(field: Field): string {
  return `${field.label}: ${field.value}`;
}

function metadataLine(entry: MetadataEntry): string {
  return `${entry.key}: ${entry.value}`;
}

function sectionTitle(titleOf: ReadonlyMap<string, string>, id: string | null): string {
  return id === null ? '' : (titleOf.get(id) ?? '');
}

function sectionAtLine(sections: readonly Section[], offset: number): string | null {
  let found: Section | null = null;
  for (const section of sections) {
    if (section.range.start.offset > offset) break;
    if (offset < section.range.end.offset) found = section;
  }
  return found?.id ?? null;
}

/**
 * Parses and lints `text` and derives what is stored with the revision. `templateName` pins the
 * template (a document created from one keeps it); otherwise the best-fitting one is detected.
 */
export function analyzeText(
  ctx: Pick<ServiceContext, 'templates'>,
  text: string,
  options: { fileName: string | null; templateName: string | null; fallbackTitle: string },
): Analysis {
  const doc = parse(text, options.fileName === null ? {} : { fileName: options.fileName });
  const schema = schemaFor(ctx, doc, options.templateName);
  const result = lint(doc, { schema });
  const findings: FindingRecord[] = [];
  let errorCount = 0;
  for (const f of result.findings) {
    findings.push({
      ruleId: f.ruleId,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      line: f.range.start.line,
      column: f.range.start.column,
      endLine: f.range.end.line,
      endColumn: f.range.end.column,
    });
    if (f.severity === 'error') errorCount++;
  }
  const searchMetadata = labelledLines(doc.metadata, metadataLine);
  return {
    doc,
    schema,
    derived: {
      title: doc.title?.text || options.fallbackTitle,
      template: schema?.name ?? '',
      docType: doc.docType,
      status: doc.status?.lifecycle ?? null,
      statusRaw: doc.status?.raw ?? '',
      score: Math.round(result.score),
      errorCount,
      supersededBy: doc.status?.supersededBy ?? null,
    },
    findings,
    extracts: extractsOf(doc),
    sectionHashes: hashSections(doc),
    searchMetadata,
    sha256: sha256(text),
  };
}
