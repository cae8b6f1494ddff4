import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../../api/client';
import { endpoints, type DocumentView } from '../../api/endpoints';
import { useActionShortcuts } from '../../actions/use-actions';
import { RenderedDocument } from '../../components/rendered-document';
import { clearDraft, readDraft, writeDraft } from './local-draft';
import type { MarkdownEditorHandle } from './markdown-editor';
import { editorActions, type EditorActionContext } from './snippets';

// CodeMirror is loaded only when someone edits.
const MarkdownEditor = lazy(() => import('./markdown-editor').then((m) => ({ default: m.MarkdownEditor })));
const ConflictMergeView = lazy(() => import('./merge-view').then((m) => ({ default: m.ConflictMergeView })));

interface Conflict {
  theirs: string;
  theirRevision: number;
  mine: string;
}

/** Editor with live lint, side-by-side preview, snippets, local autosave and conflict merge. */
export function EditorPage({ id }: { id: string }) {
  const search = useSearch();
  const [, navigate] = useLocation();
  const editor = useRef<MarkdownEditorHandle>(null);
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [initial, setInitial] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [base, setBase] = useState(0);
  const [html, setHtml] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error' | 'info'; message: string } | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [merged, setMerged] = useState('');
  const [saving, setSaving] = useState(false);
  const [findingCount, setFindingCount] = useState<number | null>(null);

  useEffect(() => {
    endpoints.getDocument(id).then(
      ({ document, markdown }) => {
        const draft = readDraft(id);
        const useDraft = draft !== null && draft.text !== markdown;
        setDoc(document);
        setBase(useDraft ? draft.baseRevision : document.revision);
        setInitial(useDraft ? draft.text : markdown);
        setText(useDraft ? draft.text : markdown);
        if (useDraft)
          setStatus({
            kind: 'info',
            message: `Restored your unsaved edits from ${new Date(draft.savedAt).toLocaleString()}.`,
          });
      },
      (e: Error) => setStatus({ kind: 'error', message: e.message }),
    );
  }, [id]);

  // Jump to ?line=&column= once the editor is there (from a lint finding on the document page).
  useEffect(() => {
    if (initial === null) return;
    const params = new URLSearchParams(search);
    const line = Number(params.get('line'));
    if (!line) return;
    const timer = setInterval(() => {
      if (editor.current) {
        editor.current.jumpTo(line, Number(params.get('column')) || 1);
        clearInterval(timer);
      }
    }, 50);
    return () => clearInterval(timer);
  }, [initial, search]);

  // Autosave locally and refresh the preview, debounced.
  useEffect(() => {
    if (initial === null) return;
    const timer = setTimeout(() => {
      if (text !== initial || readDraft(id))
        writeDraft(id, { text, baseRevision: base, savedAt: Date.now() });
      endpoints.preview(text, doc?.template ?? undefined).then(
        (r) => setHtml(r.html),
        () => undefined,
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [text, base, id, initial, doc?.template]);

  const lint = useCallback(
    async (value: string) => {
      try {
        const result = await endpoints.lint(value, doc?.template ?? undefined);
        setFindingCount(result.findings.length);
        return result.findings;
      } catch {
        return [];
      }
    },
    [doc?.template],
  );

  const save = useCallback(async () => {
    const current = editor.current?.getText() ?? text;
    setSaving(true);
    setStatus(null);
    try {
      const result = await endpoints.saveDocument(id, current, base);
      clearDraft(id);
      setDoc(result.document);
      setBase(result.document.revision);
      setInitial(current);
      const notes = result.notices.length ? ` ${result.notices.join(' ')}` : '';
      // The same revision back: the text was already saved, and the notice says so.
      const saved = result.document.revision === base ? '' : `Saved revision ${result.document.revision}.`;
      setStatus({ kind: 'ok', message: `${saved}${notes}`.trim() });
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        const latest = await endpoints.getDocument(id);
        writeDraft(id, { text: current, baseRevision: base, savedAt: Date.now() });
        setConflict({ theirs: latest.markdown, theirRevision: latest.document.revision, mine: current });
        setMerged(current);
        setStatus({
          kind: 'error',
          message: `Someone saved revision ${latest.document.revision} first. Merge your text with theirs below, then save.`,
        });
      } else {
        setStatus({ kind: 'error', message: (e as Error).message });
      }
    } finally {
      setSaving(false);
    }
  }, [id, base, text]);

  function acceptMerge() {
    if (!conflict) return;
    editor.current?.setText(merged);
    setText(merged);
    setBase(conflict.theirRevision);
    writeDraft(id, { text: merged, baseRevision: conflict.theirRevision, savedAt: Date.now() });
    setConflict(null);
    setStatus({ kind: 'info', message: `Merged onto revision ${conflict.theirRevision}. Save to store it.` });
  }

  const actionContext: EditorActionContext = {
    get editor() {
      return editor.current;
    },
    save: () => void save(),
  };
  useActionShortcuts(editorActions, actionContext);

  if (initial === null)
    return status ? <p className="notice error">{status.message}</p> : <p className="muted">Loading…</p>;

  return (
    <>
      <div className="toolbar">
        <h1 style={{ margin: 0 }}>Editing {doc?.title}</h1>
        <span className="muted">based on revision {base}</span>
        <span className="muted" aria-live="polite">
          {findingCount === null ? '' : `${findingCount} lint findings`}
        </span>
      </div>
      <div className="toolbar">
        {editorActions.map((a) => (
          <button
            key={a.id}
            className={a.id === 'editor.save' ? 'primary' : ''}
            disabled={a.id === 'editor.save' && (saving || conflict !== null)}
            onClick={() => void a.perform(actionContext)}
          >
            {a.id === 'editor.save' && saving ? 'Saving…' : a.label}
          </button>
        ))}
        <Link href={`/d/${id}`}>Back to document</Link>
        <button onClick={() => navigate(`/d/${id}/history`)}>History</button>
      </div>
      {status && (
        <p
          className={`notice ${status.kind === 'ok' ? 'ok' : status.kind === 'error' ? 'error' : ''}`}
          role={status.kind === 'error' ? 'alert' : 'status'}
          data-testid="editor-status"
        >
          {status.message}
        </p>
      )}
      {conflict && (
        <section aria-labelledby="merge-heading" className="card">
          <h2 id="merge-heading">Resolve the conflict</h2>
          <p className="muted">
            Left: revision {conflict.theirRevision} as saved. Right: your text — edit it into the version you
            want. Nothing is discarded until you save.
          </p>
          <Suspense fallback={<p>Loading merge view…</p>}>
            <ConflictMergeView theirs={conflict.theirs} mine={conflict.mine} onMergedChange={setMerged} />
          </Suspense>
          <div className="toolbar">
            <button className="primary" onClick={acceptMerge}>
              Use merged text
            </button>
          </div>
        </section>
      )}
      <div className="editor-layout">
        <Suspense fallback={<p>Loading editor…</p>}>
          <MarkdownEditor
            ref={editor}
            initialText={initial}
            onChange={setText}
            lint={lint}
            onSave={() => void save()}
            label="Markdown source"
          />
        </Suspense>
        <section className="preview" aria-label="Preview">
          <RenderedDocument html={html} />
        </section>
      </div>
    </>
  );
}
