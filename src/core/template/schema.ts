/**
 * The schema a markdown template compiles into. The linter checks documents against it, `new`
 * fills it in, and detection scores documents against every known schema.
 *
 * A team adds a document type by writing a markdown skeleton; nothing here is specific to one
 * template.
 */

/** A labelled field the template asks for (`- **Purpose**:`). */
export interface SchemaField {
  label: string;
  /** Other labels accepted for this field (from front matter `synonyms`). */
  aliases: string[];
  required: boolean;
  /** The bold group label it sits under, or null. */
  group: string | null;
  /** Measurable fields need a number with a unit or percentile (performance targets). */
  measurable: boolean;
}

/** A `**Bold**` line followed by a list in the template. */
export interface SchemaGroup {
  label: string;
  aliases: string[];
  required: boolean;
  fields: SchemaField[];
  /** Count of unlabelled `- ` items the template leaves to fill. */
  items: number;
}

/** `####` blocks that repeat under a section (Architecture Components, Design Decisions). */
export interface SchemaRepeatable {
  kind: 'component' | 'decision' | 'block';
  /** Heading prefix the template uses (`Decision N:`), or null. */
  headingPrefix: string | null;
  fields: SchemaField[];
  /** How many the template shows (the minimum expected). */
  min: number;
}

export type SchemaSectionKind =
  | 'plain'
  | 'goals'
  | 'success-criteria'
  | 'overview'
  | 'components'
  | 'decisions'
  | 'implementation'
  | 'performance-targets'
  | 'security'
  | 'open-questions'
  | 'approvals';

export interface SchemaSection {
  title: string;
  /** Other headings accepted for this section (case-insensitive), e.g. Alternatives ≈ Alternatives Considered. */
  aliases: string[];
  /** Heading level in the template. */
  level: number;
  required: boolean;
  kind: SchemaSectionKind;
  fields: SchemaField[];
  groups: SchemaGroup[];
  repeatable: SchemaRepeatable | null;
  children: SchemaSection[];
  /** `**Phase N**` items the template shows in this section's own body (Implementation), when it has any. */
  phases?: SchemaPhases;
  /** `- [ ]` open-question items the template shows in this section's own body, when it has any. */
  questions?: SchemaQuestions;
}

/** The `**Phase N**` items of a section: how many the template shows (the minimum expected). */
export interface SchemaPhases {
  min: number;
  /** The bold label the phases are listed under (`Phases`), or null. */
  group: string | null;
}

/** The `- [ ]` items of an open-questions section. */
export interface SchemaQuestions {
  /** How many the template shows. */
  min: number;
  /** The nested field each question carries (`Status`), or null when the template shows none. */
  statusLabel: string | null;
}

export interface SchemaMetadataKey {
  key: string;
  aliases: string[];
  required: boolean;
  /** Allowed raw values (case-insensitive); empty means any. */
  allowed: string[];
  /** A regular expression source the value must match (Version: `^\d+(\.\d+){0,2}$`). */
  pattern: string | null;
}

export interface SchemaApprovalSlot {
  name: string;
  required: boolean;
  /** Section titles whose change makes an approval in this slot stale; `*` means every other section. */
  covers: string[];
  /** Group allowed to approve in this slot (roster), or null for anyone. */
  roster: string | null;
}

export interface TemplateSchema {
  /** Stable name, e.g. `design-document`, `adr`, `rfc`. */
  name: string;
  /** Human title, e.g. `Design Document`. */
  title: string;
  description: string;
  metadata: SchemaMetadataKey[];
  /** Allowed status words (raw, case-insensitive). */
  statuses: string[];
  sections: SchemaSection[];
  approvalSlots: SchemaApprovalSlot[];
  /** Rule options set by the template's front matter, keyed by rule slug. */
  ruleOptions: Record<string, Record<string, unknown>>;
  /** The template markdown (front matter removed): what `new` fills in. */
  skeleton: string;
}
