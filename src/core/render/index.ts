/**
 * The renderer's public entry: design document → sanitised HTML fragment or standalone page.
 */
export { render, type RenderOptions } from './render.js';
export { renderPage, PAGE_CSP, type RenderPageOptions } from './render-page.js';
export { escapeHtml } from './escape-html.js';
