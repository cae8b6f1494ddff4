import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { endpoints } from '../../api/endpoints';
import { useAsync } from '../../app/use-async';
import { AsyncView } from '../../components/async-view';

/** New document from a template (template, title, type). */
export function NewDocumentPage() {
  const [, navigate] = useLocation();
  const templates = useAsync(() => endpoints.templates(), []);
  const [template, setTemplate] = useState('design-document');
  const [title, setTitle] = useState('');
  const [type, setType] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { document } = await endpoints.createDocument({ template, title, ...(type ? { type } : {}) });
      navigate(`/d/${document.id}/edit`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>New document</h1>
      <AsyncView state={templates}>
        {(t) => (
          <form onSubmit={submit} style={{ maxWidth: 520 }}>
            <label htmlFor="new-template">Template</label>
            <select id="new-template" value={template} onChange={(e) => setTemplate(e.target.value)}>
              {t.items.map((item) => (
                <option key={item.name} value={item.name}>
                  {item.title} ({item.name})
                </option>
              ))}
            </select>
            <p className="muted">{t.items.find((i) => i.name === template)?.description}</p>
            <label htmlFor="new-title">Title</label>
            <input
              id="new-title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              style={{ width: '100%' }}
            />
            <label htmlFor="new-type">Type (optional)</label>
            <input
              id="new-type"
              value={type}
              onChange={(e) => setType(e.target.value)}
              placeholder="e.g. Service Design"
              style={{ width: '100%' }}
            />
            {error && (
              <p className="notice error" role="alert">
                {error}
              </p>
            )}
            <p>
              <button className="primary" type="submit" disabled={busy || title.trim() === ''}>
                Create and edit
              </button>
            </p>
          </form>
        )}
      </AsyncView>
    </>
  );
}
