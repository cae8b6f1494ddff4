/**
 * The documents designdoc itself produces: the blank template must report exactly the "empty"
 * problems a reviewer expects (empty title, blank metadata, empty sections, fields and slots, the
 * placeholder link), and a document made by `new` must only get findings of the empty family.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newDocument } from '../../src/core/template/index.js';
import { corpusAvailable, repoRoot, sharedRoot } from '../support/corpus.js';
import { builtinSchema, lintText } from './lint-support.js';

const EMPTY_FAMILY = ['DD004', 'DD005', 'DD007', 'DD016'];

function templateText(): string {
  const shared = join(sharedRoot, 'template/design-document.md');
  return readFileSync(corpusAvailable ? shared : join(repoRoot, 'templates/design-document.md'), 'utf8');
}

describe('the blank design-document template', () => {
  const text = templateText();
  const result = lintText(text, { template: 'design-document', fileName: 'design-document.md' });
  const lines = text.split('\n');
  const at = (ruleId: string): number[] =>
    result.findings.filter((f) => f.ruleId === ruleId).map((f) => f.range.start.line);
  const lineOf = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line)) + 1;

  it('reports only the expected categories', () => {
    expect([...new Set(result.findings.map((f) => f.ruleId))].sort()).toEqual([
      'DD001',
      'DD004',
      'DD005',
      'DD007',
      'DD016',
    ]);
    expect(result.counts.error).toBeGreaterThan(0);
  });

  it('reports the empty title and the blank Type, Status and Version', () => {
    expect(at('DD001')).toEqual([lineOf(/^# $/)]);
    expect(at('DD007')).toEqual([lineOf(/^Type:/), lineOf(/^Status:/), lineOf(/^Version:/)]);
  });

  it('reports every empty top-level section', () => {
    const sections = lines.flatMap((line, i) => (/^## /.test(line) ? [i + 1] : []));
    const reported = new Set(at('DD004'));
    expect(sections.filter((line) => !reported.has(line))).toEqual([]);
  });

  it('reports every blank field, item, criterion, phase, question and approval slot', () => {
    const reported = new Set(at('DD005'));
    // Lines that open a fill-in element: `- **X**: `, `- `, `1. `, `1. **Phase 1**: `, `- [ ] `, `**Approach**: `, `#### `, `#### Decision N: `.
    const blanks = lines.flatMap((line, i) =>
      /^\s*(?:[-*]|\d+\.)\s*(?:\[ \]\s*)?(?:\*\*[^*]+\*\*:\s*)?$/.test(line) ||
      /^\*\*Approach\*\*:\s*$/.test(line) ||
      /^#### (?:Decision \d+: )?$/.test(line)
        ? [i + 1]
        : [],
    );
    // A blank line inside an open question's status or an approval slot belongs to that question or slot.
    const slotLabels = ['Technical Review', 'Architecture Review', 'Security Review', 'Approved By'].map(
      (name) => lineOf(new RegExp(`^\\*\\*${name}\\*\\*$`)),
    );
    for (const label of slotLabels) expect(reported.has(label), `slot at line ${label}`).toBe(true);
    const slotEntries = new Set(slotLabels.map((line) => line + 1));
    const statusLines = new Set(
      lines.flatMap((line, i) => (/^\s+- \*\*Status\*\*:/.test(line) ? [i + 1] : [])),
    );
    const missing = blanks.filter(
      (line) => !reported.has(line) && !slotEntries.has(line) && !statusLines.has(line),
    );
    expect(missing).toEqual([]);
    for (const name of ['Technical Review', 'Security Review']) {
      expect(
        result.findings.some(
          (f) => f.ruleId === 'DD005' && f.message === `Approval slot "${name}" has no entry`,
        ),
      ).toBe(true);
    }
  });

  it('reports the placeholder Plan Specification link', () => {
    expect(at('DD016')).toEqual([lineOf(/\[Plan Specification\]\(#\)/)]);
  });
});

describe('documents made by `new` from every built-in template', () => {
  for (const name of ['design-document', 'adr', 'rfc']) {
    it(`${name}: only empty-family findings, and the blank template too`, () => {
      const schema = builtinSchema(name);
      const text = newDocument(schema, { title: 'Payments Ledger', date: '2026-11-27' });
      const made = lintText(text, { schema });
      expect(made.findings.filter((f) => !EMPTY_FAMILY.includes(f.ruleId)).map((f) => f.message)).toEqual([]);
      const blank = lintText(readFileSync(join(repoRoot, 'templates', `${name}.md`), 'utf8'), { schema });
      expect(
        blank.findings
          .filter((f) => f.ruleId !== 'DD001' && !EMPTY_FAMILY.includes(f.ruleId))
          .map((f) => f.message),
      ).toEqual([]);
    });
  }
});

describe('a document made by `new`', () => {
  const schema = builtinSchema('design-document');
  for (const type of [undefined, 'Service Design']) {
    it(`gets only empty-family findings (type ${type ?? 'blank'})`, () => {
      const text = newDocument(schema, {
        title: 'Payments Ledger',
        date: '2026-11-27',
        ...(type ? { type } : {}),
      });
      const result = lintText(text, { schema, fileName: 'payments-ledger.md' });
      const outside = result.findings
        .filter((f) => !EMPTY_FAMILY.includes(f.ruleId))
        .map((f) => `${f.range.start.line}: ${f.ruleId} ${f.message}`);
      expect(outside).toEqual([]);
      expect(result.findings.length).toBeGreaterThan(0);
      // The blank Type is the only metadata finding, and only when no type was given.
      expect(result.findings.filter((f) => f.ruleId === 'DD007').length).toBe(type ? 0 : 1);
      // The third question has no status line: it is an empty question, not a question without status.
      expect(result.findings.some((f) => f.ruleId === 'DD013')).toBe(false);
    });
  }
});
