/**
 * Front matter options of a template, and the errors a bad one gives: each names the template,
 * the line in the template file and the key.
 */
import { describe, expect, it } from 'vitest';
import { DesignDocError } from '../../src/core/errors.js';
import { compileTemplate } from '../../src/core/template/compile-template.js';
import { sectionOf } from './support.js';

const SKELETON = `# 

Status: 
Version: 
Owner: 

## Overview

- **Goal**: 
- **Latency Budget**: 

### Details

## Risks (optional)

## Rollout

**Migration Notes**
- 

## Sign-off

**Security Review**
- 

**Product Approval**
- 
`;

function template(frontMatter: string): string {
  return `---\n${frontMatter}\n---\n${SKELETON}`;
}

/** Compiles and returns the thrown DesignDocError (fails the test when nothing is thrown). */
function compileError(text: string, name = 'team'): DesignDocError {
  try {
    compileTemplate(name, text, { fileName: `templates/${name}.md` });
  } catch (error) {
    expect(error).toBeInstanceOf(DesignDocError);
    return error as DesignDocError;
  }
  throw new Error('expected the template to be refused');
}

describe('defaults without front matter', () => {
  const schema = compileTemplate('Team Design', SKELETON);

  it('slugs the name, title-cases it as the title and requires top-level sections only', () => {
    expect(schema.name).toBe('team-design');
    expect(schema.title).toBe('Team Design');
    expect(schema.sections.map((section) => [section.title, section.required])).toEqual([
      ['Overview', true],
      ['Risks', false],
      ['Rollout', true],
      ['Sign-off', true],
    ]);
    expect(sectionOf(schema, 'Details').required).toBe(false);
  });

  it('marks a measurable-sounding field measurable even outside Performance Targets', () => {
    expect(sectionOf(schema, 'Overview').fields.map((field) => [field.label, field.measurable])).toEqual([
      ['Goal', false],
      ['Latency Budget', true],
    ]);
  });

  it('derives slots from the groups under an approvals section and covers by name', () => {
    expect(sectionOf(schema, 'Sign-off').kind).toBe('approvals');
    expect(schema.approvalSlots).toEqual([
      { name: 'Security Review', required: true, covers: ['*'], roster: 'security' },
      { name: 'Product Approval', required: true, covers: ['*'], roster: null },
    ]);
  });

  it('reads the metadata lines, Owner included', () => {
    expect(schema.metadata.map((key) => key.key)).toEqual(['Status', 'Version', 'Owner']);
  });
});

describe('front matter options', () => {
  const schema = compileTemplate(
    'x',
    template(`name: team-design
title: Team Design Doc
description: How our team writes designs.
required: [Risks, Details]
optional: [Rollout, Owner]
synonyms:
  Overview: [Summary, Abstract]
  Goal: [Objective]
  Owner: [Owners, Author]
statuses: [draft, review, done]
metadata:
  Version:
    pattern: '^v\\d+$'
  Owner:
    allowed: [alice, bob]
approvals:
  Product Approval:
    covers: [Rollout, Overview]
    roster: product
    required: false
  Security Review:
    roster: null
rules:
  thin-security:
    minWords: 80
  DD004: {}
  Placeholder-Text: {}`),
  );

  it('sets name, title and description', () => {
    expect(schema).toMatchObject({
      name: 'team-design',
      title: 'Team Design Doc',
      description: 'How our team writes designs.',
    });
  });

  it('requires exactly the sections a `required` list names, and makes `optional` fields and keys optional', () => {
    expect(schema.sections.map((section) => [section.title, section.required])).toEqual([
      ['Overview', false],
      ['Risks', true],
      ['Rollout', false],
      ['Sign-off', false],
    ]);
    expect(sectionOf(schema, 'Details').required).toBe(true);
    expect(sectionOf(schema, 'Overview').fields.every((field) => field.required)).toBe(true);
    expect(schema.metadata.find((key) => key.key === 'Owner')?.required).toBe(false);
    expect(schema.metadata.find((key) => key.key === 'Status')?.required).toBe(true);
  });

  it('keeps the other top-level sections required when only an `optional` list is given', () => {
    const onlyOptional = compileTemplate('team', template('optional: [Rollout]'));
    expect(onlyOptional.sections.map((section) => section.required)).toEqual([true, false, false, true]);
  });

  it('attaches synonyms to sections, fields and metadata keys', () => {
    expect(sectionOf(schema, 'Overview').aliases).toEqual(['Summary', 'Abstract']);
    expect(sectionOf(schema, 'Overview').fields[0]?.aliases).toEqual(['Objective']);
    expect(schema.metadata.find((key) => key.key === 'Owner')?.aliases).toEqual(['Owners', 'Author']);
  });

  it('uses the statuses for Status and sets metadata patterns and allowed values', () => {
    expect(schema.statuses).toEqual(['draft', 'review', 'done']);
    expect(schema.metadata).toEqual([
      { key: 'Status', aliases: [], required: true, allowed: ['draft', 'review', 'done'], pattern: null },
      { key: 'Version', aliases: [], required: true, allowed: [], pattern: '^v\\d+$' },
      {
        key: 'Owner',
        aliases: ['Owners', 'Author'],
        required: false,
        allowed: ['alice', 'bob'],
        pattern: null,
      },
    ]);
  });

  it('sets slot coverage, rosters and whether a slot is required', () => {
    expect(schema.approvalSlots).toEqual([
      { name: 'Security Review', required: true, covers: ['*'], roster: null },
      { name: 'Product Approval', required: false, covers: ['Rollout', 'Overview'], roster: 'product' },
    ]);
  });

  it('passes rule options through keyed by rule slug or id, as the linter looks them up', () => {
    expect(schema.ruleOptions).toEqual({
      'thin-security': { minWords: 80 },
      DD004: {},
      'placeholder-text': {},
    });
  });

  it('keeps only the skeleton, without the front matter', () => {
    expect(schema.skeleton).toBe(SKELETON);
  });
});

