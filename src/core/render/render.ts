/**
 * Design document → safe HTML fragment. markdown-it renders the body (raw HTML allowed in the input,
 * as real documents use `<details>` and tables), then the whole fragment goes through the allowlist
 * in `sanitize-fragment.ts`. Heading anchors are the parser's section ids, matched by source line,
 * so the outline, lint jumps and rendered anchors name the same places.
 */
import MarkdownIt from 'markdown-it';
import type { MarkdownIt as Markdown } from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';
import type { DesignDocument, Lifecycle, Section } from '../model.js';
import { escapeHtml } from './escape-html.js';
import { headingSlug } from './heading-slug.js';
import { sanitizeFragment } from './sanitize-fragment.js';
import { taskListPlugin } from './task-list-plugin.js';

export interface RenderOptions {
  /**
   * How Mermaid fences come out: `pre` (default) as `<pre class="mermaid">` holding the escaped
   * source, for a client that renders (and sanitises) diagrams; `keep` as an ordinary code block.
   */
  mermaid?: 'keep' | 'pre';
}

/** Per-render state handed to the markdown-it rules through `env`. */
interface RenderEnv {
  [key: string | symbol]: unknown;
  /** 1-based heading line → the parser's section id. */
  sectionIds: Map<number, string>;
  /** Every id placed on a heading in this render. */
  generated: Set<string>;
  /** The parser's section ids, as a set (a slug for another heading must not take one). */
  sectionIdSet: Set<string>;
  /** Per slug base, the last numeric suffix tried, so repeated headings do not rescan 1, 2, … */
  lastSuffix: Map<string, number>;
  /** 1-based first line of the overview diagram block, or -1. */
  diagramLine: number;
  mermaid: 'keep' | 'pre';
}

const LIFECYCLE_LABELS: Record<Lifecycle, string> = {
  draft: 'Draft',
  'in-review': 'In review',
  approved: 'Approved',
  implemented: 'Implemented',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  deferred: 'Deferred',
  superseded: 'Superseded',
  deprecated: 'Deprecated',
};

function isEnv(value: unknown): value is RenderEnv {
  return typeof value === 'object' && value !== null && 'sectionIds' in value;
}

/** Heading anchors and table alignment classes (markdown-it writes alignment as inline style). */
function decorate(state: StateCore): void {
  const env = state.env as unknown;
  for (let i = 0; i < state.tokens.length; i++) {
    const token = state.tokens[i] as Token;
    if (token.type === 'th_open' || token.type === 'td_open') {
      const style = token.attrGet('style');
      const align = style ? /text-align:\s*(left|center|right)/.exec(String(style)) : null;
      if (token.attrs) token.attrs = token.attrs.filter(([name]) => name !== 'style');
      if (align) token.attrJoin('class', `dd-align-${align[1] as string}`);
      continue;
    }
    if (token.type !== 'heading_open' || !isEnv(env)) continue;
    const line = token.map ? token.map[0] + 1 : -1;
    let id = env.sectionIds.get(line);
    if (id === undefined || env.generated.has(id)) {
      // The first of base, base-1, base-2, … that no heading has taken and no section owns. Taken ids
      // only accumulate, so the search for a base resumes where the last one for it stopped.
      const base = headingSlug(state.tokens[i + 1]?.content ?? '');
      let n = env.lastSuffix.get(base) ?? 0;
      id = n === 0 ? base : `${base}-${n}`;
      while (env.generated.has(id) || env.sectionIdSet.has(id)) id = `${base}-${++n}`;
      env.lastSuffix.set(base, n);
    }
    env.generated.add(id);
    token.attrSet('id', id);
  }
}

