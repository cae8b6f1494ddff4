import type { Rule } from '../rule.js';
import { entriesFor } from '../metadata-keys.js';
import { firstLineOf, isBlankValue } from '../source-text.js';

const DEFAULT_KEYS = ['Type', 'Status', 'Version'];

/** DD007: Type, Status or Version (or the template's metadata keys) present but blank. */
export const emptyMetadata: Rule = {
  id: 'DD007',
  slug: 'empty-metadata',
  description:
    'A metadata line that is present (Type, Status, Version, or a key the template defines) must have a value.',
  tags: ['metadata', 'empty'],
  defaultSeverity: 'error',
  fixable: false,
  docs: 'docs/rules/empty-metadata.md',
  check({ doc, schema }, report) {
    const keys = schema && schema.metadata.length > 0 ? schema.metadata.map((key) => key) : DEFAULT_KEYS;
    for (const key of keys) {
      for (const entry of entriesFor(doc, key)) {
        if (!isBlankValue(entry.value)) continue;
        report({
          message: `Metadata "${entry.key}" is empty: expected a value, found nothing`,
          range: firstLineOf(doc, entry.range),
        });
      }
    }
  },
};
