/**
 * Compiles a markdown template into the schema the linter, `new` and detection work from. The
 * schema is read off the skeleton itself — its headings, `- **Label**:` fields, bold groups,
 * repeated `####` blocks, phases, open questions, approval slots and metadata lines — so a team
 * adds a document type by writing markdown, never code.
 */
import { DesignDocError } from '../errors.js';
import type { RuleRegistry } from '../lint/registry.js';
import type { DesignDocument, Field, Group, Section } from '../model.js';
import { parse } from '../parse/index.js';
import { classifySection, normalizeHeading } from '../section-kinds.js';
import type {
  SchemaApprovalSlot,
  SchemaField,
  SchemaGroup,
  SchemaMetadataKey,
  SchemaRepeatable,
  SchemaSection,
  SchemaSectionKind,
  TemplateSchema,
} from './schema.js';
import {
  readTemplateOptions,
  splitTemplateFrontMatter,
  type Located,
  type TemplateOptions,
} from './template-options.js';

/** The status words a template allows when its front matter names none. */
export const DEFAULT_STATUSES: readonly string[] = [
  'draft',
  'in review',
  'approved',
  'implemented',
  'rejected',
  'withdrawn',
  'deferred',
  'superseded',
  'deprecated',
];

/** The Version pattern a template gets when its front matter sets none. */
export const DEFAULT_VERSION_PATTERN = '^\\d+(\\.\\d+){0,2}$';

// Performance targets need a number: these labels are measurable wherever they appear.
const MEASURABLE_LABEL =
  /\b(?:latency|latencies|throughput|availability|uptime|error rate|error budget|response time|durability|rps|qps|tps|p50|p90|p95|p99|p999|rto|rpo|recovery time|recovery point)\b/i;

// `(optional)`, `(if applicable)`, `<!-- optional -->` after a heading or label make it optional.
const OPTIONAL_MARK =
  /\((?:optional|if applicable|if any|if needed|where applicable)\)|<!--\s*optional\s*-->/i;
const OPTIONAL_MARK_GLOBAL = new RegExp(OPTIONAL_MARK.source, 'gi');

// `Decision 1:`, `Option 2 -`, `Step 3.` with nothing after: a numbered block to repeat.
const NUMBERED_HEADING = /^(.*?\S)\s+(\d+)\s*([:.)\-–—]?)\s*(.*)$/;
const PHASE_LABEL = /^phase\s+\d+$/i;

/** Options for `compileTemplate` beyond the contract's name and text. */
export interface CompileTemplateOptions {
  /** The template's file, named in errors. */
  fileName?: string;
  /** The rules the front matter's `rules` may name and set options of; the built-ins by default. */
  registry?: RuleRegistry;
}

/**
 * Compiles a template (optional YAML front matter, then a markdown skeleton) into a
 * `TemplateSchema`. `name` is used when the front matter sets none. Headings become sections
 * (top-level ones required unless the front matter says otherwise), `- **Label**:` lines fields,
 * bold lines followed by lists groups, numbered or blank child headings a repeatable block, bold
 * groups under Approvals approval slots, and the `Key:` lines before the first section metadata
 * keys. Throws `DD_E_TEMPLATE_INVALID`, naming the template, line and key, when the front matter
 * does not parse, has an unknown key or a value of the wrong shape, sets an unknown rule or rule
 * option (or a value the option does not accept), or names something the skeleton does not have.
 */
export function compileTemplate(
  name: string,
  markdown: string,
  compileOptions: CompileTemplateOptions = {},
): TemplateSchema {
  const file = compileOptions.fileName ?? null;
  const split = splitTemplateFrontMatter(markdown);
  const options = readTemplateOptions(name, split, file, compileOptions.registry);
  const skeleton = split.skeleton;
  const doc = parse(skeleton, { fileName: file ?? `${name}.md` });
  const compiler = new SchemaCompiler(name, doc, skeleton, options, file);
  return compiler.compile();
}

/** Turns a file-name-like string into a template name: `Team RFC` → `team-rfc`. */
function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'template'
  );
}

const ACRONYMS = new Set(['adr', 'rfc', 'api', 'kep', 'cfp']);

/** `design-document` → `Design Document`, `adr` → `ADR`. */
function humanize(name: string): string {
  return name
    .split(/[-_\s]+/)
    .filter((word) => word !== '')
    .map((word) =>
      ACRONYMS.has(word) ? word.toUpperCase() : `${word.charAt(0).toUpperCase()}${word.slice(1)}`,
    )
    .join(' ');
}

function stripOptionalMark(text: string): string {
  return text.replace(OPTIONAL_MARK_GLOBAL, '').replace(/\s+/g, ' ').trim();
}

