/**
 * The typed model of a design document: what `parse()` extracts and everything else consumes.
 *
 * Every extracted element carries a source range so that a lint finding, an editor jump or a
 * server-side edit lands on the exact characters it talks about. Positions follow the editor
 * convention (1-based line and column) plus a 0-based offset into the text given to `parse()`.
 */

/** A point in the source. `line` and `column` are 1-based; `offset` is a 0-based UTF-16 index. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A span of source text; `end` is exclusive. */
export interface SourceRange {
  start: Position;
  end: Position;
}

/** The lifecycle every status word is normalised into. */
export const LIFECYCLE = [
  'draft',
  'in-review',
  'approved',
  'implemented',
  'rejected',
  'withdrawn',
  'deferred',
  'superseded',
  'deprecated',
] as const;
export type Lifecycle = (typeof LIFECYCLE)[number];

/** Where a metadata entry was found. */
export type MetadataSource =
  'front-matter' | 'sidecar' | 'key-value' | 'bold-key' | 'bullet' | 'section' | 'table';

/** One metadata entry (`Status: Draft`, `- **Owners**: …`, a front matter key, …). */
export interface MetadataEntry {
  /** The key as written, e.g. `Status`, `Feature Name`. */
  key: string;
  /** The normalised key: lower case, spaces and dashes as `-`, e.g. `status`, `feature-name`. */
  name: string;
  /** The value as written (trimmed, markdown kept). Empty string when left blank. */
  value: string;
  source: MetadataSource;
  /** The whole entry. For `sidecar` entries this is a range in the sidecar text, not the document. */
  range: SourceRange;
  /** The value; an empty range just after the separator when the value is blank. */
  valueRange: SourceRange;
}

/** The document's status, normalised. */
export interface DocumentStatus {
  /** The value as written, e.g. `Implemented (Swift 5.9)`, `✅ Accepted`, `{Draft, In Review}`. */
  raw: string;
  /** The lifecycle state, or null when the raw value is empty or not recognised. */
  lifecycle: Lifecycle | null;
  /** The document that supersedes this one, when the status names it (`Superseded by ADR-0012`). */
  supersededBy: string | null;
  /** The metadata entry the status came from. */
  entry: MetadataEntry;
}

export type TitleSource = 'h1' | 'setext' | 'front-matter' | 'metadata' | 'feature-name' | 'file-name';

export interface Title {
  text: string;
  source: TitleSource;
  /** Null only for `file-name` titles. */
  range: SourceRange | null;
}

export interface Heading {
  level: 1 | 2 | 3 | 4 | 5 | 6;
  /** Plain text of the heading's inline content (emphasis, code and links reduced to their text). */
  text: string;
  /** The heading's content as written (without `#` markers or the setext underline). */
  raw: string;
  kind: 'atx' | 'setext';
  /** From the first marker character to the end of the heading's last line. */
  range: SourceRange;
}

/** A node of the section tree. A section runs from its heading to the next heading of the same or a higher level. */
export interface Section {
  /** Unique anchor slug (GitHub style, `-1`, `-2` suffixes on repeats). */
  id: string;
  title: string;
  heading: Heading;
  /** Heading level as written. */
  level: number;
  /** 1 for top-level sections of this document (see `DesignDocument.sectionLevel`), 2 for their children, … */
  depth: number;
  /** Heading start to the end of the section including children. */
  range: SourceRange;
  /** The section's own body: after the heading to the first child heading (or the section end). */
  bodyRange: SourceRange;
  /** The own body's text exactly as in the source. */
  body: string;
  /** True when the own body has something besides blank lines, HTML comments and empty list markers. */
  hasContent: boolean;
  children: Section[];
}

/** A labelled field: `- **Purpose**: value` (or `**Approach**: value` on its own line). */
export interface Field {
  label: string;
  /** The value as written (trimmed); empty string when blank. Nested list lines under the field are included. */
  value: string;
  /** The innermost section holding the field, or null in the preamble. */
  sectionId: string | null;
  /** The bold group label the field sits under (`Storage Strategy`), or null. */
  group: string | null;
  range: SourceRange;
  labelRange: SourceRange;
  valueRange: SourceRange;
}

/** A plain list item (not a labelled field), e.g. an entry under `**Language & Runtime**`. */
export interface ListItem {
  text: string;
  /** `- [ ]` / `- [x]` items: the check state; null for plain items. */
  checked: boolean | null;
  /** 1-based number for ordered items, null for bullets. */
  ordinal: number | null;
  sectionId: string | null;
  group: string | null;
  range: SourceRange;
  /** The text after the marker (and checkbox); empty range when blank. */
  textRange: SourceRange;
}

/** A `**Bold**` line followed by a list: a group of fields or items. */
export interface Group {
  label: string;
  sectionId: string | null;
  range: SourceRange;
  labelRange: SourceRange;
  fields: Field[];
  items: ListItem[];
}

/** A `####` block under Architecture Components. */
export interface Component {
  name: string;
  sectionId: string;
  range: SourceRange;
  nameRange: SourceRange;
  fields: Field[];
}

