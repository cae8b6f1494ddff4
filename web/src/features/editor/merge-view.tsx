import { markdown } from '@codemirror/lang-markdown';
import { MergeView } from '@codemirror/merge';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

interface Props {
  /** The text someone else saved (the server's current revision). */
  theirs: string;
  /** The user's unsaved text. */
  mine: string;
  /** Receives the merged text whenever the user edits the right-hand side. */
  onMergedChange: (text: string) => void;
}

/**
 * Side-by-side conflict view: the server's revision on the left (read-only), the user's text on the
 * right, editable, with per-chunk buttons to take the other side. Neither text is ever dropped: the
 * user's original stays in local storage until a save succeeds.
 */
export function ConflictMergeView({ theirs, mine, onMergedChange }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const callback = useRef(onMergedChange);
  callback.current = onMergedChange;
  useEffect(() => {
    if (!host.current) return;
    const view = new MergeView({
      a: {
        doc: theirs,
        extensions: [
          basicSetup,
          markdown(),
          EditorView.editable.of(false),
          EditorView.contentAttributes.of({ 'aria-label': 'Saved revision (theirs)' }),
        ],
      },
      b: {
        doc: mine,
        extensions: [
          basicSetup,
          markdown(),
          EditorView.contentAttributes.of({ 'aria-label': 'Your text (mine)' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callback.current(u.state.doc.toString());
          }),
        ],
      },
      parent: host.current,
      revertControls: 'a-to-b',
      highlightChanges: true,
      gutter: true,
    });
    return () => view.destroy();
  }, [theirs, mine]);
  return <div className="merge-host" ref={host} data-testid="merge-view" />;
}
