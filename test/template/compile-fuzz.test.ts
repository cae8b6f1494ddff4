/**
 * A team's template can hold anything: compiling arbitrary markdown-shaped text must either give a
 * schema or a DD_E_TEMPLATE_INVALID error, never another exception (seeded).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDesignDocError } from '../../src/core/errors.js';
import { compileTemplate } from '../../src/core/template/compile-template.js';
import { newDocument } from '../../src/core/template/new-document.js';
import { corpusDocuments, requireCorpus } from '../support/corpus.js';

const pieces = fc.constantFrom(
  '---\n',
  '# ',
  '## ',
  '### ',
  '#### ',
  'Decision 1:',
  'Title',
  'Approvals',
  'Open Questions',
  '- ',
  '- [ ] ',
  '  - **Status**: ',
  '**Group**',
  '- **Field**: ',
  '1. **Phase 1**: ',
  'Status: ',
  'Version: ',
  'name: x',
  'required: [Title]',
  'synonyms: {a: [b]}',
  'statuses: []',
  '```',
  '<!-- optional -->',
  '(optional)',
  ':',
  '\n',
  '\n\n',
  '\r\n',
  ' ',
  'é',
);
const templates = fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join(''));

describe('compileTemplate on arbitrary input (property, seeded)', () => {
  it('returns a schema or throws DD_E_TEMPLATE_INVALID, and the schema can make a document', () => {
    fc.assert(
      fc.property(templates, (text) => {
        let schema;
        try {
          schema = compileTemplate('fuzz', text);
        } catch (error) {
          expect(isDesignDocError(error) && error.code === 'DD_E_TEMPLATE_INVALID').toBe(true);
          return;
        }
        expect(schema.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
        const made = newDocument(schema, { title: 'Fuzzed', date: '2026-11-27' });
        expect(made).toContain('# Fuzzed');
      }),
      { seed: 4242, numRuns: 1000 },
    );
  });
});

describe.runIf(requireCorpus('compile corpus documents as templates'))(
  'every corpus document as a template',
  () => {
    it('compiles or is refused with DD_E_TEMPLATE_INVALID naming a line', () => {
      let compiled = 0;
      let refused = 0;
      for (const doc of corpusDocuments()) {
        try {
          const schema = compileTemplate(doc.file.replace(/\.md$/, ''), readFileSync(doc.path, 'utf8'), {
            fileName: doc.path,
          });
          expect(schema.skeleton.length).toBeGreaterThan(0);
          compiled++;
        } catch (error) {
          if (!isDesignDocError(error) || error.code !== 'DD_E_TEMPLATE_INVALID') throw error;
          expect(error.location.file).toBe(doc.path);
          expect(error.location.line).toBeGreaterThan(0);
          refused++;
        }
      }
      console.log(
        `corpus documents as templates: ${compiled} compiled, ${refused} refused (document front matter is not template options)`,
      );
      expect(compiled).toBeGreaterThan(refused);
    });
  },
);