describe('invalid front matter', () => {
  it('reports YAML that does not parse with its line', () => {
    const error = compileError(template('name: team\nsynonyms: [Overview, {')); // line 3 of the file
    expect(error.code).toBe('DD_E_TEMPLATE_INVALID');
    expect(error.message).toContain('template "team"');
    expect(error.message).toContain('invalid YAML');
    expect(error.location).toMatchObject({ file: 'templates/team.md' });
    expect(error.location.line).toBeGreaterThanOrEqual(3);
  });

  it('reports an unknown key with its line and the keys it accepts', () => {
    const error = compileError(template('name: team\ntitle: Team\nrequierd: [Overview]'));
    expect(error.code).toBe('DD_E_TEMPLATE_INVALID');
    expect(error.location).toMatchObject({ line: 4, field: 'requierd' });
    expect(error.message).toMatch(/line 4, key "requierd": unknown key; expected one of name, title/);
  });

  it('reports a value of the wrong shape', () => {
    expect(compileError(template('statuses: {draft: 1}')).message).toMatch(
      /key "statuses": expected a list of strings/,
    );
    expect(compileError(template('synonyms: [Overview]')).message).toMatch(
      /key "synonyms": expected a mapping/,
    );
    expect(compileError(template('metadata:\n  Version:\n    required: maybe')).message).toMatch(
      /line 4, key "metadata.Version.required": expected true or false/,
    );
    expect(compileError(template('metadata:\n  Version:\n    patern: x')).message).toMatch(
      /key "metadata.Version.patern": unknown key/,
    );
    expect(compileError(template('name: Team Design')).message).toMatch(
      /key "name": expected lower-case letters/,
    );
    expect(compileError(template('rules:\n  empty-section: true')).message).toMatch(
      /line 3, key "rules.empty-section": expected a mapping/,
    );
  });

  it('refuses a rule it does not know, on its line, with the nearest name', () => {
    const error = compileError(template('name: team\nrules:\n  thin-securty:\n    minWords: 80'));
    expect(error.code).toBe('DD_E_TEMPLATE_INVALID');
    expect(error.location).toMatchObject({ file: 'templates/team.md', line: 4, field: 'rules.thin-securty' });
    expect(error.message).toBe(
      'template "team", front matter line 4, key "rules.thin-securty": unknown rule (did you mean thin-security?); rules are named by slug (empty-section) or id (DD004)',
    );
    expect(error.format()).toMatch(/^templates\/team\.md:4: template "team", .*\[DD_E_TEMPLATE_INVALID\]$/);
    // Far from every name: no suggestion, still refused.
    const far = compileError(template('rules:\n  completely-made-up: {}'));
    expect(far.message).toContain('key "rules.completely-made-up": unknown rule; rules are named by slug');
    expect(compileError(template('rules:\n  Empty Section: {}')).message).toContain(
      'key "rules.Empty Section": unknown rule (did you mean empty-section?)',
    );
    expect(compileError(template('rules:\n  DD099: {}')).location).toMatchObject({
      line: 3,
      field: 'rules.DD099',
    });
  });

  it('refuses a rule set twice, by slug and by id', () => {
    const error = compileError(template('rules:\n  thin-security: {minWords: 10}\n  DD019: {minWords: 20}'));
    expect(error.location).toMatchObject({ line: 4, field: 'rules.DD019' });
    expect(error.message).toContain('rule DD019 (thin-security) is already set by "rules.thin-security"');
  });

  it('refuses an option the rule does not declare, on its own line, with the nearest name', () => {
    const typo = compileError(template('description: x\nrules:\n  thin-security:\n    minWord: 80'));
    expect(typo.location).toMatchObject({ line: 5, field: 'rules.thin-security.minWord' });
    expect(typo.message).toContain(
      'key "rules.thin-security.minWord": unknown option (did you mean minWords?); rule thin-security takes minWords',
    );
    const none = compileError(template('rules:\n  empty-section:\n    severity: warning'));
    expect(none.location).toMatchObject({ line: 4, field: 'rules.empty-section.severity' });
    expect(none.message).toContain('unknown option: rule empty-section takes no options');
  });

  it('refuses option values the rule would not accept, naming the expected value', () => {
    const cases: Array<[string, string]> = [
      ['-5', 'found -5'],
      ['2.5', 'found 2.5'],
      ['.nan', 'found NaN'],
      ['.inf', 'found Infinity'],
      ['1e300', 'found 1e+300'],
      ['"40"', 'found "40"'],
      ['[40]', 'found an array'],
      ['', 'found null'],
    ];
    for (const [value, found] of cases) {
      const error = compileError(template(`rules:\n  thin-security:\n    minWords: ${value}`));
      expect(error.location, value).toMatchObject({ line: 4, field: 'rules.thin-security.minWords' });
      expect(error.message, value).toBe(
        `template "team", front matter line 4, key "rules.thin-security.minWords": expected a whole number from 0 to 10000 (words), ${found}`,
      );
    }
    expect(
      compileTemplate('team', template('rules:\n  thin-security:\n    minWords: 0')).ruleOptions,
    ).toEqual({
      'thin-security': { minWords: 0 },
    });
  });

  it('reports a pattern that is not a regular expression', () => {
    const error = compileError(template('metadata:\n  Version:\n    pattern: "(unclosed"'));
    expect(error.location).toMatchObject({ line: 4, field: 'metadata.Version.pattern' });
    expect(error.message).toContain('not a valid regular expression');
  });

  it('reports names the skeleton does not have, on the line they are written', () => {
    const required = compileError(template('required:\n  - Overview\n  - Rolout'));
    expect(required.location).toMatchObject({ line: 4, field: 'required' });
    expect(required.message).toContain('"Rolout" names no section');
    expect(compileError(template('synonyms:\n  Risk: [Risks]')).location).toMatchObject({
      line: 3,
      field: 'synonyms.Risk',
    });
    expect(compileError(template('metadata:\n  Date:\n    pattern: x')).location).toMatchObject({
      line: 3,
      field: 'metadata.Date',
    });
    expect(compileError(template('approvals:\n  Legal Review:\n    roster: legal')).location).toMatchObject({
      line: 3,
      field: 'approvals.Legal Review',
    });
    expect(compileError(template('required: [Risks]\noptional: [Risks]')).message).toContain(
      'both required and optional',
    );
  });

  it('names the template from the front matter when it has one', () => {
    expect(compileError(template('name: ours\nbogus: 1')).message).toContain('template "team"');
    expect(compileError(template('name: ours\nrequired: [Nope]')).message).toContain('template "ours"');
  });

  it('accepts empty front matter', () => {
    expect(compileTemplate('team', `---\n---\n${SKELETON}`).sections).toHaveLength(4);
  });
});
