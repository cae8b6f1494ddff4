/**
 * Margin comments: each section's threads sit in a column beside that section (Google-Docs style),
 * or inline under its heading when the document column is narrow.
 *
 * The rendered document is flat server HTML (headings with ids, no section wrappers), so a section's
 * threads are rendered through a portal into a small host element placed right after its heading.
 * In the wide layout the host is absolutely positioned in the margin with its vertical position left
 * `auto`: the browser keeps it level with the heading however the text reflows (including the
 * content-visibility estimates of long documents), and script only nudges hosts apart when two would
 * overlap. Hosts exist only for sections that have comments, plus the one section under the pointer,
 * focus or URL fragment (its "add comment" button), so a document without comments gets no extra
 * nodes, no extra layout work and no layout shift.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { CommentView } from '../../api/endpoints';
import { RenderedDocument } from '../../components/rendered-document';
import { CommentComposer, CommentThread } from './comment-thread';

const SLOT_GAP = 8;
const DOCUMENT_KEY = '';

interface Props {
  documentId: string;
  html: string;
  /** Top-level threads; null while they load. */
  comments: CommentView[] | null;
  canComment: boolean;
  onChanged: () => void;
}

interface SlotProps {
  documentId: string;
  section: string | null;
  title: string;
  threads: CommentView[];
  /** Threads whose section is not in this revision any more (document slot only). */
  orphans?: Array<{ comment: CommentView; section: string }>;
  expanded: boolean;
  composing: boolean;
  initialQuote: string;
  canComment: boolean;
  onToggle: () => void;
  /** Opens or closes the composer; `added` when it closed because a comment was saved. */
  onCompose: (open: boolean, added?: boolean) => void;
  onChanged: () => void;
}

/** The badge, the threads and the composer for one section (or the whole document). */
function CommentSlot(props: SlotProps) {
  const [showResolved, setShowResolved] = useState(false);
  const all = [...props.threads, ...(props.orphans ?? []).map((o) => o.comment)];
  const open = all.filter((c) => !c.resolved);
  const resolved = all.filter((c) => c.resolved);
  const key = props.section ?? 'document';
  const listId = `margin-threads-${key}`;
  const orphanSection = new Map((props.orphans ?? []).map((o) => [o.comment.id, o.section]));
  const thread = (c: CommentView) => (
    <div key={c.id}>
      {orphanSection.has(c.id) && (
        <p className="muted comment-orphan">On “{orphanSection.get(c.id)}”, no longer in the document</p>
      )}
      <ul className="comment-list">
        <CommentThread
          comment={c}
          documentId={props.documentId}
          canComment={props.canComment}
          onChanged={props.onChanged}
        />
      </ul>
    </div>
  );
  const addButton = props.canComment && !props.composing && (
    <button
      type="button"
      className="margin-add"
      data-testid={`add-comment-${key}`}
      onClick={() => props.onCompose(true)}
    >
      + Comment<span className="sr-only"> on {props.title}</span>
    </button>
  );
  const composer = props.composing && (
    <CommentComposer
      documentId={props.documentId}
      section={props.section}
      sectionTitle={props.title}
      initialQuote={props.initialQuote}
      onCancel={() => props.onCompose(false)}
      onDone={() => {
        props.onCompose(false, true);
        props.onChanged();
      }}
    />
  );
  if (all.length === 0) {
    return (
      <div className="margin-slot-body" data-testid={`margin-${key}`}>
        {addButton}
        {composer}
      </div>
    );
  }
  return (
    <div
      className={`margin-slot-body${props.expanded ? ' expanded' : ''}`}
      role="group"
      aria-label={`Comments on ${props.title}`}
      data-testid={`margin-${key}`}
    >
      <div className="margin-slot-head">
        <button
          type="button"
          className="margin-badge"
          aria-expanded={props.expanded}
          aria-controls={listId}
          data-testid={`comment-badge-${key}`}
          onClick={props.onToggle}
        >
          {open.length > 0
            ? `${open.length} ${open.length === 1 ? 'comment' : 'comments'}`
            : `${resolved.length} resolved`}
          <span className="sr-only"> on {props.title}</span>
        </button>
        {!props.expanded && addButton}
      </div>
      {props.expanded && (
        <div id={listId}>
          {open.map(thread)}
          {resolved.length > 0 && open.length > 0 && (
            <button
              type="button"
              className="link-button"
              aria-expanded={showResolved}
              onClick={() => setShowResolved((s) => !s)}
            >
              {showResolved ? 'Hide' : 'Show'} {resolved.length} resolved
            </button>
          )}
          {(showResolved || open.length === 0) && resolved.map(thread)}
          {addButton}
        </div>
      )}
      {composer}
    </div>
  );
}

