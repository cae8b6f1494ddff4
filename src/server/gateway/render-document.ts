/**
 * Rendered HTML of a revision, cached per immutable revision. Rendered on an analysis thread when
 * the server has one: a large document (a megabyte-sized table takes seconds) must not hold up
 * every other request on the event loop.
 */
import type { DocumentRecord } from '../data/database.js';
import { readRevisionText, type ServiceContext } from '../services/index.js';
import { renderDocumentText } from '../services/render-text.js';

export async function renderDocumentHtml(
  ctx: ServiceContext,
  record: DocumentRecord,
  revision?: number,
): Promise<string> {
  const number = revision ?? record.currentRevision;
  const key = `html:${record.id}:${number}`;
  const cached = await ctx.cache.get(key);
  if (cached !== undefined) return cached;
  const text = await readRevisionText(ctx, record, number);
  let html: string | null = null;
  if (ctx.analysis) {
    try {
      html = await ctx.analysis.render(text, record.path);
    } catch {
      // The worker failed (a document too large for its heap): rendered here instead.
    }
  }
  html ??= renderDocumentText(text, record.path);
  await ctx.cache.set(key, html);
  return html;
}
