import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { endpoints, LIFECYCLE, type DocumentView, type SearchHit } from '../../api/endpoints';
import { useAsync } from '../../app/use-async';
import { AsyncView } from '../../components/async-view';
import { StatusBadge } from '../../components/status-badge';

type SortKey = 'updated' | 'title' | 'score';

function sortDocs(items: DocumentView[], key: SortKey): DocumentView[] {
  const copy = [...items];
  if (key === 'title') copy.sort((a, b) => a.title.localeCompare(b.title));
  else if (key === 'score') copy.sort((a, b) => b.score - a.score);
  else copy.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return copy;
}

/** Documents with filters, instant search with highlighted snippets, sort and keyboard navigation (j/k, Enter). */
export function DocumentsPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const [filters, setFilters] = useState({
    status: params.get('status') ?? '',
    type: params.get('type') ?? '',
    template: params.get('template') ?? '',
    author: params.get('author') ?? '',
    reviewer: params.get('reviewer') ?? '',
    label: params.get('label') ?? '',
  });
  const [sort, setSort] = useState<SortKey>('updated');
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const table = useRef<HTMLTableElement>(null);

  const list = useAsync(() => {
    const q = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));
    return endpoints.listDocuments({ ...q, limit: 200 });
  }, [JSON.stringify(filters)]);

  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setHits(null);
      setSearchError(null);
      return;
    }
    const timer = setTimeout(() => {
      endpoints.search(q).then(
        (r) => {
          setHits(r.items);
          setSearchError(null);
        },
        (e: Error) => setSearchError(e.message),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [query]);

  const rows = hits ? null : sortDocs(list.data?.items ?? [], sort);
  const count = hits ? hits.length : (rows?.length ?? 0);

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.key === 'j' || event.key === 'ArrowDown') {
      event.preventDefault();
      setSelected((s) => Math.min(s + 1, count - 1));
    } else if (event.key === 'k' || event.key === 'ArrowUp') {
      event.preventDefault();
      setSelected((s) => Math.max(s - 1, 0));
    } else if (event.key === 'Enter') {
      const id = hits ? hits[selected]?.slug : rows?.[selected]?.id;
      if (id) navigate(`/d/${id}`);
    }
  }

  const set = (key: keyof typeof filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setFilters({ ...filters, [key]: e.target.value });

  return (
    <>
      <h1>Documents</h1>
      <div className="filters" role="search">
        <div>
          <label htmlFor="doc-search">Search</label>
          <input
            id="doc-search"
            type="search"
            placeholder="Words, “phrases”, prefix*"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={filters.status} onChange={set('status')}>
            <option value="">Any</option>
            {LIFECYCLE.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {(['type', 'template', 'author', 'reviewer', 'label'] as const).map((key) => (
          <div key={key}>
            <label htmlFor={`f-${key}`}>{key[0]?.toUpperCase() + key.slice(1)}</label>
            <input id={`f-${key}`} value={filters[key]} onChange={set(key)} size={12} />
          </div>
        ))}
        <div>
          <label htmlFor="f-sort">Sort</label>
          <select
            id="f-sort"
            value={sort}
            onChange={(e) => setSort(e.target.value as SortKey)}
            disabled={hits !== null}
          >
            <option value="updated">Recently changed</option>
            <option value="title">Title</option>
            <option value="score">Completeness</option>
          </select>
        </div>
      </div>
      {searchError && (
        <p className="notice error" role="alert">
          {searchError}
        </p>
      )}
      <p className="muted" aria-live="polite">
        {count} {hits ? 'matches' : 'documents'} · use j/k or the arrow keys and Enter
      </p>
      {hits ? (
        <table className="list" ref={table} tabIndex={0} onKeyDown={onKeyDown} aria-label="Search results">
          <thead>
            <tr>
              <th>Title</th>
              <th>Status</th>
              <th>Excerpt</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((hit, i) => (
              <tr key={hit.slug} aria-selected={i === selected} onClick={() => setSelected(i)}>
                <td>
                  <Link href={`/d/${hit.slug}`}>{hit.title}</Link>
                </td>
                <td>
                  <StatusBadge status={hit.status} />
                </td>
                {/* The snippet is HTML-escaped by the server with only <mark> added around matches. */}
                <td className="snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <AsyncView state={list}>
          {() => (
            <table className="list" ref={table} tabIndex={0} onKeyDown={onKeyDown} aria-label="Documents">
              <thead>
                <tr>
                  <th>Title</th>
                  <th>Status</th>
                  <th>Type</th>
                  <th>Template</th>
                  <th>Author</th>
                  <th>Score</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {(rows ?? []).map((doc, i) => (
                  <tr key={doc.id} aria-selected={i === selected} onClick={() => setSelected(i)}>
                    <td>
                      <Link href={`/d/${doc.id}`}>{doc.title || doc.id}</Link>
                    </td>
                    <td>
                      <StatusBadge status={doc.status} raw={doc.statusRaw} />
                    </td>
                    <td>{doc.type ?? ''}</td>
                    <td>{doc.template ?? ''}</td>
                    <td>{doc.author ?? ''}</td>
                    <td>{doc.score}</td>
                    <td>{new Date(doc.updatedAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </AsyncView>
      )}
    </>
  );
}
