import { useState } from 'react';
import { endpoints, type ReviewState, type SlotState } from '../../api/endpoints';

interface Props {
  documentId: string;
  revision: number;
  state: ReviewState;
  canRequest: boolean;
  canReview: boolean;
  onChanged: () => void;
}

function SlotCard({
  slot,
  documentId,
  revision,
  canRequest,
  canReview,
  onChanged,
}: Omit<Props, 'state'> & { slot: SlotState }) {
  const [assignee, setAssignee] = useState('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `slot-${slot.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

  async function act(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await work();
      setComment('');
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const request = () => {
    const names = assignee
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const groups = names.filter((n) => n.startsWith('@')).map((n) => n.slice(1));
    const users = names.filter((n) => !n.startsWith('@'));
    return act(() => endpoints.requestReview(documentId, slot.name, users, groups));
  };

  return (
    <section className="slot" aria-labelledby={id} data-testid={id}>
      <h3 id={id}>
        {slot.name}{' '}
        {slot.approved ? (
          <span className="sev-ok">✓ approved</span>
        ) : slot.blocking ? (
          <span className="sev-error">blocked</span>
        ) : (
          <span className="muted">open</span>
        )}
      </h3>
      <p className="muted">
        {slot.roster ? `Roster: ${slot.roster}. ` : ''}
        {slot.assignees.users.length + slot.assignees.groups.length > 0
          ? `Asked: ${[...slot.assignees.users, ...slot.assignees.groups.map((g) => `@${g}`)].join(', ')}`
          : 'Nobody asked yet.'}
      </p>
      <ul>
        {slot.verdicts.map((v) => (
          <li key={v.id} className={v.stale ? 'stale-verdict' : ''}>
            <strong>{v.displayName || v.user}</strong> — {v.verdict.replace('-', ' ')} on revision{' '}
            {v.revision}, {new Date(v.createdAt).toLocaleDateString()}
            {v.stale && <span className="stale"> (stale: the section changed since)</span>}
            {v.comment && <blockquote>{v.comment}</blockquote>}
          </li>
        ))}
      </ul>
      {canRequest && (
        <div className="toolbar">
          <label className="sr-only" htmlFor={`${id}-who`}>
            Reviewers for {slot.name}
          </label>
          <input
            id={`${id}-who`}
            placeholder="user, @group"
            value={assignee}
            onChange={(e) => setAssignee(e.target.value)}
            size={14}
          />
          <button onClick={request} disabled={busy || assignee.trim() === ''}>
            Request review
          </button>
        </div>
      )}
      {canReview && (
        <div>
          <label htmlFor={`${id}-comment`}>Comment (optional)</label>
          <textarea
            id={`${id}-comment`}
            rows={2}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            style={{ width: '100%' }}
          />
          <div className="toolbar">
            <button
              className="primary"
              disabled={busy}
              onClick={() =>
                act(() => endpoints.verdict(documentId, slot.name, 'approved', revision, comment))
              }
            >
              Approve
            </button>
            <button
              disabled={busy}
              onClick={() =>
                act(() => endpoints.verdict(documentId, slot.name, 'changes-requested', revision, comment))
              }
            >
              Request changes
            </button>
            <button
              className="danger"
              disabled={busy}
              onClick={() =>
                act(() => endpoints.verdict(documentId, slot.name, 'blocking', revision, comment))
              }
            >
              Blocking concern
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Approval slots: who approved which revision and when, stale approvals, blocking concerns, actions. */
export function ReviewPanel(props: Props) {
  return (
    <div data-testid="review-panel">
      {props.state.blocking && <p className="notice error">A blocking concern is open.</p>}
      {props.state.slots.map((slot) => (
        <SlotCard key={slot.name} slot={slot} {...props} />
      ))}
      {props.state.slots.length === 0 && (
        <p className="muted">This document's template has no approval slots.</p>
      )}
    </div>
  );
}
