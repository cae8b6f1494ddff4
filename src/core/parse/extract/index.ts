/**
 * The content extractors: everything in `DesignDocument` that sits inside sections (fields,
 * groups, list items and what the template builds from them), plus links, the overview diagram
 * and lint directives.
 */
import type { DesignDocument } from '../../model.js';
import type { ExtractContext } from '../context.js';
import { extractApprovals } from './approval-slots.js';
import { extractCriteria, extractTargets } from './criteria.js';
import { extractDiagram } from './diagram.js';
import { extractDirectives } from './directives.js';
import { extractLinks } from './links.js';
import { scanLists } from './list-scan.js';
import { extractOpenQuestions } from './open-questions.js';
import { extractPhases } from './phases.js';
import { extractComponents, extractDecisions } from './repeatable-blocks.js';
import { buildSectionIndex } from './section-index.js';

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
 * Extracts the structured content of a document from the block pass's context: one pass over the
 * lines for the list structure (fields, groups, items), one for links, one over HTML comments for
 * directives, and targeted reads of the overview sections for the diagram. Everything else is
 * derived from those results and the section kinds. Never throws; every range lies inside
 * `ctx.text`.
 */
export function extractContent(ctx: ExtractContext): ExtractedContent {
  const index = buildSectionIndex(ctx);
  const scan = scanLists(ctx, index);
  return {
    fields: scan.fields,
    groups: scan.groups.map((g) => g.group),
    items: scan.items,
    components: extractComponents(ctx, index, scan),
    decisions: extractDecisions(ctx, index, scan),
    phases: extractPhases(ctx, scan),
    targets: extractTargets(index, scan),
    goals: extractCriteria('goals', index, scan),
    successCriteria: extractCriteria('success-criteria', index, scan),
    openQuestions: extractOpenQuestions(index, scan),
    approvals: extractApprovals(ctx, index, scan),
    links: extractLinks(ctx),
    diagram: extractDiagram(ctx, index),
    directives: extractDirectives(ctx),
  };
}
