import type { Action } from '../../actions/action';
import type { MarkdownEditorHandle } from './markdown-editor';

/** Template-aware blocks for the design-document template, inserted after the cursor's line. */
export const SNIPPETS = {
  component: `\n#### New Component\n\n- **Purpose**: \n- **Technology**: \n- **Key Responsibilities**: \n- **Interactions**: \n`,
  decision: `\n#### Decision N: \n\n- **Decision**: \n- **Rationale**: \n- **Alternatives Considered**: \n- **Impact**: \n`,
  question: `- [ ] \n  - **Status**: Open`,
};

export interface EditorActionContext {
  editor: MarkdownEditorHandle | null;
  save: () => void;
}

/** Editor commands shared by the toolbar, the palette and shortcuts. */
export const editorActions: Action<EditorActionContext>[] = [
  { id: 'editor.save', label: 'Save', shortcut: 'mod+s', perform: (c) => c.save() },
  {
    id: 'editor.insert-component',
    label: 'Insert component',
    shortcut: 'mod+alt+c',
    perform: (c) => c.editor?.insert(SNIPPETS.component, true),
  },
  {
    id: 'editor.insert-decision',
    label: 'Insert decision',
    shortcut: 'mod+alt+d',
    perform: (c) => c.editor?.insert(SNIPPETS.decision, true),
  },
  {
    id: 'editor.insert-question',
    label: 'Insert open question',
    shortcut: 'mod+alt+q',
    perform: (c) => c.editor?.insert(SNIPPETS.question, true),
  },
];
