import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { endpoints, type RevisionDiff } from '../../api/endpoints';
import { useAsync } from '../../app/use-async';
import { AsyncView } from '../../components/async-view';
import { DiffView } from './diff-view';

/** Revisions with author and time; a diff between any two, inline or side by side. */
export function HistoryPage({ id }: { id: string }) {
  const revisions = useAsync(() => endpoints.revisions(id), [id]);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  const [mode, setMode] = useState<'inline' | 'side-by-side'>('side-by-side');
  const [texts, setTexts] = useState<{ before: string; after: string; diff: RevisionDiff } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const items = revisions.data?.items;
    if (!items || items.length === 0) return;
    const numbers = items.map((r) => r.revision).sort((a, b) => a - b);
    const last = numbers[numbers.length - 1] as number;
    setTo(last);
    setFrom(numbers.length > 1 ? (numbers[numbers.length - 2] as number) : last);
  }, [revisions.data]);

  useEffect(() => {
    if (!from || !to) return;
    setError(null);
    Promise.all([
      endpoints.markdownAt(id, from),
      endpoints.markdownAt(id, to),
      endpoints.diff(id, from, to),
    ]).then(
      ([before, after, diff]) => setTexts({ before, after, diff }),
      (e: Error) => setError(e.message),
    );
  }, [id, from, to]);

  return (
    <>
      <h1>
        History of <Link href={`/d/${id}`}>{id}</Link>
      </h1>
      <AsyncView state={revisions}>
        {(r) => (
          <>
            <table className="list" aria-label="Revisions">
              <thead>
                <tr>
                  <th>Revision</th>
                  <th>Author</th>
                  <th>When</th>
                  <th>Message</th>
                  <th>Compare</th>
                </tr>
              </thead>
              <tbody>
                {[...r.items].reverse().map((rev) => (
                  <tr key={rev.revision}>
                    <td>{rev.revision}</td>
                    <td>{rev.author ?? ''}</td>
                    <td>{new Date(rev.createdAt).toLocaleString()}</td>
                    <td>{rev.message ?? ''}</td>
                    <td>
                      <label>
                        <input
                          type="radio"
                          name="from"
                          aria-label={`Compare from revision ${rev.revision}`}
                          checked={from === rev.revision}
                          onChange={() => setFrom(rev.revision)}
                        />{' '}
                        from
                      </label>
                      <label>
                        <input
                          type="radio"
                          name="to"
                          aria-label={`Compare to revision ${rev.revision}`}
                          checked={to === rev.revision}
                          onChange={() => setTo(rev.revision)}
                        />{' '}
                        to
                      </label>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="toolbar">
              <span>
                Comparing revision {from} with {to}
              </span>
              <button onClick={() => setMode(mode === 'inline' ? 'side-by-side' : 'inline')}>
                {mode === 'inline' ? 'Side by side' : 'Inline'}
              </button>
            </div>
          </>
        )}
      </AsyncView>
      {error && <p className="notice error">{error}</p>}
      {texts && (
        <DiffView
          before={texts.before}
          after={texts.after}
          mode={mode}
          changedSections={texts.diff.sections.map((s) => `${s.title} (${s.change})`)}
        />
      )}
    </>
  );
}
