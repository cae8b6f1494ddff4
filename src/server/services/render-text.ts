/**
 * A revision's text → its HTML fragment: the parser's model (for section anchors) through the core
 * renderer. Rendering needs no template and no lint, so it parses and nothing more.
 */
import { parse } from '../../core/parse/index.js';
import { render } from '../../core/render/index.js';

export function renderDocumentText(text: string, fileName: string | null): string {
  return render(parse(text, fileName === null ? {} : { fileName }));
}
