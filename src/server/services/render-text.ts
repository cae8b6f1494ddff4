/**
 * A document's text → its HTML fragment: the parser's model (for section anchors) through the core
 * renderer. Rendering needs no template and no lint, so it parses and nothing more. `renderText`
 * does it on an analysis thread when the server has one: a large document (a megabyte-sized table
 * takes seconds) must not hold up every other request on the event loop.
 */
import { parse } from '../../core/parse/index.js';
import { render } from '../../core/render/index.js';
import { isAnalysisTimeout } from './analysis-pool.js';
import type { ServiceContext } from './service-context.js';

export function renderDocumentText(text: string, fileName: string | null): string {
  return render(parse(text, fileName === null ? {} : { fileName }));
}

/** `renderDocumentText`, on an analysis thread when there is one (inline if it fails). */
export async function renderText(
  ctx: Pick<ServiceContext, 'analysis'>,
  text: string,
  fileName: string | null,
): Promise<string> {
  if (ctx.analysis) {
    try {
      return await ctx.analysis.render(text, fileName);
    } catch (error) {
      if (isAnalysisTimeout(error)) throw error;
      // The worker failed (a document too large even for its heap): rendered here instead.
    }
  }
  return renderDocumentText(text, fileName);
}
