/**
 * The template engine: compile a markdown template into a schema, detect which template a document
 * follows, find one by name, and create a new document from one.
 */
export type * from './schema.js';
export {
  compileTemplate,
  DEFAULT_STATUSES,
  DEFAULT_VERSION_PATTERN,
  type CompileTemplateOptions,
} from './compile-template.js';
export { detectTemplate, scoreTemplate, DETECTION_THRESHOLD, type TemplateMatch } from './detect-template.js';
export { findTemplate } from './find-template.js';
export { newDocument, escapeTitle, normalizeTitle, type NewDocumentInput } from './new-document.js';
export {
  splitTemplateFrontMatter,
  readTemplateOptions,
  type TemplateOptions,
  type SplitTemplate,
} from './template-options.js';
