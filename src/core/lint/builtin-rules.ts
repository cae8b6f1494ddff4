/**
 * The built-in rules, in id order, and the registry the linter uses unless given another.
 */
import { RuleRegistry } from './registry.js';
import type { Rule } from './rule.js';
import { decisionIncomplete } from './rules/decision-incomplete.js';
import { diagramComponentsMismatch } from './rules/diagram-components-mismatch.js';
import { duplicateHeading } from './rules/duplicate-heading.js';
import { emptyField } from './rules/empty-field.js';
import { emptyLink } from './rules/empty-link.js';
import { emptyMetadata } from './rules/empty-metadata.js';
import { emptySection } from './rules/empty-section.js';
import { headingIncrement } from './rules/heading-increment.js';
import { metadataInvalid } from './rules/metadata-invalid.js';
import { metadataMissing } from './rules/metadata-missing.js';
import { noTitle } from './rules/no-title.js';
import { placeholderText } from './rules/placeholder-text.js';
import { questionWithoutStatus } from './rules/question-without-status.js';
import { requiredSectionMissing } from './rules/required-section-missing.js';
import { sectionOrder } from './rules/section-order.js';
import { statusInconsistent } from './rules/status-inconsistent.js';
import { thinSecurity } from './rules/thin-security.js';
import { unmeasurableCriterion } from './rules/unmeasurable-criterion.js';
import { unmeasurableTarget } from './rules/unmeasurable-target.js';

export const BUILTIN_RULES: readonly Rule[] = [
  noTitle,
  requiredSectionMissing,
  sectionOrder,
  emptySection,
  emptyField,
  placeholderText,
  emptyMetadata,
  metadataMissing,
  metadataInvalid,
  decisionIncomplete,
  unmeasurableTarget,
  unmeasurableCriterion,
  questionWithoutStatus,
  statusInconsistent,
  diagramComponentsMismatch,
  emptyLink,
  duplicateHeading,
  headingIncrement,
  thinSecurity,
];

/** The registry of built-in rules. */
export const builtinRegistry = new RuleRegistry(BUILTIN_RULES);