/** The top-level block (h1–h6 with an id) whose section contains `node`, if any. */
function sectionHeadingOf(rendered: HTMLElement, node: Node | null): HTMLElement | null {
  let el: Element | null = node instanceof Element ? node : (node?.parentElement ?? null);
  while (el && el.parentElement !== rendered) el = el.parentElement;
  if (!el || el.classList.contains('margin-slot')) return null;
  for (let at: Element | null = el; at; at = at.previousElementSibling) {
    if (/^H[1-6]$/.test(at.tagName) && at.id) return at as HTMLElement;
  }
  return null;
}

function insideSlot(node: EventTarget | Node | null): boolean {
  return node instanceof Element && node.closest('.margin-slot, .document-comments') !== null;
}

const MemoDocument = memo(RenderedDocument);

/** The rendered document with its comments in the margin beside each section. */
export function ReviewableDocument({ documentId, html, comments, canComment, onChanged }: Props) {
  const wrapper = useRef<HTMLDivElement>(null);
  const docSlot = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<string | null>(null);
  const [composing, setComposing] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [hosts, setHosts] = useState<ReadonlyMap<string, { host: HTMLElement; title: string }>>(new Map());
  const selection = useRef<{ section: string; text: string } | null>(null);
  const pendingFocus = useRef<string | null>(null);

  const rendered = useCallback(
    () => wrapper.current?.querySelector<HTMLElement>(':scope > .rendered') ?? null,
    [],
  );
  const headingById = useCallback(
    (id: string) => rendered()?.querySelector<HTMLElement>(`:scope > #${CSS.escape(id)}`) ?? null,
    [rendered],
  );

  // Threads by section; sections missing from this revision fall back to the document slot.
  const { bySection, documentThreads } = useMemo(() => {
    const map = new Map<string, CommentView[]>();
    const top: CommentView[] = [];
    for (const c of comments ?? []) {
      if (c.section === null) top.push(c);
      else map.set(c.section, [...(map.get(c.section) ?? []), c]);
    }
    return { bySection: map, documentThreads: top };
  }, [comments]);

  // Which sections need a host, and of which kind ('t' threads / composer, 'a' add button only).
  const wanted = new Map<string, 't' | 'a'>();
  for (const id of bySection.keys()) wanted.set(id, 't');
  if (composing !== null && composing !== DOCUMENT_KEY) wanted.set(composing, 't');
  if (canComment && active !== null && !wanted.has(active)) wanted.set(active, 'a');
  const wantedKey = [...wanted].map(([id, kind]) => `${kind}:${id}`).join('\n');

  // Place (or move) the hosts after their headings whenever the HTML or the wanted set changes.
  useLayoutEffect(() => {
    const root = rendered();
    if (!root) return;
    const next = new Map<string, { host: HTMLElement; title: string }>();
    for (const line of wantedKey ? wantedKey.split('\n') : []) {
      const kind = line.slice(0, 1);
      const id = line.slice(2);
      const heading = headingById(id);
      if (!heading) continue;
      let host = hosts.get(id)?.host;
      if (!host || host.previousElementSibling !== heading) {
        host = document.createElement('div');
        heading.after(host);
      }
      host.className = kind === 'a' ? 'margin-slot add-only' : 'margin-slot';
      next.set(id, { host, title: heading.textContent ?? id });
    }
    for (const [id, { host }] of hosts) if (next.get(id)?.host !== host) host.remove();
    const same = next.size === hosts.size && [...next].every(([id, v]) => hosts.get(id)?.host === v.host);
    if (!same) setHosts(next);
    // `hosts` is read to reuse elements, not a trigger: hosts only change here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [html, wantedKey, rendered, headingById]);

  // Sections whose heading is gone (renamed or removed) are listed with the document's comments.
  const orphanList = useMemo(() => {
    const out: Array<{ comment: CommentView; section: string }> = [];
    for (const [id, threads] of bySection) {
      if (!hosts.has(id) && !headingById(id)) for (const c of threads) out.push({ comment: c, section: id });
    }
    return out;
  }, [bySection, hosts, headingById]);

  // Wide layout: nudge margin hosts down so none overlaps the one above it (or the document slot).
  const stack = useCallback(() => {
    const root = rendered();
    const outer = wrapper.current;
    if (!root || !outer) return;
    const slots = Array.from(root.querySelectorAll<HTMLElement>(':scope > .margin-slot'));
    if (slots.length === 0) return;
    const inMargin = getComputedStyle(outer).getPropertyValue('--margin-mode').trim() === '1';
    // Reads first (offsetTop ignores transforms, so it is the natural position), then writes.
    const natural = slots.map((s) => ({ s, top: s.offsetTop, height: s.offsetHeight }));
    let bottom = inMargin ? (docSlot.current?.offsetHeight ?? 0) + SLOT_GAP : -Infinity;
    for (const { s, top, height } of natural) {
      const shift = inMargin ? Math.max(0, bottom - top) : 0;
      s.style.transform = shift > 0 ? `translateY(${shift}px)` : '';
      if (inMargin) bottom = top + shift + height + SLOT_GAP;
    }
  }, [rendered]);

  useLayoutEffect(() => {
    stack();
  });

  useEffect(() => {
    const root = rendered();
    if (!root || hosts.size === 0) return;
    const observer = new ResizeObserver(() => stack());
    observer.observe(root);
    for (const { host } of hosts.values()) observer.observe(host);
    if (docSlot.current) observer.observe(docSlot.current);
    return () => observer.disconnect();
  }, [hosts, rendered, stack]);

  // The current section follows the pointer, keyboard focus and text selection in the document.
  useEffect(() => {
    const root = rendered();
    if (!root) return;
    const follow = (event: Event) => {
      if (insideSlot(event.target)) return;
      const heading = sectionHeadingOf(root, event.target as Node);
      if (heading) setActive(heading.id);
    };
    const select = () => {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !root.contains(sel.anchorNode) || insideSlot(sel.anchorNode)) return;
      const heading = sectionHeadingOf(root, sel.anchorNode);
      if (!heading) return;
      selection.current = { section: heading.id, text: sel.toString().trim().slice(0, 500) };
      setActive(heading.id);
    };
    root.addEventListener('mouseover', follow);
    root.addEventListener('focusin', follow);
    root.addEventListener('mouseup', select);
    root.addEventListener('keyup', select);
    return () => {
      root.removeEventListener('mouseover', follow);
      root.removeEventListener('focusin', follow);
      root.removeEventListener('mouseup', select);
      root.removeEventListener('keyup', select);
    };
  }, [html, rendered]);

  // `#section` (from the outline) makes that section current; `#comments-section` opens its threads.
  useEffect(() => {
    const onHash = () => {
      const hash = decodeURIComponent(window.location.hash.slice(1));
      if (!hash) return;
      const wantsComments = hash.startsWith('comments-');
      const id = wantsComments ? hash.slice('comments-'.length) : hash;
      const heading = headingById(id);
      if (!heading) return;
      setActive(id);
      if (wantsComments) {
        setExpanded((s) => new Set(s).add(id));
        heading.scrollIntoView({ block: 'start' });
        requestAnimationFrame(() =>
          document.querySelector<HTMLElement>(`[data-testid="comment-badge-${CSS.escape(id)}"]`)?.focus(),
        );
      }
    };
    onHash();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [html, headingById]);

  const toggle = (id: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const compose = (id: string) => (open: boolean, added?: boolean) => {
    setComposing(open ? id : null);
    if (open) return;
    setExpanded((s) => new Set(s).add(id));
    // Keyboard users land back on the section's comment controls, not at the top of the page: the
    // new thread's badge once the reloaded comments show it, or the control they started from.
    const key = id === DOCUMENT_KEY ? 'document' : id;
    if (added) pendingFocus.current = key;
    else
      requestAnimationFrame(() =>
        document
          .querySelector<HTMLElement>(
            `[data-testid="comment-badge-${CSS.escape(key)}"], [data-testid="add-comment-${CSS.escape(key)}"]`,
          )
          ?.focus(),
      );
  };
  useEffect(() => {
    const key = pendingFocus.current;
    if (key === null) return;
    const badge = document.querySelector<HTMLElement>(`[data-testid="comment-badge-${CSS.escape(key)}"]`);
    if (!badge) return;
    pendingFocus.current = null;
    badge.focus();
  });
  const quoteFor = (id: string) => (selection.current?.section === id ? selection.current.text : '');

  const slotProps = (id: string, title: string, threads: CommentView[]): SlotProps => ({
    documentId,
    section: id === DOCUMENT_KEY ? null : id,
    title,
    threads,
    expanded: expanded.has(id),
    composing: composing === id,
    initialQuote: id === DOCUMENT_KEY ? '' : quoteFor(id),
    canComment,
    onToggle: () => toggle(id),
    onCompose: compose(id),
    onChanged,
  });

  return (
    <div className="reviewable-host">
      <div className="reviewable" ref={wrapper}>
        <div className="document-comments" ref={docSlot}>
          {comments !== null && (
            <CommentSlot
              {...slotProps(DOCUMENT_KEY, 'the whole document', documentThreads)}
              orphans={orphanList}
            />
          )}
        </div>
        <MemoDocument html={html} />
        {[...hosts].map(([id, { host, title }]) =>
          createPortal(<CommentSlot {...slotProps(id, title, bySection.get(id) ?? [])} />, host, id),
        )}
      </div>
    </div>
  );
}

/** Side-panel index of the margin threads: one link per section that opens its threads. */
export function CommentsSummary({
  comments,
  sections,
}: {
  comments: CommentView[];
  sections: Array<{ id: string; title: string }>;
}) {
  const counts = new Map<string, { open: number; resolved: number }>();
  for (const c of comments) {
    const key = c.section ?? DOCUMENT_KEY;
    const n = counts.get(key) ?? { open: 0, resolved: 0 };
    if (c.resolved) n.resolved++;
    else n.open++;
    counts.set(key, n);
  }
  if (counts.size === 0)
    return (
      <p className="muted">No comments yet. Point at a section (or focus it) to add one in the margin.</p>
    );
  const titles = new Map(sections.map((s) => [s.id, s.title]));
  return (
    <ul data-testid="comments-summary">
      {[...counts].map(([id, n]) => (
        <li key={id}>
          {id === DOCUMENT_KEY || !titles.has(id) ? (
            <span>{id === DOCUMENT_KEY ? 'Whole document' : `§ ${id}`}</span>
          ) : (
            <a href={`#comments-${id}`}>{titles.get(id)}</a>
          )}{' '}
          <span className="muted">
            {n.open} open{n.resolved > 0 ? `, ${n.resolved} resolved` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
