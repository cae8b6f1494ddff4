import { useEffect, useRef, useState } from 'react';
import { endpoints, type CommentView } from '../../api/endpoints';

/** Runs a comment call, keeps its refusal on screen, and reports success to the caller. */
function useCommentCall(onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(work: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await work();
      onDone();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, run };
}

/** One thread: the quoted text, the comment, its replies, and reply / resolve in place. */
export function CommentThread({
  comment,
  documentId,
  canComment,
  onChanged,
}: {
  comment: CommentView;
  documentId: string;
  canComment: boolean;
  onChanged: () => void;
}) {
  const [reply, setReply] = useState('');
  const call = useCommentCall(onChanged);
  const replyId = `reply-${comment.id}`;
  return (
    <li
      className={`comment-thread${comment.resolved ? ' resolved' : ''}`}
      data-testid={`comment-${comment.id}`}
    >
      <p className="comment-meta">
        <strong>{comment.author}</strong> <span className="muted">· rev {comment.revision}</span>
        {comment.resolved && <span className="muted"> · resolved by {comment.resolvedBy ?? 'someone'}</span>}
      </p>
      {comment.quote && <blockquote className="comment-quote">{comment.quote}</blockquote>}
      <p className="comment-body">{comment.body}</p>
      {comment.replies.length > 0 && (
        <ul className="comment-replies" aria-label={`Replies to ${comment.author}`}>
          {comment.replies.map((r) => (
            <li key={r.id}>
              <strong>{r.author}</strong>: {r.body}
            </li>
          ))}
        </ul>
      )}
      {canComment && !comment.resolved && (
        <form
          className="comment-reply"
          onSubmit={(e) => {
            e.preventDefault();
            void call
              .run(() => endpoints.addComment(documentId, { body: reply, parentId: comment.id }))
              .then((ok) => ok && setReply(''));
          }}
        >
          <label className="sr-only" htmlFor={replyId}>
            Reply to {comment.author}
          </label>
          <input id={replyId} placeholder="Reply…" value={reply} onChange={(e) => setReply(e.target.value)} />
          <button type="submit" disabled={call.busy || reply.trim() === ''}>
            Reply
          </button>
          <button
            type="button"
            disabled={call.busy}
            onClick={() => void call.run(() => endpoints.resolveComment(documentId, comment.id))}
          >
            Resolve
          </button>
        </form>
      )}
      {call.error && (
        <p className="notice error" role="alert">
          {call.error}
        </p>
      )}
    </li>
  );
}

/** A new comment on one section (or the whole document), with optional quoted text. */
export function CommentComposer({
  documentId,
  section,
  sectionTitle,
  initialQuote,
  onDone,
  onCancel,
}: {
  documentId: string;
  section: string | null;
  sectionTitle: string;
  initialQuote: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [body, setBody] = useState('');
  const [quote, setQuote] = useState(initialQuote);
  const call = useCommentCall(onDone);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);
  const key = section ?? 'document';
  return (
    <form
      className="comment-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void call.run(() =>
          endpoints.addComment(documentId, {
            body,
            ...(section ? { section } : {}),
            ...(quote.trim() ? { quote: quote.trim() } : {}),
          }),
        );
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={`comment-body-${key}`}>Comment on {sectionTitle}</label>
      <textarea
        id={`comment-body-${key}`}
        ref={box}
        rows={3}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
      <label htmlFor={`comment-quote-${key}`}>Quoted text (optional)</label>
      <input id={`comment-quote-${key}`} value={quote} onChange={(e) => setQuote(e.target.value)} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={call.busy || body.trim() === ''}>
          Comment
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {call.error && (
        <p className="notice error" role="alert">
          {call.error}
        </p>
      )}
    </form>
  );
}
