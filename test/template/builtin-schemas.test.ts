/**
 * The schemas of the three built-in templates, checked against what a reader sees in each
 * template file: the expectations below were written from the markdown, not from the compiler.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedRoot } from '../support/corpus.js';
import { DEFAULT_STATUSES, DEFAULT_VERSION_PATTERN } from '../../src/core/template/compile-template.js';
import { builtinSchema, builtinText, sectionOf } from './support.js';

const labels = (fields: ReadonlyArray<{ label: string }>): string[] => fields.map((field) => field.label);

const sharedTemplate = join(sharedRoot, 'template/design-document.md');

describe('design-document template', () => {
  const schema = builtinSchema('design-document');

  it.runIf(existsSync(sharedTemplate) || process.env.CI === 'true')(
    'is a byte-exact copy of the shared template',
    () => {
      expect(builtinText('design-document')).toBe(readFileSync(sharedTemplate, 'utf8'));
    },
  );

  it('is named from its file and keeps the skeleton byte for byte (it has no front matter)', () => {
    expect(schema.name).toBe('design-document');
    expect(schema.title).toBe('Design Document');
    expect(schema.description).toBe('');
    expect(schema.skeleton).toBe(builtinText('design-document'));
    expect(schema.statuses).toEqual([...DEFAULT_STATUSES]);
    expect(schema.ruleOptions).toEqual({});
  });

  it('has the twelve top-level sections, all required, at level 2, and the banner is not a section', () => {
    expect(schema.sections.map((section) => section.title)).toEqual([
      'Executive Summary',
      'Problem Statement',
      'Goals & Success Criteria',
      'Context & Background',
      'Proposed Solution',
      'Trade-offs',
      'Implementation',
      'Performance & Scalability',
      'Security',
      'Dependencies & Assumptions',
      'Open Questions',
      'Approvals',
    ]);
    for (const section of schema.sections) {
      expect(section.level).toBe(2);
      expect(section.required).toBe(true);
      expect(section.aliases).toEqual([]);
    }
    expect(() => sectionOf(schema, 'Design Document')).toThrow();
  });

  it('classifies the sections by kind', () => {
    const kinds = Object.fromEntries(schema.sections.map((section) => [section.title, section.kind]));
    expect(kinds).toMatchObject({
      'Executive Summary': 'plain',
      'Goals & Success Criteria': 'goals',
      Implementation: 'implementation',
      'Performance & Scalability': 'plain',
      Security: 'security',
      'Open Questions': 'open-questions',
      Approvals: 'approvals',
    });
    expect(sectionOf(schema, 'Success Criteria').kind).toBe('success-criteria');
    expect(sectionOf(schema, 'High-Level Overview').kind).toBe('overview');
    expect(sectionOf(schema, 'Performance Targets').kind).toBe('performance-targets');
  });

  it('makes subsections optional and keeps them at level 3', () => {
    const goals = sectionOf(schema, 'Goals & Success Criteria');
    expect(goals.children.map((child) => [child.title, child.level, child.required])).toEqual([
      ['Primary Goals', 3, false],
      ['Success Criteria', 3, false],
    ]);
    expect(labels(sectionOf(schema, 'Primary Goals').fields)).toEqual(['Goal 1', 'Goal 2', 'Goal 3']);
    expect(sectionOf(schema, 'Proposed Solution').children.map((child) => child.title)).toEqual([
      'High-Level Overview',
      'Architecture Components',
      'Design Decisions',
      'Technology Stack',
      'Data Model & Storage',
      'API & Integration Points',
    ]);
    expect(sectionOf(schema, 'Trade-offs').children.map((child) => child.title)).toEqual([
      'Accepting',
      'Gaining',
    ]);
  });

  it('turns the blank #### blocks into repeatable components and the numbered ones into decisions', () => {
    const components = sectionOf(schema, 'Architecture Components');
    expect(components.kind).toBe('components');
    expect(components.children).toEqual([]);
    expect(components.repeatable).toMatchObject({ kind: 'component', headingPrefix: null, min: 2 });
    expect(labels(components.repeatable?.fields ?? [])).toEqual([
      'Purpose',
      'Technology',
      'Key Responsibilities',
      'Interactions',
    ]);

    const decisions = sectionOf(schema, 'Design Decisions');
    expect(decisions.kind).toBe('decisions');
    expect(decisions.children).toEqual([]);
    expect(decisions.repeatable).toMatchObject({ kind: 'decision', headingPrefix: 'Decision N:', min: 2 });
    expect(labels(decisions.repeatable?.fields ?? [])).toEqual([
      'Decision',
      'Rationale',
      'Alternatives Considered',
      'Impact',
    ]);
  });

  it('reads bold lines followed by lists as groups, with their fields and item counts', () => {
    const stack = sectionOf(schema, 'Technology Stack');
    expect(stack.groups.map((group) => [group.label, group.items, group.fields.length])).toEqual([
      ['Language & Runtime', 1, 0],
      ['Data Layer', 2, 0],
      ['Infrastructure', 2, 0],
      ['Key Libraries/Frameworks', 1, 0],
    ]);
    const storage = sectionOf(schema, 'Data Model & Storage');
    expect(storage.groups).toHaveLength(1);
    expect(storage.groups[0]?.label).toBe('Storage Strategy');
    expect(labels(storage.groups[0]?.fields ?? [])).toEqual([
      'Primary Database',
      'Caching',
      'Data Retention',
    ]);
    expect(storage.groups[0]?.fields.every((field) => field.group === 'Storage Strategy')).toBe(true);
    const api = sectionOf(schema, 'API & Integration Points');
    expect(api.groups.map((group) => [group.label, group.items])).toEqual([
      ['External Dependencies', 3],
      ['Key Endpoints', 2],
    ]);
    const security = sectionOf(schema, 'Security');
    expect(security.groups.map((group) => group.label)).toEqual([
      'Authentication',
      'Authorization',
      'Data Protection',
      'Secrets Management',
      'Compliance',
    ]);
    expect(labels(security.groups[2]?.fields ?? [])).toEqual([
      'Encryption at Rest',
      'Encryption in Transit',
      'PII Handling',
    ]);
  });

  it('finds the approach field, the three phases and the optional migration strategy under Implementation', () => {
    const implementation = sectionOf(schema, 'Implementation');
    expect(labels(implementation.fields)).toEqual(['Approach']);
    expect(implementation.phases).toEqual({ min: 3, group: 'Phases' });
    const migration = implementation.groups.find((group) => group.label === 'Migration Strategy');
    expect(migration).toMatchObject({ required: false, items: 1 });
    // Phase items are phases, not fields of a group.
    for (const group of implementation.groups)
      expect(labels(group.fields).some((label) => /^Phase \d/.test(label))).toBe(false);
  });

  it('marks the performance targets measurable and nothing else', () => {
    const targets = sectionOf(schema, 'Performance Targets');
    expect(targets.fields.map((field) => [field.label, field.measurable])).toEqual([
      ['Latency', true],
      ['Throughput', true],
      ['Availability', true],
    ]);
    expect(sectionOf(schema, 'Scalability Strategy').fields.every((field) => !field.measurable)).toBe(true);
    expect(sectionOf(schema, 'Monitoring & Observability').fields.map((field) => field.label)).toEqual([
      'Metrics',
      'Alerting',
      'Logging',
    ]);
  });

  it('reads the three open questions, two with a status line, and keeps Status out of the fields', () => {
    const questions = sectionOf(schema, 'Open Questions');
    expect(questions.questions).toEqual({ min: 3, statusLabel: 'Status' });
    expect(questions.fields).toEqual([]);
  });

  it('turns the Approvals groups into slots: Security Review covers Security and needs the security group', () => {
    expect(sectionOf(schema, 'Approvals').groups).toEqual([]);
    expect(schema.approvalSlots).toEqual([
      { name: 'Technical Review', required: true, covers: ['*'], roster: null },
      { name: 'Architecture Review', required: true, covers: ['*'], roster: null },
      { name: 'Security Review', required: true, covers: ['Security'], roster: 'security' },
      { name: 'Approved By', required: true, covers: ['*'], roster: null },
    ]);
  });

  it('reads Type, Status and Version as metadata with the default status list and version pattern', () => {
    expect(schema.metadata).toEqual([
      { key: 'Type', aliases: [], required: true, allowed: [], pattern: null },
      { key: 'Status', aliases: [], required: true, allowed: [...DEFAULT_STATUSES], pattern: null },
      { key: 'Version', aliases: [], required: true, allowed: [], pattern: DEFAULT_VERSION_PATTERN },
    ]);
  });
});

describe('adr template', () => {
  const schema = builtinSchema('adr');

  it('takes name, title, description and statuses from its front matter and drops it from the skeleton', () => {
    expect(schema.name).toBe('adr');
    expect(schema.title).toBe('Architecture Decision Record');
    expect(schema.description).toMatch(/decision/i);
    expect(schema.skeleton.startsWith('---')).toBe(false);
    expect(schema.skeleton.startsWith('# ')).toBe(true);
    expect(schema.statuses).toContain('draft');
    expect(schema.statuses).toContain('accepted');
    expect(schema.statuses).toContain('superseded');
  });

  it('has Context, Options Considered, Decision and Consequences (MADR order), required, with synonyms', () => {
    expect(schema.sections.map((section) => [section.title, section.required])).toEqual([
      ['Context', true],
      ['Options Considered', true],
      ['Decision', true],
      ['Consequences', true],
    ]);
    expect(sectionOf(schema, 'Context').aliases).toContain('Context and Problem Statement');
    expect(sectionOf(schema, 'Decision').aliases).toContain('Decision Outcome');
    expect(sectionOf(schema, 'Options Considered').aliases).toContain('Considered Options');
  });

  it('shows each option as a numbered repeatable block with description, pros and cons', () => {
    const options = sectionOf(schema, 'Options Considered');
    expect(options.children).toEqual([]);
    expect(options.repeatable).toMatchObject({ kind: 'block', headingPrefix: 'Option N:', min: 2 });
    expect(labels(options.repeatable?.fields ?? [])).toEqual(['Description', 'Pros', 'Cons']);
  });

  it('groups the consequences into positive and negative lists', () => {
    expect(sectionOf(schema, 'Consequences').groups.map((group) => [group.label, group.items])).toEqual([
      ['Positive', 1],
      ['Negative', 1],
    ]);
  });

  it('has Status, Date and Deciders metadata and no approval slots', () => {
    expect(schema.metadata.map((key) => key.key)).toEqual(['Status', 'Date', 'Deciders']);
    expect(schema.metadata[0]?.allowed).toEqual(schema.statuses);
    expect(schema.metadata[2]?.aliases).toContain('Decision Makers');
    expect(schema.approvalSlots).toEqual([]);
  });
});

describe('rfc template', () => {
  const schema = builtinSchema('rfc');

  it('has the six RFC sections, required, with the names other RFC processes use as synonyms', () => {
    expect(schema.name).toBe('rfc');
    expect(schema.title).toBe('Request for Comments');
    expect(schema.sections.map((section) => [section.title, section.required])).toEqual([
      ['Summary', true],
      ['Motivation', true],
      ['Detailed Design', true],
      ['Drawbacks', true],
      ['Alternatives', true],
      ['Unresolved Questions', true],
    ]);
    expect(sectionOf(schema, 'Detailed Design').aliases).toEqual(
      expect.arrayContaining(['Guide-level Explanation', 'Reference-level Explanation']),
    );
    expect(sectionOf(schema, 'Alternatives').aliases).toContain('Rationale and Alternatives');
  });

  it('treats Unresolved Questions as open questions with a status line', () => {
    const unresolved = sectionOf(schema, 'Unresolved Questions');
    expect(unresolved.kind).toBe('open-questions');
    expect(unresolved.questions).toEqual({ min: 1, statusLabel: 'Status' });
  });

  it('has Status, Author and Created metadata, Created also answering to Start Date', () => {
    expect(schema.metadata.map((key) => key.key)).toEqual(['Status', 'Author', 'Created']);
    expect(schema.metadata[2]?.aliases).toEqual(expect.arrayContaining(['Start Date', 'Date']));
    expect(schema.approvalSlots).toEqual([]);
  });
});
