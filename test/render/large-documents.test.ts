/**
 * What the renderer's own rules do on long inputs, where they used to be quadratic: the task-list
 * rule walked back to the enclosing list for every item (17.6 s for a 1 MB task list), and a heading
 * outside the section tree copied every section id into an array for each candidate anchor (7.3 s
 * for 1 MB of headings in block quotes). Behaviour only; bench/render/run.js measures the time.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/parse/index.js';
import { render } from '../../src/core/render/index.js';
import { openingTags } from './html-inspect.js';

function renderText(text: string): string {
  return render(parse(text, { fileName: 'large.md' }));
}

function listClasses(html: string): (string | undefined)[] {
  return openingTags(html)
    .filter((tag) => tag.name === 'ul' || tag.name === 'ol')
    .map((tag) => tag.attrs.class);
}

describe('render: task lists', () => {
  it('marks every item of a long task list and its list once', () => {
    const items = Array.from({ length: 3000 }, (_, i) => `- [${i % 3 === 0 ? 'x' : ' '}] task ${i}`);
    const html = renderText(`# Tasks\n\n${items.join('\n')}\n`);
    const inputs = openingTags(html).filter((tag) => tag.name === 'input');
    expect(inputs).toHaveLength(3000);
    expect(inputs.filter((input) => 'checked' in input.attrs)).toHaveLength(1000);
    expect(html.match(/<li class="task-list-item">/g)).toHaveLength(3000);
    expect(listClasses(html)).toEqual(['contains-task-list']);
  });

  it('gives the class to the list that holds the tasks, not to the lists around or inside it', () => {
    const html = renderText(
      [
        '# Tasks',
        '',
        '- plain',
        '  - [ ] nested task',
        '  - [x] nested done',
        '- plain again',
        '',
        'Between.',
        '',
        '1. [ ] ordered task',
        '   - nested plain',
        '   - [x] nested task',
        '2. plain',
        '',
      ].join('\n'),
    );
    expect(listClasses(html)).toEqual([
      undefined,
      'contains-task-list',
      'contains-task-list',
      'contains-task-list',
    ]);
    expect(openingTags(html).filter((tag) => tag.name === 'input')).toHaveLength(4);
  });
});

describe('render: anchors of headings outside the section tree', () => {
  const ids = (html: string): string[] =>
    openingTags(html)
      .filter((tag) => /^h[1-6]$/.test(tag.name) && tag.attrs.id !== undefined)
      .map((tag) => tag.attrs.id as string);

  it('number repeated slugs in order, skipping ids that sections own', () => {
    const html = renderText(
      '# Doc\n\n## Notes\n\n## Notes 2\n\n> ### Notes\n\n- ### Notes\n\n> #### Notes\n> #### Notes 2\n> #### Notes\n\n## Notes\n\n> ### Doc\n> ### Section\n> ### !!!\n',
    );
    // Sections: doc, notes, notes-2 and (the second "Notes") notes-1.
    expect(ids(html)).toEqual([
      'doc',
      'notes',
      'notes-2',
      'notes-3',
      'notes-4',
      'notes-5',
      'notes-2-1',
      'notes-6',
      'notes-1',
      'doc-1',
      'section',
      'section-1',
    ]);
  });

  it('stay unique over thousands of quoted headings sharing a few titles', () => {
    const quoted = Array.from({ length: 4000 }, (_, i) => `> ### Comment ${i % 7}\n> text ${i}\n`);
    const html = renderText(`# Review\n\n## Comment 3\n\n${quoted.join('\n')}`);
    const anchors = ids(html);
    expect(anchors).toHaveLength(4002);
    expect(new Set(anchors).size).toBe(4002);
    expect(anchors.slice(0, 5)).toEqual(['review', 'comment-3', 'comment-0', 'comment-1', 'comment-2']);
    // The section owns comment-3; the 571 quoted "Comment 3" headings (i = 3, 10, …, 3994) follow it.
    const threes = anchors.filter((id) => id === 'comment-3' || id.startsWith('comment-3-'));
    expect(threes).toHaveLength(572);
    expect(threes.slice(0, 3)).toEqual(['comment-3', 'comment-3-1', 'comment-3-2']);
    expect(threes.at(-1)).toBe('comment-3-571');
  });
});

describe('render: a large table', () => {
  it('keeps every row, its inline markup and the alignment classes', () => {
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `| item-${i} | **b${i}** | \`c\` | [l](https://example.com/${i}) | x<br>y |`,
    );
    const html = renderText(
      `# Table\n\n| a | b | c | d | e |\n| :- | -: | :-: | - | - |\n${rows.join('\n')}\n`,
    );
    expect(html.match(/<tr>/g)).toHaveLength(5001);
    expect(html.match(/<td class="dd-align-left">item-\d+<\/td>/g)).toHaveLength(5000);
    expect(html.match(/<td class="dd-align-right"><strong>b\d+<\/strong><\/td>/g)).toHaveLength(5000);
    expect(html.match(/<td class="dd-align-center"><code>c<\/code><\/td>/g)).toHaveLength(5000);
    expect(html.match(/rel="noopener noreferrer nofollow"/g)).toHaveLength(5000);
    expect(html.match(/<td>x<br \/>y<\/td>/g)).toHaveLength(5000);
    expect(html).toContain('<td>x<br />y</td>\n</tr>\n</tbody>\n</table>');
  });
});
