import { useId, useMemo } from 'react';
import { useLocation } from 'wouter';
import type { Graph } from '../../api/endpoints';
import { fitTitle, layoutLinkGraph } from './link-graph-layout';

const STATUS_WORDS: Record<string, string> = {
  draft: 'draft',
  'in-review': 'in review',
  approved: 'approved',
  implemented: 'implemented',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  deferred: 'deferred',
  superseded: 'superseded',
  deprecated: 'deprecated',
};

/**
 * The document and its linked neighbours as a small SVG: edges labelled by kind with arrowheads,
 * nodes coloured by status, each neighbour a focusable link that opens it. Styling comes from the
 * stylesheet (classes only), so the drawing needs nothing the page's CSP forbids.
 */
export function LinkGraph({ graph, documentId }: { graph: Graph; documentId: string }) {
  const [, navigate] = useLocation();
  const layout = useMemo(() => layoutLinkGraph(graph, documentId), [graph, documentId]);
  const arrowId = `graph-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  if (graph.edges.length === 0) return <p className="muted">No links.</p>;
  const centerTitle = layout.nodes.find((n) => n.center)?.title ?? documentId;
  return (
    <div className="link-graph" data-testid="link-graph">
      <svg
        role="group"
        aria-label={`Links of ${centerTitle}`}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
      >
        <defs>
          <marker
            id={arrowId}
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className="graph-arrow" />
          </marker>
        </defs>
        <g aria-hidden="true">
          {layout.edges.map((e) => (
            <g
              key={`${e.from}\n${e.to}\n${e.kind}`}
              className={`graph-edge kind-${e.kind}`}
              data-testid="graph-edge"
              data-from={e.from}
              data-to={e.to}
              data-kind={e.kind}
            >
              <path d={e.path} markerEnd={`url(#${arrowId})`} />
              <rect
                className="graph-edge-label-bg"
                x={e.labelX - e.labelWidth / 2}
                y={e.labelY - 8}
                width={e.labelWidth}
                height={16}
                rx={8}
              />
              <text
                className="graph-edge-label"
                x={e.labelX}
                y={e.labelY}
                textAnchor="middle"
                dominantBaseline="central"
              >
                {e.label}
              </text>
            </g>
          ))}
        </g>
        {layout.nodes.map((n) => {
          const status = n.status ? (STATUS_WORDS[n.status] ?? n.status) : 'no status';
          // A neighbour's name (and tooltip) is its <title>: title, status and how it relates.
          const name = n.center ? n.title : `${n.title} (${status}): ${n.relations.join('; ')}`;
          const body = (
            <>
              <title>{name}</title>
              <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} />
              <text className="graph-node-title" x={n.x + n.width / 2} y={n.y + 18} textAnchor="middle">
                {fitTitle(n.title, n.width)}
              </text>
              <text className="graph-node-status" x={n.x + n.width / 2} y={n.y + 35} textAnchor="middle">
                {status}
              </text>
            </>
          );
          const className = `graph-node status-${n.status ?? 'none'}${n.center ? ' center' : ''}`;
          if (n.center)
            return (
              <g key={n.id} className={className} data-testid="graph-node" data-id={n.id} aria-current="page">
                {body}
              </g>
            );
          return (
            <a
              key={n.id}
              href={`/d/${encodeURIComponent(n.id)}`}
              className={className}
              data-testid="graph-node"
              data-id={n.id}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                navigate(`/d/${encodeURIComponent(n.id)}`);
              }}
            >
              {body}
            </a>
          );
        })}
      </svg>
    </div>
  );
}
