import { describe, expect, it } from 'vitest';
import { at, extract } from './helpers.js';

describe('diagram', () => {
  it('reads box, bracket and tree nodes of an ASCII diagram under the overview', () => {
    const doc = extract(
      '# Doc',
      '## High-Level Overview',
      'Intro text.',
      '```',
      '┌────────┐   ┌─────────┐',
      '│ Client │──▶│ Gateway │',
      '└────────┘   └────┬────┘',
      '                  ├─→ [Orders]',
      '                  │    ├─ Pricing',
      '                  │    └─ Cache (Redis)',
      '                  └─→ [Orders]',
      '```',
    );
    expect(doc.diagram).not.toBeNull();
    const diagram = doc.diagram!;
    expect(diagram.language).toBe('');
    expect(diagram.nodes.map((n) => n.name)).toEqual([
      'Client',
      'Gateway',
      'Orders',
      'Pricing',
      'Cache (Redis)',
    ]);
    for (const node of diagram.nodes) expect(at(doc.text, node.range)).toBe(node.name);
    expect(at(doc.text, diagram.contentRange)).toBe(diagram.text);
    expect(at(doc.text, diagram.range).startsWith('```')).toBe(true);
  });

  it('reads mermaid flowcharts and sequence diagrams', () => {
    const flow = extract(
      '# Doc',
      '## Architecture',
      '```mermaid',
      'graph TD',
      '  A[Web App] --> B(API)',
      '  B --> C{Router}',
      '  C -->|miss| D[(Database)]',
      '  C --> worker',
      '  A[Web App]:::hot --> worker',
      '```',
    );
    expect(flow.diagram!.nodes.map((n) => n.name)).toEqual([
      'Web App',
      'API',
      'Router',
      'Database',
      'worker',
    ]);
    const seq = extract(
      '# Doc',
      '## Overview',
      '```mermaid',
      'sequenceDiagram',
      '  participant U as User',
      '  participant S',
      '  U->>S: hi',
      '```',
    );
    expect(seq.diagram!.nodes.map((n) => n.name)).toEqual(['User', 'S']);
  });

  it('skips code that is not a diagram and falls back to architecture-like titles', () => {
    const doc = extract(
      '# Doc',
      '## Overview',
      '```rust',
      'fn f(x: &[u8]) -> Vec<u8> { x.to_vec() }',
      '```',
      '## System Design and Architecture',
      '```',
      '[Client] -> [Server]',
      '```',
    );
    expect(doc.diagram!.nodes.map((n) => n.name)).toEqual(['Client', 'Server']);
  });

  it('is null without a diagram', () => {
    expect(extract('# Doc', '## Overview', 'No picture here.').diagram).toBeNull();
  });
});

describe('ASCII box art', () => {
  it('reads `| Name |` boxes when the drawing has `+--+` corners', () => {
    const doc = extract(
      '# Doc',
      '## Architecture Overview',
      '```',
      '+--------+      +---------+',
      '| Client | ---> | Gateway |',
      '+--------+      +---------+',
      '```',
    );
    expect(doc.diagram!.nodes.map((n) => n.name)).toEqual(['Client', 'Gateway']);
  });
});
