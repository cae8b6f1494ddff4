/** Rendered HTML of a revision through the core renderer, cached per immutable revision. */
import { render } from '../../core/render/index.js';
import type { DocumentRecord } from '../data/database.js';
import { analyzeText, readRevisionText, type ServiceContext } from '../services/index.js';

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
  const analysis = analyzeText(ctx, text, {
    fileName: record.path,
    templateName: record.template || null,
    fallbackTitle: record.title,
  });
  const html = render(analysis.doc);
  await ctx.cache.set(key, html);
  return html;
}