function within(offset: number, start: number, end: number): boolean {
  return offset >= start && offset < end;
}

/** One compile run: the parsed skeleton plus the front matter, and what the options referred to. */
class SchemaCompiler {
  private readonly lines: string[];
  private readonly aliases = new Map<string, string[]>();
  private readonly requiredNames = new Map<string, Located<string>>();
  private readonly optionalNames = new Map<string, Located<string>>();
  /** Normalised names of everything the skeleton defines, to validate the options against. */
  private readonly known = new Set<string>();
  private readonly questionRanges: Array<[number, number]>;

  constructor(
    private readonly fallbackName: string,
    private readonly doc: DesignDocument,
    private readonly skeleton: string,
    private readonly options: TemplateOptions,
    private readonly file: string | null,
  ) {
    this.lines = skeleton.split(/\r\n|\r|\n/);
    for (const { value } of options.synonyms) {
      const key = normalizeHeading(value.heading);
      this.aliases.set(key, [...(this.aliases.get(key) ?? []), ...value.aliases]);
    }
    for (const entry of options.required) this.requiredNames.set(normalizeHeading(entry.value), entry);
    for (const entry of options.optional) this.optionalNames.set(normalizeHeading(entry.value), entry);
    this.questionRanges = doc.openQuestions.map((question) => [
      question.range.start.offset,
      question.range.end.offset,
    ]);
  }

  compile(): TemplateSchema {
    const statuses = this.options.statuses ?? [...DEFAULT_STATUSES];
    const sections = this.topSections().map((section) => this.section(section, true));
    const metadata = this.metadata(statuses);
    const approvalSlots = this.approvalSlots(sections);
    this.checkReferences();
    const h1 =
      this.doc.title?.source === 'h1' || this.doc.title?.source === 'setext'
        ? this.doc.title.text.trim()
        : '';
    return {
      name: this.options.name ?? slugify(this.fallbackName),
      title:
        this.options.title ?? (h1 !== '' ? h1 : humanize(this.options.name ?? slugify(this.fallbackName))),
      description: this.options.description ?? '',
      metadata,
      statuses,
      sections,
      approvalSlots,
      ruleOptions: this.options.rules,
      skeleton: this.skeleton,
    };
  }

  /**
   * The skeleton's top-level sections. A heading above the section level (the H1 title) is looked
   * through; a deeper heading before the first section (a banner such as `### Design Document`)
   * labels the template and is not a section.
   */
  private topSections(): Section[] {
    const level = this.doc.sectionLevel;
    const found: Section[] = [];
    const visit = (list: readonly Section[]): void => {
      for (const section of list) {
        if (section.level === level) found.push(section);
        else if (section.level < level) visit(section.children);
      }
    };
    visit(this.doc.sections);
    return found;
  }

  private aliasesOf(title: string): string[] {
    return [...(this.aliases.get(normalizeHeading(title)) ?? [])];
  }

  /** Required unless marked optional in the skeleton; the front matter lists win over both. */
  private isRequired(title: string, byDefault: boolean, markedOptional: boolean): boolean {
    const key = normalizeHeading(title);
    this.known.add(key);
    if (this.requiredNames.has(key)) return true;
    if (this.optionalNames.has(key)) return false;
    return byDefault && !markedOptional;
  }

  private lineText(line: number): string {
    return this.lines[line - 1] ?? '';
  }

  private section(section: Section, top: boolean): SchemaSection {
    const markedOptional = OPTIONAL_MARK.test(section.heading.raw);
    const title = stripOptionalMark(section.title);
    const kind = classifySection(title);
    const { repeatable, blocks } = this.repeatable(section, kind);
    const bodyStart = section.bodyRange.start.offset;
    const bodyEnd = section.bodyRange.end.offset;

    const phases = this.doc.phases.filter((phase) => within(phase.range.start.offset, bodyStart, bodyEnd));
    const questions = this.doc.openQuestions.filter((question) =>
      within(question.range.start.offset, bodyStart, bodyEnd),
    );
    const isApprovals = kind === 'approvals';

    const schema: SchemaSection = {
      title,
      aliases: this.aliasesOf(title),
      level: section.level,
      // A `required` list names the sections to require: top-level sections it leaves out are optional.
      required: this.isRequired(title, top && this.options.required.length === 0, markedOptional),
      kind,
      fields: this.fields(
        this.doc.fields.filter((field) => field.sectionId === section.id && field.group === null),
        kind,
      ),
      groups: isApprovals ? [] : this.groups(section.id, kind),
      repeatable,
      children: section.children
        .filter((child) => !blocks.has(child))
        .map((child) => this.section(child, false)),
    };
    if (phases.length > 0) {
      const holder = this.doc.groups.find(
        (group) =>
          group.sectionId === section.id &&
          within(phases[0]?.range.start.offset ?? -1, group.range.start.offset, group.range.end.offset),
      );
      schema.phases = { min: phases.length, group: holder ? stripOptionalMark(holder.label) : null };
    }
    if (questions.length > 0) {
      const status = questions.find((question) => question.status !== null);
      schema.questions = {
        min: questions.length,
        statusLabel: status ? this.statusLabel(status.status?.range.start.line ?? 0) : null,
      };
    }
    return schema;
  }

