/**
 * Rules on shapes met in design documents from projects outside the shared corpus, each written
 * here as a small document of our own with the same structure.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from './lint-support.js';

const ids = (text: string, template: string, rule: string): string[] =>
  lintText(text, { template })
    .findings.filter((f) => f.ruleId === rule)
    .map((f) => f.message);

describe('DD008 metadata-missing', () => {
  it('counts the keys the parser itself reads as the status and the author', () => {
    const text =
      '# Cache stores\n\n* Author(s): Ada Lovelace\n* State: Draft\n* Created: 2024-05-01\n\n## Summary\n\nText.\n\n## Motivation\n\nText.\n';
    expect(ids(text, 'rfc', 'DD008')).toEqual([]);
  });

  it('still reports a status that is nowhere', () => {
    const text = '# Cache stores\n\n* Author: Ada\n* Created: 2024-05-01\n\n## Summary\n\nText.\n';
    expect(ids(text, 'rfc', 'DD008')).toEqual([
      'Metadata "Status" missing: expected a "Status:" line, found none',
    ]);
  });
});

describe('DD009 metadata-invalid', () => {
  it('accepts lower case in YAML front matter but not a different word', () => {
    const ok = '---\nstatus: accepted\n---\n\n# Use a queue\n\n## Context\n\nText.\n';
    expect(ids(ok, 'adr', 'DD009')).toEqual([]);
    const wrong = '---\nstatus: shipped\n---\n\n# Use a queue\n\n## Context\n\nText.\n';
    expect(ids(wrong, 'adr', 'DD009')).toHaveLength(1);
  });

  it('still offers the template spelling for a lower-case status outside front matter', () => {
    const text = '# Use a queue\n\nStatus: accepted\n\n## Context\n\nText.\n';
    const found = lintText(text, { template: 'adr' }).findings.filter((f) => f.ruleId === 'DD009');
    expect(found.map((f) => [f.severity, f.message])).toEqual([
      ['warning', 'Status not written as the template writes it: expected "Accepted", found "accepted"'],
    ]);
  });
});

describe('DD014 status-inconsistent', () => {
  const rfc = (questions: string): string =>
    `# Upsert\n\n- Status: implemented\n- Author: Ada\n- Created: 2016-04-26\n\n## Summary\n\nText.\n\n## Unresolved questions\n\n${questions}\n`;

  it('does not ask an implemented RFC to check plain bullets it cannot check', () => {
    expect(ids(rfc('* Should upsert return the old row?'), 'rfc', 'DD014')).toEqual([]);
  });

  it('still reports an unchecked checkbox question', () => {
    expect(ids(rfc('- [ ] Should upsert return the old row?'), 'rfc', 'DD014')).toHaveLength(1);
  });
});

describe('DD003 section-order on an MADR record', () => {
  it('accepts options considered before the decision outcome', () => {
    const text =
      '# Use a queue\n\nStatus: Accepted\n\n## Context and Problem Statement\n\nText.\n\n## Decision Drivers\n\nText.\n\n## Considered Options\n\nText.\n\n## Decision Outcome\n\nText.\n\n## Consequences\n\nText.\n';
    expect(ids(text, 'adr', 'DD003')).toEqual([]);
  });
});

describe('section names joined to another', () => {
  it('takes `Consequences & Optimizations` for Consequences, after exact names', () => {
    const text =
      '# Use a queue\n\nStatus: Accepted\nDate: 2024-01-01\nDeciders: Ada\n\n## Context\n\nText.\n\n## Options Considered\n\nText.\n\n## Decision\n\nText.\n\n## Consequences & Optimizations\n\nText.\n';
    expect(ids(text, 'adr', 'DD002')).toEqual([]);
    const both = `${text}\n## Consequences\n\nMore.\n`;
    const result = lintText(both, { template: 'adr' });
    expect(result.findings.filter((f) => f.ruleId === 'DD002')).toEqual([]);
  });
});
