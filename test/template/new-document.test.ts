/**
 * `newDocument`: the filled skeleton parses back with the title, Draft, 0.1 and the date; nothing
 * else in the skeleton changes; a title cannot inject markdown structure (property-tested, seeded).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesignDocError } from '../../src/core/errors.js';
import type { DesignDocument } from '../../src/core/model.js';
import { lint } from '../../src/core/lint/index.js';
import { parse } from '../../src/core/parse/index.js';
import { compileTemplate } from '../../src/core/template/compile-template.js';
import { escapeTitle, newDocument, normalizeTitle } from '../../src/core/template/new-document.js';
import { BUILTINS, builtinSchema } from './support.js';

const DATE = '2026-11-27';
const EMPTY_FAMILY = new Set(['empty-section', 'empty-field', 'empty-metadata', 'empty-link']);

describe('newDocument on the built-in templates', () => {
  for (const name of BUILTINS) {
    const schema = builtinSchema(name);

    it(`${name}: parses back with the title, Status Draft, Version 0.1 and the date`, () => {
      const text = newDocument(schema, { title: 'Rate limits for the public API', date: DATE });
      const doc = parse(text, { fileName: 'new.md' });
      expect(doc.title).toMatchObject({ text: 'Rate limits for the public API', source: 'h1' });
      expect(doc.status).toMatchObject({ raw: 'Draft', lifecycle: 'draft' });
      expect(doc.version).toBe('0.1');
      expect(doc.metadata.some((entry) => entry.value === DATE)).toBe(true);
    });

    it(`${name}: lints with only "empty"-family findings`, () => {
      const text = newDocument(schema, {
        title: 'Rate limits for the public API',
        date: DATE,
        type: 'Service Design',
        author: 'Ada',
      });
      const { findings } = lint(parse(text, { fileName: 'new.md' }), { schema });
      const others = findings
        .filter((finding) => !EMPTY_FAMILY.has(finding.rule))
        .map((finding) => `${finding.range.start.line}: ${finding.message} [${finding.rule}]`);
      expect(others).toEqual([]);
      expect(findings.length).toBeGreaterThan(0);
    });

    it(`${name}: keeps every other skeleton line, in order`, () => {
      const text = newDocument(schema, {
        title: 'T',
        date: DATE,
        type: 'Service Design',
        author: 'Ada Lovelace',
      });
      const out = text.split('\n');
      const metadataLine = /^(Type|Status|Version|Date|Author|Created|Deciders):/;
      const kept = schema.skeleton
        .split('\n')
        .filter((line) => !/^# /.test(line) && !metadataLine.test(line));
      const rest = out.filter((line) => !/^# /.test(line) && !metadataLine.test(line));
      expect(rest).toEqual(kept);
      // The same sections, in the same order, as the skeleton.
      const headings = (doc: DesignDocument) =>
        doc.headings.filter((heading) => heading.level > 1).map((heading) => heading.text);
      expect(headings(parse(text, { fileName: 'new.md' }))).toEqual(
        headings(parse(schema.skeleton, { fileName: 'skeleton.md' })),
      );
    });
  }

  it('design-document: fills Type, and adds Date and Author after Version', () => {
    const text = newDocument(builtinSchema('design-document'), {
      title: 'Payments',
      type: 'Service Design',
      date: DATE,
      author: 'Ada Lovelace',
    });
    expect(text).toContain(
      '# Payments\n\nType: Service Design\nStatus: Draft\nVersion: 0.1\nDate: 2026-11-27\nAuthor: Ada Lovelace\n\n## Executive Summary',
    );
    expect(text.startsWith('### Design Document\n\n# Payments\n')).toBe(true);
  });

  it('design-document: leaves Type blank when none is given', () => {
    const text = newDocument(builtinSchema('design-document'), { title: 'Payments', date: DATE });
    expect(text).toContain('\nType: \nStatus: Draft\nVersion: 0.1\nDate: 2026-11-27\n\n## Executive Summary');
  });

  it('adr: fills the template Date, adds Version after Status, keeps Deciders blank', () => {
    const text = newDocument(builtinSchema('adr'), { title: 'Use SQLite by default', date: DATE });
    expect(text).toMatch(
      /^# Use SQLite by default\n\nStatus: Draft\nVersion: 0\.1\nDate: 2026-11-27\nDeciders: \n\n## Context\n/,
    );
  });

  it('rfc: fills Author and Created from the input', () => {
    const text = newDocument(builtinSchema('rfc'), {
      title: 'Config inheritance',
      date: DATE,
      author: 'Grace Hopper',
    });
    expect(text).toMatch(
      /^# Config inheritance\n\nStatus: Draft\nVersion: 0\.1\nAuthor: Grace Hopper\nCreated: 2026-11-27\n\n## Summary\n/,
    );
  });

  it('adds a metadata block after the title when the template has none, and a title when it has no H1', () => {
    const schema = compileTemplate('bare', '## Notes\n\n- **Owner**: \n');
    const text = newDocument(schema, { title: 'Bare', date: DATE, type: 'Note' });
    expect(text).toBe(
      '# Bare\n\nType: Note\nStatus: Draft\nVersion: 0.1\nDate: 2026-11-27\n\n## Notes\n\n- **Owner**: \n',
    );
  });

  it('never overwrites a section heading: H1 sections get a title on top, a setext title is replaced', () => {
    const h1Sections = compileTemplate('flat', '# Background\n\n# Proposal\n\n# Risks\n');
    const flat = newDocument(h1Sections, { title: 'Flat', date: DATE });
    expect(flat).toBe(
      '# Flat\n\nStatus: Draft\nVersion: 0.1\nDate: 2026-11-27\n\n# Background\n\n# Proposal\n\n# Risks\n',
    );
    const setext = compileTemplate('setext', 'Title here\n==========\n\nStatus: \n\n## Body\n');
    expect(newDocument(setext, { title: 'New', date: DATE })).toBe(
      '# New\n\nStatus: Draft\nVersion: 0.1\nDate: 2026-11-27\n\n## Body\n',
    );
  });

  it('follows the style of the metadata block and the line endings of the skeleton', () => {
    const schema = compileTemplate(
      'bullets',
      '# \r\n\r\n- **Status**: \r\n- **Owner**: \r\n\r\n## Notes\r\n',
    );
    const text = newDocument(schema, { title: 'Styled', date: DATE });
    expect(text).toBe(
      '# Styled\r\n\r\n- **Status**: Draft\r\n- **Version**: 0.1\r\n- **Date**: 2026-11-27\r\n- **Owner**: \r\n\r\n## Notes\r\n',
    );
  });

  it("uses the template's own draft word when its statuses leave out Draft", () => {
    const schema = compileTemplate(
      'proposals',
      '---\nstatuses: [proposed, accepted]\n---\n# \n\nStatus: \n\n## Idea\n',
    );
    expect(newDocument(schema, { title: 'P', date: DATE })).toContain('Status: Proposed\n');
  });

  it('refuses an empty title and a date that is not YYYY-MM-DD', () => {
    const schema = builtinSchema('adr');
    expect(() => newDocument(schema, { title: ' \n\t ', date: DATE })).toThrow(DesignDocError);
    for (const date of ['27/11/2026', '2026-13-01', '2026-02-30', '2026-1-1', '']) {
      expect(() => newDocument(schema, { title: 'x', date })).toThrow(/YYYY-MM-DD/);
    }
  });

  it('does not let a title open a heading, list, code block, link or HTML of its own', () => {
    const schema = builtinSchema('design-document');
    const skeletonHeadings = parse(schema.skeleton, { fileName: 's.md' }).headings.length;
    const hostile = [
      'Evil\n\n## Injected Section\n\n- **Field**: x',
      '# Double',
      'x ##',
      '<script>alert(1)</script>',
      '[link](http://e.com) `code` *em*',
      'a\r\n===',
      '&amp; &#x41;',
    ];
    for (const title of hostile) {
      const doc = parse(newDocument(schema, { title, date: DATE }), { fileName: 'new.md' });
      expect(doc.title?.text).toBe(normalizeTitle(title));
      expect(doc.headings).toHaveLength(skeletonHeadings);
      expect(doc.links).toHaveLength(1); // only the skeleton's Plan Specification link
    }
  });

  it('escapes only what could be markup', () => {
    expect(escapeTitle('Use Redis for caching')).toBe('Use Redis for caching');
    expect(escapeTitle('Auth v2.0: tokens & sessions')).toBe('Auth v2.0: tokens & sessions');
    expect(escapeTitle('#1 *fast* <b>')).toBe('\\#1 \\*fast\\* \\<b\\>');
  });
});

describe('title round trip (property, seeded)', () => {
  const schema = builtinSchema('adr');
  // Printable ASCII punctuation is where markdown syntax lives; mix it with letters, spaces,
  // newlines and a few non-ASCII characters.
  const alphabet = fc.constantFrom(
    ...'abcXYZ019 #*_`[]()<>!&;\\~|-=+.:>"\'{}\n\t\r',
    'é',
    'ß',
    '漢',
    '🙂',
    '\u00a0',
  );
  const titles = fc.oneof(
    fc.string({ unit: alphabet, minLength: 1, maxLength: 60 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  );

  it('any title comes back from newDocument → parse as its normalised text', () => {
    fc.assert(
      fc.property(titles, (title) => {
        fc.pre(normalizeTitle(title) !== '');
        const doc = parse(newDocument(schema, { title, date: DATE }), { fileName: 'new.md' });
        expect(doc.title?.source).toBe('h1');
        expect(doc.title?.text).toBe(normalizeTitle(title));
        expect(doc.sections.map((section) => section.title)).toEqual([
          'Context',
          'Options Considered',
          'Decision',
          'Consequences',
        ]);
      }),
      { seed: 20261127, numRuns: 500 },
    );
  });
});
