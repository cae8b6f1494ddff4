import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { endpoints, LIFECYCLE, type Lifecycle, type Session } from '../../api/endpoints';
import { useActionShortcuts } from '../../actions/use-actions';
import { useAsync } from '../../app/use-async';
import { AsyncView } from '../../components/async-view';
import { StatusBadge } from '../../components/status-badge';
import { CommentsSummary, ReviewableDocument } from '../review/margin-comments';
import { ReviewPanel } from '../review/review-panel';
import { documentActions } from './document-actions';
import { LinkGraph } from './link-graph';

function outlineOf(html: string): Array<{ id: string; title: string; level: number }> {
  const dom = new DOMParser().parseFromString(html, 'text/html');
  return Array.from(dom.querySelectorAll('h1[id], h2[id], h3[id], h4[id]')).map((h) => ({
    id: h.id,
    title: h.textContent ?? '',
    level: Number(h.tagName.slice(1)),
  }));
}

function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const ms = Date.parse(until) - now;
  if (ms <= 0) return <span>Final comment period ended.</span>;
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  return (
    <span data-testid="fcp-countdown">
      Final comment period ends in {days} d {hours} h ({new Date(until).toLocaleString()})
    </span>
  );
}

/** The rendered document with its outline, metadata, lint findings, reviews, comments and links. */
export function DocumentPage({ id, session }: { id: string; session: Session }) {
  const [, navigate] = useLocation();
  const doc = useAsync(() => endpoints.getDocument(id), [id]);
  const html = useAsync(() => endpoints.documentHtml(id), [id, doc.data?.document.revision]);
  const findings = useAsync(() => endpoints.findings(id), [id, doc.data?.document.revision]);
  const reviews = useAsync(() => endpoints.reviews(id), [id, doc.data?.document.revision]);
  const comments = useAsync(() => endpoints.comments(id), [id]);
  const graph = useAsync(() => endpoints.links(id), [id]);
  const [target, setTarget] = useState<Lifecycle>('in-review');
  const [transitionError, setTransitionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const outline = useMemo(() => (html.data ? outlineOf(html.data) : []), [html.data]);

  const me = session.user;
  const view = doc.data?.document;
  const isAuthor = view?.author === me.username;
  const canEdit = me.role === 'admin' || (me.role === 'member' && isAuthor);
  const canReview = me.role !== 'viewer' && !isAuthor;

  const actionContext = { id, navigate, canEdit };
  const actions = documentActions;
  useActionShortcuts(actions, actionContext);

  function reloadAll() {
    doc.reload();
    reviews.reload();
    comments.reload();
  }

  async function transition() {
    setTransitionError(null);
    setNotice(null);
    try {
      await endpoints.transition(id, target);
      setNotice(`Status changed to ${target}.`);
      reloadAll();
    } catch (e) {
      setTransitionError((e as Error).message);
    }
  }

  return (
    <AsyncView state={doc}>
      {({ document }) => (
        <div className="doc-layout">
          <aside className="outline-aside" aria-label="Outline">
            <nav className="outline">
              <h2>Outline</h2>
              <ol>
                {outline.map((h) => (
                  <li key={h.id} style={{ paddingLeft: `${(h.level - 1) * 0.6}rem` }}>
                    <a href={`#${h.id}`}>{h.title}</a>
                  </li>
                ))}
              </ol>
            </nav>
          </aside>
          <article aria-label="Document">
            <div className="toolbar">
              <h1 style={{ margin: 0 }}>{document.title}</h1>
              <StatusBadge status={document.status} raw={document.statusRaw} />
              <span className="muted">
                rev {document.revision} · {document.type ?? 'no type'} · template{' '}
                {document.template ?? 'none'} · by {document.author ?? 'unknown'}
              </span>
            </div>
            <div className="toolbar">
              {actions
                .filter((a) => (a.enabled ? a.enabled(actionContext) : true))
                .map((a) => (
                  <button
                    key={a.id}
                    onClick={() => void a.perform(actionContext)}
                    title={a.shortcut ? `Shortcut: ${a.shortcut}` : undefined}
                  >
                    {a.label}
                  </button>
                ))}
              {canEdit && (
                <>
                  <label className="sr-only" htmlFor="transition-to">
                    New status
                  </label>
                  <select
                    id="transition-to"
                    value={target}
                    onChange={(e) => setTarget(e.target.value as Lifecycle)}
                  >
                    {LIFECYCLE.filter((s) => s !== document.status).map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                  <button onClick={transition}>Change status</button>
                </>
              )}
            </div>
            {transitionError && (
              <p className="notice error" role="alert" data-testid="transition-error">
                {transitionError}
              </p>
            )}
            {notice && (
              <p className="notice ok" role="status">
                {notice}
              </p>
            )}
            {document.finalCommentEndsAt && (
              <p className="notice">
                <Countdown until={document.finalCommentEndsAt} />
              </p>
            )}
            <AsyncView state={html}>
              {(h) => (
                <ReviewableDocument
                  key={id}
                  documentId={id}
                  html={h}
                  comments={comments.data?.items ?? null}
                  canComment={me.role !== 'viewer'}
                  onChanged={comments.reload}
                />
              )}
            </AsyncView>
          </article>
          <aside aria-label="Review">
            <section className="panel card">
              <h2>Completeness</h2>
              <p>
                <meter min={0} max={100} value={document.score} aria-label="Completeness score" />{' '}
                {document.score}/100
              </p>
            </section>
            <section className="panel card" aria-labelledby="lint-heading">
              <h2 id="lint-heading">Lint ({findings.data?.items.length ?? '…'})</h2>
              <AsyncView state={findings}>
                {(f) => (
                  <ul className="findings" data-testid="lint-panel">
                    {f.items.map((item, i) => (
                      <li key={i}>
                        <button
                          onClick={() => navigate(`/d/${id}/edit?line=${item.line}&column=${item.column}`)}
                        >
                          <span className={`sev-${item.severity}`}>{item.severity}</span> {item.line}:
                          {item.column} {item.message} <span className="muted">{item.ruleId}</span>
                        </button>
                      </li>
                    ))}
                    {f.items.length === 0 && <li className="muted">No findings.</li>}
                  </ul>
                )}
              </AsyncView>
            </section>
            <section className="panel card" aria-labelledby="review-heading">
              <h2 id="review-heading">Approvals</h2>
              <AsyncView state={reviews}>
                {(r) => (
                  <ReviewPanel
                    documentId={id}
                    revision={document.revision}
                    state={r}
                    canRequest={canEdit}
                    canReview={canReview}
                    onChanged={reloadAll}
                  />
                )}
              </AsyncView>
            </section>
            <section className="panel card" aria-labelledby="comments-heading">
              <h2 id="comments-heading">Comments</h2>
              <AsyncView state={comments}>
                {(c) => (
                  <CommentsSummary
                    comments={c.items}
                    sections={outline.map((o) => ({ id: o.id, title: o.title }))}
                  />
                )}
              </AsyncView>
            </section>
            <section className="panel card" aria-labelledby="links-heading">
              <h2 id="links-heading">Links</h2>
              <AsyncView state={graph}>{(g) => <LinkGraph graph={g} documentId={id} />}</AsyncView>
            </section>
          </aside>
        </div>
      )}
    </AsyncView>
  );
}
