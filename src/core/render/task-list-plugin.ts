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
  // The lists open at the current token, innermost last: a task item's list is the innermost one,
  // found without walking back over the items before it (that walk made long task lists quadratic).
  const openLists: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      openLists.push(token);
      continue;
    }
    if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      openLists.pop();
      continue;
    }
    if (token.type !== 'inline' || i < 2) continue;
    if (tokens[i - 1]?.type !== 'paragraph_open' || tokens[i - 2]?.type !== 'list_item_open') continue;
    const first = token.children?.[0];
    if (!first || first.type !== 'text') continue;
    const match = MARKER.exec(first.content);
    if (!match) continue;
    first.content = first.content.slice(match[0].length);
    const box = new state.Token('html_inline', '', 0);
    box.content =
      match[1] === ' ' ? '<input type="checkbox" disabled> ' : '<input type="checkbox" disabled checked> ';
    token.children?.unshift(box);
    const item = tokens[i - 2] as Token;
    item.attrJoin('class', 'task-list-item');
    // The enclosing list gets a class so the stylesheet can drop its bullets.
    const list = openLists[openLists.length - 1];
    if (
      list &&
      list.level === item.level - 1 &&
      !String(list.attrGet('class') ?? '').includes('contains-task-list')
    )
      list.attrJoin('class', 'contains-task-list');
  }
}

/** Registers the task-list rewrite as a core rule after inline parsing. */
export function taskListPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'designdoc_task_lists', rewrite);
}
