import type { Component, DiagramNode } from '../../model.js';
import { infosMatch, nameInfo, type NameInfo } from '../name-match.js';
import type { Rule } from '../rule.js';
import { firstLineOf, lineStarts } from '../source-text.js';

// Actors outside the system rarely get a component section of their own.
const EXTERNAL_ACTORS = new Set(['client', 'user', 'browser', 'end user', 'customer', 'internet', 'caller']);

interface Node {
  node: DiagramNode;
  /** The node this one hangs under (`├─ Service A` under `[Service Layer]`), or null. */
  container: Node | null;
  children: Node[];
  info: NameInfo;
  /** Whether some component is named like this node (filled in by the rule). */
  matchesComponent: boolean;
}

/** Builds containment from the tree branches of a text diagram: a branch without an arrow hangs under the nearest node to its left above it. */
function nodeTree(text: string, nodes: readonly DiagramNode[], starts: readonly number[]): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    const lineStart = starts[node.range.start.line - 1] ?? node.range.start.offset;
    const prefix = text.slice(lineStart, node.range.start.offset);
    const isBranch = /[├└]─|[|+`]--/.test(prefix) && !/→|->|>|▶|►/.test(prefix);
    let container: Node | null = null;
    if (isBranch) {
      for (let i = out.length - 1; i >= 0; i--) {
        const candidate = out[i] as Node;
        if (candidate.container === null && candidate.node.range.start.column < node.range.start.column) {
          container = candidate;
          break;
        }
      }
    }
    const entry: Node = { node, container, children: [], info: nameInfo(node.name), matchesComponent: false };
    container?.children.push(entry);
    out.push(entry);
  }
  return out;
}

/** DD015: the overview diagram and the component sections disagree. */
export const diagramComponentsMismatch: Rule = {
  id: 'DD015',
  slug: 'diagram-components-mismatch',
  description:
    'Every node of the overview diagram needs a component section and every component a node (names matched loosely; container nodes such as "Data Layer" count through the nodes listed under them).',
  tags: ['architecture', 'consistency'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/diagram-components-mismatch.md',
  check({ doc }, report) {
    const diagram = doc.diagram;
    const components: Component[] = doc.components.filter((c) => c.name.trim() !== '');
    // Until components are named the document is unfilled; empty-field says so.
    if (!diagram || diagram.nodes.length === 0 || components.length === 0) return;
    const tree = nodeTree(doc.text, diagram.nodes, lineStarts(doc));
    // Which node names which component, worked out once: each pair was asked about up to four times.
    const componentInfos = components.map((c) => nameInfo(c.name));
    const matchedComponent = new Uint8Array(components.length);
    for (const entry of tree) {
      for (let c = 0; c < components.length; c++) {
        if (!infosMatch(componentInfos[c] as NameInfo, entry.info)) continue;
        entry.matchesComponent = true;
        matchedComponent[c] = 1;
      }
    }
    const covered = (entry: Node): boolean =>
      entry.matchesComponent ||
      entry.children.some((child) => child.matchesComponent) ||
      (entry.container !== null && entry.container.matchesComponent);

    const seen = new Set<string>();
    const firstComponent = components[0] as Component;
    for (const entry of tree) {
      const key = entry.info.joined;
      if (key === '' || seen.has(key) || EXTERNAL_ACTORS.has(key)) continue;
      seen.add(key);
      if (covered(entry)) continue;
      report({
        message: `Diagram node "${entry.node.name}" has no component section: expected a "#### ${entry.node.name}" component, found none`,
        range: entry.node.range,
        related: { message: 'Components are described here', range: firstComponent.nameRange },
      });
    }
    components.forEach((component, c) => {
      if (matchedComponent[c] === 1) return;
      report({
        message: `Component "${component.name}" is not in the overview diagram: expected a node named like it, found none`,
        range:
          component.nameRange.start.offset === component.nameRange.end.offset
            ? firstLineOf(doc, component.range)
            : component.nameRange,
        related: { message: 'The overview diagram', range: firstLineOf(doc, diagram.range) },
      });
    });
  },
};
