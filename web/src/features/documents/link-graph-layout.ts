/**
 * A deterministic layout for one document's link neighbourhood: documents that link to it in a row
 * above, the document itself in the middle, the documents it links to in a row below. Rows are sorted
 * by link kind, then title, so the same graph always draws the same picture; a row wider than the
 * panel widens the drawing (the panel scrolls) rather than overlapping nodes.
 */
import type { Graph } from '../../api/endpoints';

export const NODE_WIDTH = 130;
export const NODE_HEIGHT = 46;
const CENTER_WIDTH = 170;
const GAP_X = 14;
const GAP_Y = 74;
const PAD = 6;
const MIN_WIDTH = 280;
/** Average advance of the 11px label font, for sizing the label backgrounds. */
const LABEL_CHAR = 6.2;

export interface PlacedNode {
  id: string;
  title: string;
  status: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  center: boolean;
  /** How the neighbour relates to the centre, for its accessible name. */
  relations: string[];
}

export interface PlacedEdge {
  from: string;
  to: string;
  kind: string;
  label: string;
  path: string;
  labelX: number;
  labelY: number;
  labelWidth: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** "depends-on" → "depends on". */
export function kindLabel(kind: string): string {
  return kind.replace(/-/g, ' ');
}

/** How a neighbour relates to the centre, in words, for its accessible name. */
export function relationPhrase(kind: string, fromCenter: boolean): string {
  if (kind === 'plan-specification')
    return fromCenter
      ? "it is this document's plan specification"
      : 'this document is its plan specification';
  return fromCenter ? `this document ${kindLabel(kind)} it` : `it ${kindLabel(kind)} this document`;
}

function rowWidth(count: number): number {
  return count === 0 ? 0 : count * NODE_WIDTH + (count - 1) * GAP_X;
}

/** Places the centre and its neighbours; edges not touching the centre are drawn too. */
export function layoutLinkGraph(graph: Graph, centerId: string): GraphLayout {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = graph.edges.filter((e) => byId.has(e.from) && byId.has(e.to) && e.from !== e.to);
  const outgoing = new Set(edges.filter((e) => e.from === centerId).map((e) => e.to));
  const incoming = new Set(
    edges.filter((e) => e.to === centerId && !outgoing.has(e.from)).map((e) => e.from),
  );
  const firstKind = (id: string) =>
    edges
      .filter((e) => e.from === id || e.to === id)
      .map((e) => e.kind)
      .sort()[0] ?? '';
  const order = (ids: Iterable<string>) =>
    [...ids].sort(
      (a, b) =>
        firstKind(a).localeCompare(firstKind(b)) ||
        (byId.get(a)?.title ?? a).localeCompare(byId.get(b)?.title ?? b) ||
        a.localeCompare(b),
    );
  const others = graph.nodes
    .map((n) => n.id)
    .filter((id) => id !== centerId && !incoming.has(id) && !outgoing.has(id));
  const top = order(incoming);
  const bottom = order([...outgoing, ...others]);

  const width = Math.max(MIN_WIDTH, rowWidth(top.length) + 2 * PAD, rowWidth(bottom.length) + 2 * PAD);
  const rows: Array<{ ids: string[]; y: number }> = [];
  let y = PAD;
  if (top.length > 0) {
    rows.push({ ids: top, y });
    y += NODE_HEIGHT + GAP_Y;
  }
  const centerY = y;
  y += NODE_HEIGHT;
  if (bottom.length > 0) {
    y += GAP_Y;
    rows.push({ ids: bottom, y });
    y += NODE_HEIGHT;
  }
  const height = y + PAD;

  const relationsOf = (id: string) =>
    edges
      .filter((e) => (e.from === id && e.to === centerId) || (e.to === id && e.from === centerId))
      .map((e) => relationPhrase(e.kind, e.from === centerId));

  const nodes: PlacedNode[] = [];
  const center = byId.get(centerId);
  nodes.push({
    id: centerId,
    title: center?.title ?? centerId,
    status: center?.status ?? null,
    x: (width - CENTER_WIDTH) / 2,
    y: centerY,
    width: CENTER_WIDTH,
    height: NODE_HEIGHT,
    center: true,
    relations: [],
  });
  for (const row of rows) {
    let x = (width - rowWidth(row.ids.length)) / 2;
    for (const id of row.ids) {
      const node = byId.get(id);
      nodes.push({
        id,
        title: node?.title ?? id,
        status: node?.status ?? null,
        x,
        y: row.y,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        center: false,
        relations: relationsOf(id),
      });
      x += NODE_WIDTH + GAP_X;
    }
  }
  const placed = new Map(nodes.map((n) => [n.id, n]));

  // Edges leave and enter through the facing side; the centre's attachment points are spread
  // along its edge so several links do not meet in one point.
  const sideCount = new Map<string, number>();
  const sideIndex = new Map<string, number>();
  const sideKey = (node: PlacedNode, other: PlacedNode) =>
    `${node.id}:${other.y < node.y ? 'top' : 'bottom'}`;
  for (const e of edges) {
    const a = placed.get(e.from) as PlacedNode;
    const b = placed.get(e.to) as PlacedNode;
    for (const [n, o] of [
      [a, b],
      [b, a],
    ] as const)
      sideCount.set(sideKey(n, o), (sideCount.get(sideKey(n, o)) ?? 0) + 1);
  }
  const attach = (node: PlacedNode, other: PlacedNode) => {
    const key = sideKey(node, other);
    const i = sideIndex.get(key) ?? 0;
    sideIndex.set(key, i + 1);
    const n = sideCount.get(key) ?? 1;
    const x = node.x + (node.width * (i + 1)) / (n + 1);
    if (other.y === node.y)
      return { x: other.x > node.x ? node.x + node.width : node.x, y: node.y + node.height / 2 };
    return { x, y: other.y < node.y ? node.y : node.y + node.height };
  };
  const sortedEdges = [...edges].sort(
    (p, q) =>
      (placed.get(p.from === centerId ? p.to : p.from)?.x ?? 0) -
        (placed.get(q.from === centerId ? q.to : q.from)?.x ?? 0) || p.kind.localeCompare(q.kind),
  );
  const pairSeen = new Map<string, number>();
  const placedEdges = sortedEdges.map((e, index): PlacedEdge => {
    const a = placed.get(e.from) as PlacedNode;
    const b = placed.get(e.to) as PlacedNode;
    const start = attach(a, b);
    const end = attach(b, a);
    // A second link between the same two documents bends the other way.
    const pair = [e.from, e.to].sort().join('\n');
    const nth = pairSeen.get(pair) ?? 0;
    pairSeen.set(pair, nth + 1);
    const bend = nth === 0 ? 0 : (nth % 2 === 1 ? 1 : -1) * 28 * Math.ceil(nth / 2);
    const mx = (start.x + end.x) / 2;
    const my = (start.y + end.y) / 2;
    const dx = end.x - start.x;
    const dy = end.y - start.y;
    const length = Math.hypot(dx, dy) || 1;
    const cx = mx + (-dy / length) * bend * 2;
    const cy = my + (dx / length) * bend * 2;
    // Labels alternate slightly along their edges so neighbouring labels do not sit side by side.
    const t = index % 2 === 0 ? 0.5 : 0.4;
    const labelX = (1 - t) ** 2 * start.x + 2 * (1 - t) * t * cx + t ** 2 * end.x;
    const labelY = (1 - t) ** 2 * start.y + 2 * (1 - t) * t * cy + t ** 2 * end.y;
    const label = kindLabel(e.kind);
    return {
      from: e.from,
      to: e.to,
      kind: e.kind,
      label,
      path: `M${start.x.toFixed(1)},${start.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${end.x.toFixed(1)},${end.y.toFixed(1)}`,
      labelX,
      labelY,
      labelWidth: label.length * LABEL_CHAR + 10,
    };
  });
  return { width, height, nodes, edges: placedEdges };
}

/** A title cut to fit a node, with an ellipsis when cut. */
export function fitTitle(title: string, width: number): string {
  const max = Math.floor((width - 16) / 6.9);
  return title.length <= max ? title : `${title.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}
