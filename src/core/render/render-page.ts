/**
 * A standalone HTML5 page around `render()`: embedded print-ready CSS and a CSP that forbids every
 * script, frame, font and remote fetch, so even a sanitiser bug cannot run code in the saved file.
 */
import type { DesignDocument } from '../model.js';
import { escapeHtml } from './escape-html.js';
import { PAGE_CSS } from './page-styles.js';
import { render } from './render.js';

export interface RenderPageOptions {
  /** The page `<title>`; defaults to the document's title, then its file name. */
  title?: string;
}

/** The CSP of every standalone page: inline styles and data: images, nothing else. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * Renders `doc` as a complete HTML5 page (escaped `<title>`, strict CSP meta, embedded screen and
 * print CSS with a page break before each H2). The body is `render(doc)` with Mermaid kept as code,
 * since the page runs no script.
 */
export function renderPage(doc: DesignDocument, options: RenderPageOptions = {}): string {
  const title = options.title ?? doc.title?.text ?? doc.fileName ?? 'Design document';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="generator" content="designdoc">',
    `<title>${escapeHtml(title.replace(/\s+/g, ' ').trim())}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<main class="dd-document">',
    render(doc, { mermaid: 'keep' }),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
