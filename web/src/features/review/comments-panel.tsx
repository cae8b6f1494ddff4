import { useState } from 'react';
import { endpoints, type CommentView } from '../../api/endpoints';

interface Props {
  documentId: string;
  comments: CommentView[];
  sections: Array<{ id: string; title: string }>;
  canComment: boolean;
  onChanged: () => void;
}

function Thread({
  comment,
  documentId,
  canComment,
  onChanged,
}: { comment: CommentView } & Omit<Props, 'comments' | 'sections'>) {
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function run(work: () => Promise<unknown>) {
    try {
      await work();
      setReply('');
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <li className={comment.resolved ? 'muted' : ''}>
      <p>
        <strong>{comment.author}</strong>{' '}
        {comment.section && <a href={`#${comment.section}`}>§ {comment.section}</a>} · rev {comment.revision}
        {comment.resolved && ` · resolved by ${comment.resolvedBy ?? 'someone'}`}
      </p>
      {comment.quote && <blockquote>{comment.quote}</blockquote>}
      <p>{comment.body}</p>
      <ul>
        {comment.replies.map((r) => (
          <li key={r.id}>
            <strong>{r.author}</strong>: {r.body}
          </li>
        ))}
      </ul>
      {canComment && !comment.resolved && (
        <div className="toolbar">
          <label className="sr-only" htmlFor={`reply-${comment.id}`}>
            Reply
          </label>
          <input
            id={`reply-${comment.id}`}
            placeholder="Reply…"
            value={reply}
            onChange={(e) => setReply(e.target.value)}
          />
          <button
            disabled={reply.trim() === ''}
            onClick={() => run(() => endpoints.addComment(documentId, { body: reply, parentId: comment.id }))}
          >
            Reply
          </button>
          <button onClick={() => run(() => endpoints.resolveComment(documentId, comment.id))}>Resolve</button>
        </div>
      )}
      {error && <p className="notice error">{error}</p>}
    </li>
  );
}

/** Comments anchored to sections (and optionally quoted text), threaded and resolvable. */
export function CommentsPanel(props: Props) {
  const [body, setBody] = useState('');
  const [section, setSection] = useState('');
  const [quote, setQuote] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function add() {
    try {
      await endpoints.addComment(props.documentId, {
        body,
        ...(section ? { section } : {}),
        ...(quote ? { quote } : {}),
      });
      setBody('');
      setQuote('');
      props.onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <div>
      <ul className="comments">
        {props.comments.map((c) => (
          <Thread
            key={c.id}
            comment={c}
            documentId={props.documentId}
            canComment={props.canComment}
            onChanged={props.onChanged}
          />
        ))}
        {props.comments.length === 0 && <li className="muted">No comments yet.</li>}
      </ul>
      {props.canComment && (
        <div>
          <label htmlFor="comment-section">Section</label>
          <select id="comment-section" value={section} onChange={(e) => setSection(e.target.value)}>
            <option value="">Whole document</option>
            {props.sections.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
          <label htmlFor="comment-quote">Quoted text (optional)</label>
          <input
            id="comment-quote"
            value={quote}
            onChange={(e) => setQuote(e.target.value)}
            style={{ width: '100%' }}
          />
          <label htmlFor="comment-body">Comment</label>
          <textarea
            id="comment-body"
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            style={{ width: '100%' }}
          />
          <button onClick={add} disabled={body.trim() === ''}>
            Add comment
          </button>
          {error && <p className="notice error">{error}</p>}
        </div>
      )}
    </div>
  );
}
