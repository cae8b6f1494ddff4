import { markdown } from '@codemirror/lang-markdown';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

export interface EditorFinding {
  ruleId: string;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface MarkdownEditorHandle {
  /** Moves the cursor to a 1-based line and column and scrolls it into view. */
  jumpTo(line: number, column?: number): void;
  /** Inserts text at the cursor, or at the start of the line after it when `asBlock`. */
  insert(text: string, asBlock?: boolean): void;
  getText(): string;
  setText(text: string): void;
  focus(): void;
}

interface Props {
  initialText: string;
  onChange: (text: string) => void;
  /** Returns findings for the text; called debounced by CodeMirror's linter. */
  lint: (text: string) => Promise<EditorFinding[]>;
  onSave?: () => void;
  label: string;
}

function toOffset(state: EditorState, line: number, column: number): number {
  const clamped = Math.min(Math.max(line, 1), state.doc.lines);
  const info = state.doc.line(clamped);
  return Math.min(info.from + Math.max(column - 1, 0), info.to);
}

/** CodeMirror 6 markdown editor with live lint diagnostics from the server's linter. */
export const MarkdownEditor = forwardRef<MarkdownEditorHandle, Props>(function MarkdownEditor(
  { initialText, onChange, lint, onSave, label },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, lint, onSave });
  callbacks.current = { onChange, lint, onSave };

  useEffect(() => {
    if (!host.current) return;
    const lintSource = linter(
      async (v) => {
        const findings = await callbacks.current.lint(v.state.doc.toString());
        return findings.map<Diagnostic>((f) => ({
          from: toOffset(v.state, f.line, f.column),
          to: Math.max(toOffset(v.state, f.endLine, f.endColumn), toOffset(v.state, f.line, f.column)),
          severity: f.severity === 'info' ? 'info' : f.severity,
          message: `${f.message} [${f.ruleId} ${f.rule}]`,
          source: f.ruleId,
        }));
      },
      { delay: 400 },
    );
    const state = EditorState.create({
      doc: initialText,
      extensions: [
        basicSetup,
        markdown(),
        EditorView.lineWrapping,
        lintGutter(),
        lintSource,
        keymap.of([
          {
            key: 'Mod-s',
            preventDefault: true,
            run: () => {
              callbacks.current.onSave?.();
              return true;
            },
          },
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': label }),
      ],
    });
    view.current = new EditorView({ state, parent: host.current });
    return () => {
      view.current?.destroy();
      view.current = null;
    };
    // The editor is created once; later text changes go through the handle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useImperativeHandle(ref, () => ({
    jumpTo(line, column = 1) {
      const v = view.current;
      if (!v) return;
      const pos = toOffset(v.state, line, column);
      v.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
      v.focus();
    },
    insert(text, asBlock = false) {
      const v = view.current;
      if (!v) return;
      const head = v.state.selection.main.head;
      const at = asBlock ? v.state.doc.lineAt(head).to : head;
      const insertText = asBlock ? `\n${text}` : text;
      v.dispatch({
        changes: { from: at, insert: insertText },
        selection: { anchor: at + insertText.length },
      });
      v.focus();
    },
    getText: () => view.current?.state.doc.toString() ?? '',
    setText(text) {
      const v = view.current;
      if (!v) return;
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    },
    focus: () => view.current?.focus(),
  }));

  return <div className="editor-host" ref={host} />;
});
