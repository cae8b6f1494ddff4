import type { MetadataEntry, SourceRange, TextEdit } from '../../model.js';
import type { SchemaMetadataKey } from '../../template/schema.js';
import type { Rule } from '../rule.js';
import { displayWord, hasMetadataFor } from '../metadata-keys.js';
import { firstLineOf, lineRange, positionOf } from '../source-text.js';

/** A sensible value to insert for a missing key: the first allowed status, a first version. */
function defaultValue(key: string, statuses: readonly string[], allowed: readonly string[]): string {
  const name = key.toLowerCase();
  if (name === 'status') return displayWord(statuses[0] ?? allowed[0] ?? 'Draft');
  if (name === 'version') return '0.1';
  return allowed.length === 1 ? displayWord(allowed[0] as string) : '';
}

/** DD008: a metadata key the template requires is absent. */
export const metadataMissing: Rule = {
  id: 'DD008',
  slug: 'metadata-missing',
  description: 'Every metadata key the template requires (Type, Status, Version, …) must be present.',
  tags: ['template', 'metadata'],
  defaultSeverity: 'error',
  fixable: true,
  docs: 'docs/rules/metadata-missing.md',
  check({ doc, schema }, report) {
    if (!schema) return;
    // A loop, not `filter` with an arrow (no closure per call: docs/DESIGN.md, Scalability Strategy).
    const missing: SchemaMetadataKey[] = [];
    for (const key of schema.metadata) if (key.required && !hasMetadataFor(doc, key)) missing.push(key);
    if (missing.length === 0) return;
    const eol = doc.lineEnding;
    // New lines go after the last `Key: value` line, else under the title, else at the top.
    const lines: MetadataEntry[] = doc.metadata.filter(
      (entry) => entry.source === 'key-value' || entry.source === 'bold-key' || entry.source === 'bullet',
    );
    const last = lines[lines.length - 1];
    const titleRange = doc.title?.range && doc.title.source !== 'file-name' ? doc.title.range : null;
    let insertAt: number;
    let prefix = '';
    let suffix = '';
    let anchor: SourceRange;
    if (last) {
      anchor = firstLineOf(doc, last.range);
      insertAt = lineRange(doc, last.range.end.line).end.offset;
      prefix = eol;
    } else if (titleRange) {
      anchor = firstLineOf(doc, titleRange);
      insertAt = lineRange(doc, titleRange.end.line).end.offset;
      prefix = eol + eol;
    } else {
      anchor = lineRange(doc, 1);
      insertAt = doc.frontMatter ? doc.frontMatter.range.end.offset : 0;
      suffix = eol + eol;
    }
    missing.forEach((key, i) => {
      const value = defaultValue(key.key, schema.statuses, key.allowed);
      const line = `${key.key}: ${value}`.trimEnd() + (value === '' ? ' ' : '');
      // Only the first finding carries the line break that separates a block from the title.
      const text = (i === 0 ? prefix : eol) + line + (i === missing.length - 1 ? suffix : '');
      const at = positionOf(doc, insertAt);
      const fix: TextEdit[] = [{ range: { start: at, end: at }, text }];
      report({
        message: `Metadata "${key.key}" missing: expected a "${key.key}:" line, found none`,
        range: anchor,
        fix,
      });
    });
  },
};
