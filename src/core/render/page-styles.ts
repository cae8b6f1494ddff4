/**
 * The stylesheet embedded in standalone pages (`renderPage`). Inline because the page's CSP allows
 * nothing else, and so a rendered file can be mailed or archived on its own.
 */
export const PAGE_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --code: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 52rem; padding: 2rem 1.5rem 4rem; color: var(--fg); background: #fff;
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.6em 0 0.6em; }
h1 { font-size: 2em; border-bottom: 1px solid var(--line); padding-bottom: 0.3em; }
h2 { font-size: 1.5em; border-bottom: 1px solid var(--line); padding-bottom: 0.3em; }
a { color: #0969da; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { background: var(--code); padding: 1rem; overflow-x: auto; border-radius: 6px; line-height: 1.35; }
pre.dd-diagram { background: #fff; border: 1px solid var(--line); }
pre.mermaid { white-space: pre-wrap; }
:not(pre) > code { background: var(--code); padding: 0.1em 0.35em; border-radius: 4px; }
blockquote { margin: 0; padding: 0 1em; color: var(--muted); border-left: 0.25em solid var(--line); }
table { border-collapse: collapse; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: 0.35em 0.7em; }
.dd-align-left { text-align: left; } .dd-align-center { text-align: center; } .dd-align-right { text-align: right; }
ul.contains-task-list, ol.contains-task-list { list-style: none; padding-left: 1.2em; }
li.task-list-item input { margin: 0 0.4em 0 -1.2em; }
img { max-width: 100%; }
.dd-header { display: flex; flex-wrap: wrap; gap: 0.75rem 1.5rem; align-items: flex-start;
  padding: 0.75rem 1rem; margin-bottom: 1.5rem; border: 1px solid var(--line); border-radius: 6px; }
.dd-badge { display: inline-block; padding: 0.15em 0.7em; border-radius: 999px; font-weight: 600;
  font-size: 0.85em; border: 1px solid currentColor; }
.dd-status-draft { color: #59636e; } .dd-status-in-review { color: #9a6700; }
.dd-status-approved { color: #1a7f37; } .dd-status-implemented { color: #0969da; }
.dd-status-rejected, .dd-status-withdrawn { color: #cf222e; }
.dd-status-deferred, .dd-status-superseded, .dd-status-deprecated, .dd-status-unknown { color: #6e7781; }
.dd-metadata { display: grid; grid-template-columns: auto 1fr; gap: 0.15rem 0.75rem; margin: 0; font-size: 0.9em; }
.dd-metadata dt { font-weight: 600; } .dd-metadata dd { margin: 0; }
.dd-empty { color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-before: page; page-break-before: always; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  pre, table, figure, .dd-header { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: underline; }
  pre { white-space: pre-wrap; border: 1px solid var(--line); }
}
`;