function codeBlockHtml(content: string, info: string, env: unknown, line: number): string {
  const language = info.trim().split(/\s+/)[0] ?? '';
  const isDiagram = isEnv(env) && line === env.diagramLine;
  if (language.toLowerCase() === 'mermaid' && isEnv(env) && env.mermaid === 'pre') {
    return `<pre class="mermaid${isDiagram ? ' dd-diagram' : ''}">${escapeHtml(content)}</pre>\n`;
  }
  const preClass = isDiagram ? ' class="dd-diagram"' : '';
  const codeClass = language === '' ? '' : ` class="language-${escapeHtml(language)}"`;
  return `<pre${preClass}><code${codeClass}>${escapeHtml(content)}</code></pre>\n`;
}

function createMarkdown(): Markdown {
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  md.use(taskListPlugin);
  md.core.ruler.push('designdoc_decorate', decorate);
  md.renderer.rules.fence = (tokens, idx, _options, env) => {
    const token = tokens[idx] as Token;
    return codeBlockHtml(token.content, token.info, env, token.map ? token.map[0] + 1 : -1);
  };
  md.renderer.rules.code_block = (tokens, idx, _options, env) => {
    const token = tokens[idx] as Token;
    return codeBlockHtml(token.content, '', env, token.map ? token.map[0] + 1 : -1);
  };
  return md;
}

let markdown: Markdown | null = null;

function sectionIdsByLine(sections: readonly Section[], into: Map<number, string>): Map<number, string> {
  for (const section of sections) {
    into.set(section.heading.range.start.line, section.id);
    sectionIdsByLine(section.children, into);
  }
  return into;
}

/** The markdown body as markdown-it should see it: no BOM, front matter blanked (lines kept). */
function bodySource(doc: DesignDocument): string {
  let text = doc.text;
  if (doc.frontMatter) {
    const end = doc.frontMatter.range.end.offset;
    const head = text.slice(0, end);
    text = '\n'.repeat(head.split('\n').length - 1) + text.slice(end);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The status badge and the metadata list shown above the body. */
function headerHtml(doc: DesignDocument, md: Markdown): string {
  const lifecycle = doc.status?.lifecycle ?? null;
  const statusClass = lifecycle ?? 'unknown';
  const label = lifecycle
    ? LIFECYCLE_LABELS[lifecycle]
    : doc.status?.raw.trim()
      ? 'Unrecognised status'
      : 'No status';
  const parts = [
    `<header class="dd-header">`,
    `<span class="dd-badge dd-status-${statusClass}">${escapeHtml(label)}</span>`,
  ];
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const entry of doc.metadata) {
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    const value =
      entry.value.trim() === '' ? '<span class="dd-empty">—</span>' : md.renderInline(entry.value, {});
    rows.push(`<dt>${escapeHtml(entry.key)}</dt><dd>${value}</dd>`);
  }
  if (doc.template !== null && !seen.has('template'))
    rows.push(`<dt>Template</dt><dd>${escapeHtml(doc.template)}</dd>`);
  if (rows.length > 0) parts.push(`<dl class="dd-metadata">${rows.join('')}</dl>`);
  parts.push('</header>\n');
  return parts.join('');
}

/**
 * Renders a parsed design document as a sanitised HTML fragment: a header with the status badge
 * and metadata, then the body with anchored headings (ids equal to `Section.id`), the overview
 * diagram as a `<pre class="dd-diagram">` block, Mermaid fences as `<pre class="mermaid">`,
 * disabled task-list checkboxes and `rel="noopener noreferrer nofollow"` on external links. No
 * script, event handler, style attribute, SVG or unsafe URL survives, whatever the input holds.
 */
export function render(doc: DesignDocument, options: RenderOptions = {}): string {
  markdown ??= createMarkdown();
  const sectionIds = sectionIdsByLine(doc.sections, new Map());
  const env: RenderEnv = {
    sectionIds,
    generated: new Set(),
    sectionIdSet: new Set(sectionIds.values()),
    lastSuffix: new Map(),
    diagramLine: doc.diagram ? doc.diagram.range.start.line : -1,
    mermaid: options.mermaid ?? 'pre',
  };
  const html = headerHtml(doc, markdown) + markdown.render(bodySource(doc), env);
  return sanitizeFragment(html, { headingIds: new Set(env.generated) });
}