/** A `####` block under Design Decisions (`Decision 1: Use PostgreSQL`). */
export interface Decision {
  /** The heading text after any `Decision N:` prefix. */
  title: string;
  sectionId: string;
  range: SourceRange;
  titleRange: SourceRange;
  fields: Field[];
}

/** `**Phase N**: description` items under Implementation. */
export interface Phase {
  number: number;
  label: string;
  description: string;
  range: SourceRange;
  descriptionRange: SourceRange;
}

/** A field under Performance Targets (`Latency`, `Throughput`, `Availability`, …). */
export interface PerformanceTarget {
  metric: string;
  value: string;
  range: SourceRange;
  valueRange: SourceRange;
}

/** An item under Success Criteria (or Primary Goals). */
export interface Criterion {
  text: string;
  range: SourceRange;
  textRange: SourceRange;
}

/** A `- [ ]` item under Open Questions, with its nested `**Status**`. */
export interface OpenQuestion {
  text: string;
  /**
   * Whether the question is a task item (`- [ ]` / `- [x]`). Only those can be checked; documents
   * that list questions as plain bullets (many RFCs) keep them as a record, not a to-do list.
   */
  checkbox: boolean;
  /** Whether its box is ticked; always false for a plain bullet. */
  checked: boolean;
  /** The nested `- **Status**: …` value, or null when there is none. */
  status: { value: string; range: SourceRange; valueRange: SourceRange } | null;
  range: SourceRange;
  textRange: SourceRange;
}

export type Verdict = 'approved' | 'changes-requested' | 'blocking' | 'pending';

export interface ApprovalEntry {
  raw: string;
  /** The person or group named; empty when the slot line is blank. */
  name: string;
  /** ISO date (YYYY-MM-DD) when one is written. */
  date: string | null;
  verdict: Verdict | null;
  /** `rev N` / `revision N` when written. */
  revision: number | null;
  range: SourceRange;
}

/** An approval slot: a bold group under Approvals (`**Technical Review**`). */
export interface ApprovalSlot {
  name: string;
  range: SourceRange;
  nameRange: SourceRange;
  /** Non-blank entries only; a slot whose lines are all blank has none. */
  entries: ApprovalEntry[];
}

export interface Link {
  text: string;
  url: string;
  /** `(#)`, empty or `TODO` targets. */
  placeholder: boolean;
  range: SourceRange;
}

export interface DiagramNode {
  name: string;
  range: SourceRange;
}

/** The architecture overview diagram (the first diagram-like code block under an overview/architecture section). */
export interface Diagram {
  /** The fence info string (`mermaid`, `text`, or empty). */
  language: string;
  text: string;
  range: SourceRange;
  contentRange: SourceRange;
  nodes: DiagramNode[];
}

export interface CodeBlock {
  kind: 'fenced' | 'indented';
  info: string;
  range: SourceRange;
  /** True for a fence that was never closed and runs to the end of its container. */
  unclosed: boolean;
}

/** `<!-- designdoc-disable rule-a rule-b -->` and friends. An empty rule list means every rule. */
export interface Directive {
  kind: 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
  rules: string[];
  range: SourceRange;
}

export interface FrontMatter {
  raw: string;
  /** The parsed mapping, or null when the YAML does not parse to a mapping. */
  data: Record<string, unknown> | null;
  /** The YAML error message when it did not parse. */
  error: string | null;
  range: SourceRange;
}

/** A markdown design document, parsed. */
export interface DesignDocument {
  /** The text given to `parse()`. */
  text: string;
  fileName: string | null;
  lineEnding: '\n' | '\r\n';
  bom: boolean;
  frontMatter: FrontMatter | null;
  title: Title | null;
  /** Every metadata entry in source order (sidecar entries last). */
  metadata: MetadataEntry[];
  /** The `Type` value, when present. */
  docType: string | null;
  status: DocumentStatus | null;
  version: string | null;
  /** Template named by the document (`template:` in front matter), else null. */
  template: string | null;
  /** Document-level headings (not those inside lists or block quotes), in order. */
  headings: Heading[];
  /** The heading level of this document's top-level sections (1 when sections are H1s, usually 2). */
  sectionLevel: number;
  /** Text before the first section. */
  preamble: string;
  sections: Section[];
  fields: Field[];
  groups: Group[];
  items: ListItem[];
  components: Component[];
  decisions: Decision[];
  phases: Phase[];
  targets: PerformanceTarget[];
  goals: Criterion[];
  successCriteria: Criterion[];
  openQuestions: OpenQuestion[];
  approvals: ApprovalSlot[];
  links: Link[];
  diagram: Diagram | null;
  codeBlocks: CodeBlock[];
  directives: Directive[];
}

export type Severity = 'error' | 'warning' | 'info';

/** A text edit: replace `range` with `text`. */
export interface TextEdit {
  range: SourceRange;
  text: string;
}

/** One lint finding: a value with a position, never an exception. */
export interface Finding {
  /** Stable id, e.g. `DD004`. */
  ruleId: string;
  /** Stable slug, e.g. `empty-field`. */
  rule: string;
  severity: Severity;
  /** Says what was expected and what was found. */
  message: string;
  range: SourceRange;
  related?: { message: string; range: SourceRange };
  fix?: TextEdit[];
}
