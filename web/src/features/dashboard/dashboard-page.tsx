import { Link } from 'wouter';
import { endpoints, type DocumentView } from '../../api/endpoints';
import { useAsync } from '../../app/use-async';
import { AsyncView } from '../../components/async-view';
import { StatusBadge } from '../../components/status-badge';

function DocLink({ doc }: { doc: DocumentView }) {
  return (
    <>
      <Link href={`/d/${doc.id}`}>{doc.title || doc.id}</Link>{' '}
      <StatusBadge status={doc.status} raw={doc.statusRaw} />
    </>
  );
}

function Empty({ children }: { children: string }) {
  return <li className="muted">{children}</li>;
}

/** What needs the signed-in user now. */
export function DashboardPage() {
  const state = useAsync(() => endpoints.dashboard(), []);
  return (
    <>
      <h1>Dashboard</h1>
      <AsyncView state={state}>
        {(d) => (
          <div className="grid">
            <section className="card" aria-labelledby="dash-drafts">
              <h2 id="dash-drafts">My drafts</h2>
              <ul>
                {d.myDrafts.map((doc) => (
                  <li key={doc.id}>
                    <DocLink doc={doc} /> <span className="muted">score {doc.score}</span>
                  </li>
                ))}
                {d.myDrafts.length === 0 && <Empty>No drafts. Start one with New document.</Empty>}
              </ul>
            </section>
            <section className="card" aria-labelledby="dash-review">
              <h2 id="dash-review">Awaiting my review</h2>
              <ul>
                {d.awaitingMyReview.map(({ document, slots }) => (
                  <li key={document.id}>
                    <DocLink doc={document} /> <span className="muted">{slots.join(', ')}</span>
                  </li>
                ))}
                {d.awaitingMyReview.length === 0 && <Empty>Nothing is waiting for you.</Empty>}
              </ul>
            </section>
            <section className="card" aria-labelledby="dash-approved">
              <h2 id="dash-approved">Recently approved</h2>
              <ul>
                {d.recentlyApproved.map((doc) => (
                  <li key={doc.id}>
                    <DocLink doc={doc} />
                  </li>
                ))}
                {d.recentlyApproved.length === 0 && <Empty>No approved documents yet.</Empty>}
              </ul>
            </section>
            <section className="card" aria-labelledby="dash-questions">
              <h2 id="dash-questions">Open questions</h2>
              <ul>
                {d.openQuestions.map((q, i) => (
                  <li key={`${q.document}-${q.line}-${i}`}>
                    <Link href={`/d/${q.document}`}>{q.question}</Link>{' '}
                    <span className="muted">
                      {q.title} · {q.ageDays} d
                    </span>
                  </li>
                ))}
                {d.openQuestions.length === 0 && <Empty>No open questions.</Empty>}
              </ul>
            </section>
            <section className="card" aria-labelledby="dash-stalled">
              <h2 id="dash-stalled">Stalled reviews</h2>
              <ul>
                {d.stalled.map(({ document, idleDays }) => (
                  <li key={document.id}>
                    <DocLink doc={document} /> <span className="muted">idle {idleDays} d</span>
                  </li>
                ))}
                {d.stalled.length === 0 && (
                  <Empty>{`No review has been idle for ${d.stallDays} days.`}</Empty>
                )}
              </ul>
            </section>
            <section className="card" aria-labelledby="dash-status">
              <h2 id="dash-status">Documents by status</h2>
              <ul>
                {d.byStatus.map((s) => (
                  <li key={s.status}>
                    <Link href={`/documents?status=${encodeURIComponent(s.status)}`}>
                      <StatusBadge status={s.status} />
                    </Link>{' '}
                    {s.count}
                  </li>
                ))}
                {d.byStatus.length === 0 && <Empty>No documents yet.</Empty>}
              </ul>
            </section>
          </div>
        )}
      </AsyncView>
    </>
  );
}
