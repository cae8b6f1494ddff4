/**
 * Everything the server derives from a document's text on each save: the parsed model, the
 * template it follows, lint findings and score, the fields extracted for structured queries, the
 * per-section hashes approvals go stale by, and the text the search index holds.
 */
import { lint } from '../../core/lint/index.js';
import type { DesignDocument, Section } from '../../core/model.js';
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
  const walk = (list: readonly Section[]): void => {
    for (const section of list) {
      out.push(section);
      walk(section.children);
    }
  };
  walk(sections);
  return out;
}

/**
 * Section key → hash of the section's text (children included). Keys are normalised titles with
 * the parent path (`performance and scalability/performance targets`), and top-level keys alone
 * (`security`) so slot coverage can name either. The Approvals section is left out: the server
 * writes it, and an approval must not go stale because another reviewer signed.
 */
export function hashSections(doc: DesignDocument): Record<string, string> {
  const hashes: Record<string, string> = {};
  eachSectionKey(doc, (key, section) => {
    hashes[key] = sha256(doc.text.slice(section.range.start.offset, section.range.end.offset)).slice(0, 16);
  });
  return hashes;
}

/** Section key (as `hashSections` makes them) → the headings as written (`Performance & Scalability / Performance Targets`). */
export function sectionTitles(doc: DesignDocument): Record<string, string> {
  const titles: Record<string, string> = {};
  eachSectionKey(doc, (key, _section, title) => {
    titles[key] = title;
  });
  return titles;
}

/** Every section but Approvals, depth first, with its key and its heading path as written. */
function eachSectionKey(
  doc: DesignDocument,
  visit: (key: string, section: Section, title: string) => void,
): void {
  const seen = new Set<string>();
  const walk = (list: readonly Section[], prefix: string, titlePrefix: string): void => {
    for (const section of list) {
      // Normalised once, through the memo: titles repeat from save to save.
      const name = normalizeHeadingCached(section.title);
      if (classifyNormalized(name) === 'approvals') continue;
      let key = prefix + name;
      for (let n = 2; seen.has(key); n++) key = `${prefix}${name}#${n}`;
      seen.add(key);
      const title = titlePrefix + section.title;
      visit(key, section, title);
      walk(section.children, `${key}/`, `${title} / `);
    }
  };
  walk(doc.sections, '', '');
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
  const titleOf = new Map(sections.map((s) => [s.id, s.title]));
  const sectionTitle = (id: string | null): string => (id === null ? '' : (titleOf.get(id) ?? ''));
  const clip = (value: string): string =>
    value.length > MAX_EXTRACT_VALUE ? value.slice(0, MAX_EXTRACT_VALUE) : value;
  const out: ExtractRecord[] = [];
  for (const section of sections) {
    out.push({
      kind: 'section',
      section: section.title,
      label: section.title,
      value: clip(section.body),
      checked: null,
      line: section.range.start.line,
    });
  }
  for (const field of doc.fields) {
    out.push({
      kind: 'field',
      section: sectionTitle(field.sectionId),
      label: field.label,
      value: clip(field.value),
      checked: null,
      line: field.range.start.line,
    });
  }
  for (const item of doc.items) {
    out.push({
      kind: 'item',
      section: sectionTitle(item.sectionId),
      label: item.group ?? '',
      value: clip(item.text),
      checked: item.checked,
      line: item.range.start.line,
    });
  }
  for (const question of doc.openQuestions) {
    out.push({
      kind: 'question',
      section: sectionTitle(sectionAtLine(sections, question.range.start.offset)),
      label: question.status?.value ?? '',
      value: clip(question.text),
      checked: question.checked,
      line: question.range.start.line,
    });
  }
  for (const decision of doc.decisions) {
    const value = decision.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    out.push({
      kind: 'decision',
      section: sectionTitle(decision.sectionId),
      label: decision.title,
      value: clip(value),
      checked: null,
      line: decision.range.start.line,
    });
  }
  for (const component of doc.components) {
    const value = component.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    out.push({
      kind: 'component',
      section: sectionTitle(component.sectionId),
      label: component.name,
      value: clip(value),
      checked: null,
      line: component.range.start.line,
    });
  }
  return out.map((extract) => ({ ...extract, contentKey: extractContentKey(extract) }));
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
  const findings: FindingRecord[] = result.findings.map((f) => ({
    ruleId: f.ruleId,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    line: f.range.start.line,
    column: f.range.start.column,
    endLine: f.range.end.line,
    endColumn: f.range.end.column,
  }));
  const searchMetadata = doc.metadata.map((m) => `${m.key}: ${m.value}`).join('\n');
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
      errorCount: findings.filter((f) => f.severity === 'error').length,
      supersededBy: doc.status?.supersededBy ?? null,
    },
    findings,
    extracts: extractsOf(doc),
    sectionHashes: hashSections(doc),
    searchMetadata,
    sha256: sha256(text),
  };
}
