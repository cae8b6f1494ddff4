/**
 * Edge cases of single rules, beyond their fixture: what is accepted and refused, messages,
 * severities and related locations.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from './lint-support.js';

const of = (text: string, ruleId: string, template: string | null = null) =>
  lintText(text, { template }).findings.filter((f) => f.ruleId === ruleId);

describe('DD001 no-title', () => {
  it('accepts a front matter title and reports a templated document without one', () => {
    expect(of('---\ntitle: Search Indexer\n---\n\n## Summary\n\nText.\n', 'DD001')).toEqual([]);
    expect(of('Status: Draft\n\nText without any heading.\n', 'DD001')).toEqual([]);
    expect(
      of('Status: Draft\n\nText without any heading.\n', 'DD001', 'design-document').map((f) => f.message)[0],
    ).toMatch(/^Title missing: expected an H1 heading/);
  });
});

describe('DD011 unmeasurable-target', () => {
  const target = (value: string) =>
    of(
      `# T\n\n## Performance & Scalability\n\n### Performance Targets\n\n- **Latency**: ${value}\n`,
      'DD011',
    );
  it.each([
    'p99 < 200 ms',
    '99.9%',
    '5k req/s',
    '< 1 s',
    '10,000 rps',
    '200ms at p95',
    'three nines',
    '2 GB/s',
  ])('accepts %s', (value) => {
    expect(target(value)).toEqual([]);
  });
  it.each(['fast', 'high', 'low latency', '99.9', 'as fast as possible'])('refuses %s', (value) => {
    const [finding] = target(value);
    expect(finding?.message).toBe(
      `Target "Latency" is not measurable: expected a number with a unit or percentile (e.g. p99 < 200 ms), found "${value}"`,
    );
    expect(finding?.range.start.column).toBe(16);
  });
});

describe('DD012 unmeasurable-criterion', () => {
  const criterion = (text: string) => of(`# T\n\n## Success Criteria\n\n1. ${text}\n`, 'DD012');
  it.each([
    'Zero double captures in 90 days',
    'All tenants are migrated',
    'The batch job is removed',
    'Ships by 2027-03-31',
  ])('accepts %s', (text) => {
    expect(criterion(text)).toEqual([]);
  });
  it.each(['Better relevance', 'Users are happier with search', 'Improved developer experience'])(
    'refuses %s',
    (text) => {
      expect(criterion(text)).toHaveLength(1);
    },
  );
});

describe('DD014 status-inconsistent', () => {
  const approvals = '## Approvals\n\n**Technical Review**\n- Dana Reyes, 2026-11-02\n';
  it('warns about a draft that already carries approvals', () => {
    const [finding] = of(`# T\n\nStatus: Draft\n\n${approvals}`, 'DD014');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toBe(
      'Status "Draft" with approvals filled: expected no sign-off on a draft (or a later status), found "Dana Reyes, 2026-11-02" in "Technical Review"',
    );
    expect(finding?.related?.range.start.line).toBe(8);
  });
  it('requires a successor for superseded documents', () => {
    expect(of('# T\n\nStatus: Superseded\n', 'DD014').map((f) => [f.severity, f.message])).toEqual([
      [
        'error',
        'Status "Superseded" without a successor: expected "Superseded by <document>", found none named',
      ],
    ]);
    expect(of('# T\n\nStatus: Superseded by ADR-0012\n', 'DD014')).toEqual([]);
  });
  it('reports implemented documents with open questions, pointing at the question', () => {
    const [finding] = of(
      '# T\n\nStatus: Implemented\n\n## Open Questions\n\n- [ ] Which region?\n  - **Status**: open\n- [ ] Which zone?\n  - **Status**: resolved in #12\n',
      'DD014',
    );
    expect(finding?.message).toBe(
      'Status "Implemented" with 1 open question: expected every open question checked or resolved, found "Which region?" unchecked',
    );
    expect(finding?.related?.range.start.line).toBe(7);
  });
});

describe('DD015 diagram-components-mismatch', () => {
  const doc = (components: string[]) =>
    [
      '# T',
      '',
      '## Proposed Solution',
      '',
      '### High-Level Overview',
      '',
      '```',
      '[Client]',
      '   ├─→ [Search API]',
      '   └─→ [Data Layer]',
      '        ├─ OpenSearch',
      '        └─ Redis',
      '```',
      '',
      '### Architecture Components',
      '',
      ...components.flatMap((name) => [`#### ${name}`, '', '- **Purpose**: Does things.', '']),
    ].join('\n');

  it('reports a node without a component on the node, related to the components', () => {
    const findings = of(doc(['OpenSearch', 'Redis']), 'DD015');
    expect(findings.map((f) => [f.range.start.line, f.message])).toEqual([
      [
        9,
        'Diagram node "Search API" has no component section: expected a "#### Search API" component, found none',
      ],
    ]);
    expect(findings[0]?.related?.range.start.line).toBe(17);
  });

  it('lets a component cover a container node and its children, and ignores the client', () => {
    expect(of(doc(['Search API Service', 'Data Layer']), 'DD015')).toEqual([]);
    expect(of(doc(['Search APIs', 'Opensearch', 'redis']), 'DD015')).toEqual([]);
  });

  it('reports a component the diagram lacks, related to the diagram', () => {
    const findings = of(doc(['Search API', 'Data Layer', 'Billing']), 'DD015');
    expect(findings.map((f) => f.message)).toEqual([
      'Component "Billing" is not in the overview diagram: expected a node named like it, found none',
    ]);
    expect(findings[0]?.related?.range.start.line).toBe(7);
  });
});

describe('DD006 placeholder-text', () => {
  it('finds markers, brackets and lorem ipsum but not HTML, links, code or comments', () => {
    const text = [
      '# T',
      '',
      'Owner: [...] and [insert team]; Lorem ipsum dolor; see <details open> and [the spec](https://x.y).',
      '`TODO` in code and <!-- TODO in a comment --> and todo in prose.',
      '- [ ] a task, `<T>` generics, Vec<T>',
      'FIXME soon. <your service name>',
      '',
    ].join('\n');
    expect(of(text, 'DD006').map((f) => [f.range.start.line, f.message])).toEqual([
      [3, 'Placeholder left in: expected real content, found "[...]"'],
      [3, 'Placeholder left in: expected real content, found "[insert team]"'],
      [3, 'Placeholder left in: expected real content, found "Lorem ipsum"'],
      [6, 'Placeholder left in: expected real content, found "FIXME"'],
      [6, 'Placeholder left in: expected real content, found "<your service name>"'],
    ]);
  });
});

describe('DD003 section-order', () => {
  it('points the related location at the section it belongs before', () => {
    const [finding] = of(
      '# T\n\n## Security\n\nx\n\n## Executive Summary\n\nx\n\n## Problem Statement\n\nx\n',
      'DD003',
      'design-document',
    );
    expect(finding?.message).toBe(
      'Section "Security" is out of order: expected after "Problem Statement", found first',
    );
    expect(finding?.related?.range.start.line).toBe(11);
  });
});

describe('DD016 empty-link and DD010 decision-incomplete', () => {
  it('reports empty and TODO targets', () => {
    expect(
      of('# T\n\nSee [plan]() and [spec](TODO) and [ok](./ok.md).\n', 'DD016').map((f) => f.message),
    ).toEqual([
      'Link "plan" has a placeholder target: expected a URL or path, found an empty target',
      'Link "spec" has a placeholder target: expected a URL or path, found "TODO"',
    ]);
  });
  it('reports a decision that lacks the fields entirely, on its heading', () => {
    const findings = of(
      '# T\n\n## Design Decisions\n\n#### Decision 1: Use Kafka\n\n- **Decision**: Kafka for events.\n',
      'DD010',
    );
    expect(findings.map((f) => [f.range.start.line, f.message])).toEqual([
      [5, 'Decision "Use Kafka" has no rationale: expected why this option was chosen, found no such field'],
      [
        5,
        'Decision "Use Kafka" has no alternatives: expected the options considered and why they lost, found no such field',
      ],
      [
        5,
        'Decision "Use Kafka" has no impact: expected what the choice changes or costs, found no such field',
      ],
    ]);
  });
});
