/** Rendered HTML of a revision, cached per immutable revision (rendered off the request thread when it can be). */
import type { DocumentRecord } from '../data/database.js';
import { readRevisionText, type ServiceContext } from '../services/index.js';
import { renderText } from '../services/render-text.js';

export async function renderDocumentHtml(
  ctx: ServiceContext,
  record: DocumentRecord,
  revision?: number,
): Promise<string> {
  const number = revision ?? record.currentRevision;
  const key = `html:${record.id}:${number}`;
  const cached = await ctx.cache.get(key);
  if (cached !== undefined) return cached;
  const html = await renderText(ctx, await readRevisionText(ctx, record, number), record.path);
  await ctx.cache.set(key, html);
  return html;
}
