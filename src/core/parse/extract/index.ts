/**
 * The content extractors: everything in `DesignDocument` that sits inside sections (fields,
 * groups, list items and what the template builds from them), plus links, the overview diagram
 * and lint directives.
 */
import type { DesignDocument } from '../../model.js';
import type { ExtractContext } from '../context.js';

export type ExtractedContent = Pick<
  DesignDocument,
  | 'fields'
  | 'groups'
  | 'items'
  | 'components'
  | 'decisions'
  | 'phases'
  | 'targets'
  | 'goals'
  | 'successCriteria'
  | 'openQuestions'
  | 'approvals'
  | 'links'
  | 'diagram'
  | 'directives'
>;

/**
 * Extracts the structured content of a document from the block pass's context. Never throws;
 * every range it returns lies inside `ctx.text`.
 */
export function extractContent(ctx: ExtractContext): ExtractedContent {
  void ctx;
  return {
    fields: [],
    groups: [],
    items: [],
    components: [],
    decisions: [],
    phases: [],
    targets: [],
    goals: [],
    successCriteria: [],
    openQuestions: [],
    approvals: [],
    links: [],
    diagram: null,
    directives: [],
  };
}