  /** The label of a question's nested status line, as the template writes it (`Status`). */
  private statusLabel(line: number): string {
    const match = /\*\*([^*]+?)\*\*/.exec(this.lineText(line));
    return match?.[1]?.replace(/:$/, '').trim() ?? 'Status';
  }

  /** Fields without phase items or the status lines nested under open questions. */
  private fields(fields: readonly Field[], kind: SchemaSectionKind): SchemaField[] {
    const out: SchemaField[] = [];
    const seen = new Set<string>();
    for (const field of fields) {
      if (PHASE_LABEL.test(field.label.trim())) continue;
      const offset = field.range.start.offset;
      if (this.questionRanges.some(([start, end]) => within(offset, start, end))) continue;
      const label = stripOptionalMark(field.label);
      const key = normalizeHeading(label);
      if (seen.has(key)) continue;
      seen.add(key);
      const markedOptional = OPTIONAL_MARK.test(this.lineText(field.range.start.line));
      out.push({
        label,
        aliases: this.aliasesOf(label),
        required: this.isRequired(label, true, markedOptional),
        group: field.group === null ? null : stripOptionalMark(field.group),
        measurable: kind === 'performance-targets' || MEASURABLE_LABEL.test(label),
      });
    }
    return out;
  }

  private groups(sectionId: string, kind: SchemaSectionKind): SchemaGroup[] {
    const out: SchemaGroup[] = [];
    for (const group of this.doc.groups) {
      if (group.sectionId !== sectionId) continue;
      out.push(this.group(group, kind));
    }
    return out;
  }

  private group(group: Group, kind: SchemaSectionKind): SchemaGroup {
    const label = stripOptionalMark(group.label);
    const markedOptional = OPTIONAL_MARK.test(this.lineText(group.range.start.line));
    const items = group.items.filter(
      (item) => item.checked === null && !PHASE_LABEL.test(item.text.replace(/[*_:]/g, '').trim()),
    );
    return {
      label,
      aliases: this.aliasesOf(label),
      required: this.isRequired(label, true, markedOptional),
      fields: this.fields(group.fields, kind),
      items: items.length,
    };
  }

  /**
   * Child headings that are blank (`#### `) or only numbered (`#### Decision 1:`) are one
   * repeatable block the author copies as often as needed; the template's count is the minimum.
   * Numbered blocks must share one prefix, so `Phase 1:` and `Option 1:` siblings stay sections.
   */
  private repeatable(
    section: Section,
    kind: SchemaSectionKind,
  ): { repeatable: SchemaRepeatable | null; blocks: Set<Section> } {
    const blocks: Section[] = [];
    let prefix: string | null = null;
    let separator = ':';
    for (const child of section.children) {
      const title = child.title.trim();
      if (title === '') {
        blocks.push(child);
        continue;
      }
      const numbered = NUMBERED_HEADING.exec(title);
      if (!numbered || (numbered[4] ?? '').trim() !== '') continue;
      const childPrefix = (numbered[1] ?? '').trim();
      if (prefix !== null && normalizeHeading(prefix) !== normalizeHeading(childPrefix)) {
        return { repeatable: null, blocks: new Set() };
      }
      prefix ??= childPrefix;
      separator = numbered[3] ?? '';
      blocks.push(child);
    }
    if (blocks.length === 0) return { repeatable: null, blocks: new Set() };
    const blockIds = new Set(blocks.map((block) => block.id));
    const fields = this.fields(
      this.doc.fields.filter((field) => field.sectionId !== null && blockIds.has(field.sectionId)),
      kind,
    );
    return {
      repeatable: {
        kind: kind === 'components' ? 'component' : kind === 'decisions' ? 'decision' : 'block',
        headingPrefix: prefix === null ? null : `${prefix} N${separator}`,
        fields,
        min: blocks.length,
      },
      blocks: new Set(blocks),
    };
  }

