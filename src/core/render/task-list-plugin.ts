/**
 * GitHub-style task lists for markdown-it: `- [ ] text` / `- [x] text` become a disabled checkbox
 * followed by the text. Written here rather than pulled in because it is a dozen lines and the
 * checkbox must never be interactive (the document, not the page, is the record).
 */
import type { MarkdownIt } from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';

const MARKER = /^\[([ xX])\](?=\s|$)\s?/;

function rewrite(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i] as Token;
    if (inline.type !== 'inline') continue;
    if (tokens[i - 1]?.type !== 'paragraph_open' || tokens[i - 2]?.type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    if (!first || first.type !== 'text') continue;
    const match = MARKER.exec(first.content);
    if (!match) continue;
    first.content = first.content.slice(match[0].length);
    const box = new state.Token('html_inline', '', 0);
    box.content =
      match[1] === ' ' ? '<input type="checkbox" disabled> ' : '<input type="checkbox" disabled checked> ';
    inline.children?.unshift(box);
    const item = tokens[i - 2] as Token;
    item.attrJoin('class', 'task-list-item');
    // The enclosing list gets a class so the stylesheet can drop its bullets.
    for (let j = i - 3; j >= 0; j--) {
      const candidate = tokens[j] as Token;
      if (
        (candidate.type === 'bullet_list_open' || candidate.type === 'ordered_list_open') &&
        candidate.level === item.level - 1
      ) {
        if (!String(candidate.attrGet('class') ?? '').includes('contains-task-list'))
          candidate.attrJoin('class', 'contains-task-list');
        break;
      }
    }
  }
}

/** Registers the task-list rewrite as a core rule after inline parsing. */
export function taskListPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'designdoc_task_lists', rewrite);
}
