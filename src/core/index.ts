/**
 * designdoc's core library: parse any markdown design document into a typed model with source
 * positions, serialize it back, lint it against a template-derived schema, render it to safe HTML,
 * and make range-based edits of its Status and Approvals. Pure: no I/O anywhere below this entry.
 */
export type * from './model.js';
export { LIFECYCLE } from './model.js';
export {
  DesignDocError,
  ERROR_CODES,
  isDesignDocError,
  type ErrorCode,
  type ErrorLocation,
} from './errors.js';

export { parse, scanBlocks, type ParseOptions, type BlockScan } from './parse/index.js';
export { serialize } from './serialize.js';
export {
  normalizeStatus,
  createStatusNormalizer,
  STATUS_WORDS,
  type NormalizedStatus,
  type StatusNormalizer,
} from './status.js';
export { classifySection, normalizeHeading } from './section-kinds.js';
export { parseApprovalEntry, formatApprovalEntry } from './approval-entry.js';

export {
  lint,
  applyFixes,
  validateConfig,
  defaultConfig,
  RuleRegistry,
  BUILTIN_RULES,
  builtinRegistry,
  type LintOptions,
  type LintResult,
  type LintConfig,
  type Rule,
  type RuleContext,
} from './lint/index.js';

export {
  compileTemplate,
  detectTemplate,
  findTemplate,
  newDocument,
  type NewDocumentInput,
  type TemplateMatch,
} from './template/index.js';
export type * from './template/schema.js';

export { render, renderPage, type RenderOptions, type RenderPageOptions } from './render/index.js';
export { applyEdits, statusEdits, approvalSlotEdits } from './edit/index.js';