  /** `Key:` lines before the first section. */
  private metadata(statuses: readonly string[]): SchemaMetadataKey[] {
    const firstSection = this.topSections()[0]?.range.start.offset ?? Infinity;
    const overrides = new Map<
      string,
      Located<{ key: string; options: TemplateOptions['metadata'][number]['value']['options'] }>
    >();
    for (const entry of this.options.metadata) overrides.set(normalizeHeading(entry.value.key), entry);
    const out: SchemaMetadataKey[] = [];
    const seen = new Set<string>();
    for (const entry of this.doc.metadata) {
      if (entry.source === 'sidecar' || entry.range.start.offset >= firstSection) continue;
      const key = entry.key.trim();
      const norm = normalizeHeading(key);
      if (seen.has(norm)) continue;
      seen.add(norm);
      this.known.add(norm);
      const override = overrides.get(norm)?.value.options ?? {};
      const isStatus = norm === 'status';
      const isVersion = norm === 'version';
      out.push({
        key,
        aliases: this.aliasesOf(key),
        required: override.required ?? this.isRequired(key, true, false),
        allowed: override.allowed ?? (isStatus ? [...statuses] : []),
        pattern: override.pattern ?? (isVersion ? DEFAULT_VERSION_PATTERN : null),
      });
    }
    for (const [norm, entry] of overrides) {
      if (!seen.has(norm))
        this.unknown(entry.line, `metadata.${entry.value.key}`, 'the skeleton has no such metadata line');
    }
    return out;
  }

  /** The bold groups under every approvals-kind section. */
  private approvalSlots(sections: readonly SchemaSection[]): SchemaApprovalSlot[] {
    const overrides = new Map(
      this.options.approvals.map((entry) => [normalizeHeading(entry.value.slot), entry] as const),
    );
    const sectionNames = new Map<string, string>();
    for (const section of sections) {
      sectionNames.set(normalizeHeading(section.title), section.title);
      for (const alias of section.aliases) sectionNames.set(normalizeHeading(alias), section.title);
    }
    const names: string[] = [];
    for (const section of this.doc.sections.flatMap(function flatten(s: Section): Section[] {
      return [s, ...s.children.flatMap(flatten)];
    })) {
      if (classifySection(stripOptionalMark(section.title)) !== 'approvals') continue;
      const groups = this.doc.groups.filter((group) => group.sectionId === section.id);
      for (const group of groups) names.push(stripOptionalMark(group.label));
    }
    if (names.length === 0) for (const slot of this.doc.approvals) names.push(stripOptionalMark(slot.name));

    const slots: SchemaApprovalSlot[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      const norm = normalizeHeading(name);
      if (seen.has(norm)) continue;
      seen.add(norm);
      this.known.add(norm);
      const override = overrides.get(norm)?.value.options ?? {};
      // `Security Review` covers the `Security` section when there is one; otherwise everything.
      const subject = norm.replace(
        /\s+(?:review|reviewer|reviewers|approval|approver|sign off|signoff)$/,
        '',
      );
      const covered = subject !== norm ? sectionNames.get(subject) : undefined;
      slots.push({
        name,
        required: override.required ?? this.isRequired(name, true, false),
        covers: override.covers ?? (covered === undefined ? ['*'] : [covered]),
        roster:
          override.roster !== undefined ? override.roster : /^security\b/.test(norm) ? 'security' : null,
      });
    }
    for (const [norm, entry] of overrides) {
      if (!seen.has(norm))
        this.unknown(
          entry.line,
          `approvals.${entry.value.slot}`,
          'the skeleton has no approval slot of that name',
        );
    }
    return slots;
  }

  /** Every name the front matter lists must be something the skeleton has: a typo is an error. */
  private checkReferences(): void {
    for (const [norm, entry] of this.requiredNames) {
      if (!this.known.has(norm))
        this.unknown(
          entry.line,
          'required',
          `"${entry.value}" names no section, field, group, slot or metadata key of the skeleton`,
        );
    }
    for (const [norm, entry] of this.optionalNames) {
      if (!this.known.has(norm))
        this.unknown(
          entry.line,
          'optional',
          `"${entry.value}" names no section, field, group, slot or metadata key of the skeleton`,
        );
      if (this.requiredNames.has(norm))
        this.unknown(entry.line, 'optional', `"${entry.value}" is listed as both required and optional`);
    }
    for (const { value, line } of this.options.synonyms) {
      if (!this.known.has(normalizeHeading(value.heading))) {
        this.unknown(
          line,
          `synonyms.${value.heading}`,
          `"${value.heading}" names no section, field, group, slot or metadata key of the skeleton`,
        );
      }
    }
  }

  private unknown(line: number, key: string, message: string): never {
    const template = this.options.name ?? this.fallbackName;
    throw new DesignDocError(
      'DD_E_TEMPLATE_INVALID',
      `template "${template}", front matter line ${line}, key "${key}": ${message}`,
      {
        location: { ...(this.file === null ? {} : { file: this.file }), line, field: key },
        details: { template, key },
      },
    );
  }
}
