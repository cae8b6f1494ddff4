import type { DesignDocument, MetadataEntry, TextEdit } from '../../model.js';
import type { SchemaMetadataKey, TemplateSchema } from '../../template/schema.js';
import type { Report, Rule, StatusWords } from '../rule.js';
import { displayWord, entriesFor } from '../metadata-keys.js';
import { firstLineOf, isBlankValue, plainValue, quote } from '../source-text.js';

/** Comparison key: case, decoration, dashes and spacing ignored (`in-review` ≈ `In Review`). */
function wordKey(value: string): string {
  return plainValue(value)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}.]+/gu, ' ')
    .trim();
}

function listOf(values: readonly string[]): string {
  const shown = values.slice(0, 8).join(', ');
  return values.length > 8 ? `${shown}, …` : shown;
}

/** The allowed words as displayed, and each lower-cased with ` by ` after it (`Superseded by ADR-12`). */
interface Allowed {
  words: string[];
  successorPrefixes: string[];
}

/** Per schema key and status vocabulary: the allowed words. Both are fixed for a run, so computed once. */
const ALLOWED = new WeakMap<SchemaMetadataKey, WeakMap<TemplateSchema, WeakMap<StatusWords, Allowed>>>();

function allowedWords(schema: TemplateSchema, key: SchemaMetadataKey, statusWords: StatusWords): Allowed {
  let bySchema = ALLOWED.get(key);
  if (!bySchema) {
    bySchema = new WeakMap();
    ALLOWED.set(key, bySchema);
  }
  let byWords = bySchema.get(schema);
  if (!byWords) {
    byWords = new WeakMap();
    bySchema.set(schema, byWords);
  }
  let allowed = byWords.get(statusWords);
  if (!allowed) {
    const extraStatuses = Object.values(statusWords).flatMap((words) => [...(words ?? [])]);
    const isStatus = key.key.toLowerCase() === 'status';
    const words = [
      ...new Set(
        (isStatus ? [...schema.statuses, ...key.allowed, ...extraStatuses] : key.allowed).map(displayWord),
      ),
    ];
    allowed = { words, successorPrefixes: words.map((word) => `${word.toLowerCase()} by `) };
    byWords.set(statusWords, allowed);
  }
  return allowed;
}

/** A key's pattern compiled once (it has no flags, so one RegExp serves every test); null when invalid. */
const PATTERNS = new Map<string, RegExp | null>();

function compiledPattern(source: string): RegExp | null {
  let pattern = PATTERNS.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source);
    } catch {
      pattern = null;
    }
    PATTERNS.set(source, pattern);
  }
  return pattern;
}

/** `Superseded by ADR-12`: an allowed word followed by its successor. */
function hasSuccessor(value: string, successorPrefixes: readonly string[]): boolean {
  if (successorPrefixes.length === 0) return false;
  const lower = value.toLowerCase();
  for (const prefix of successorPrefixes) if (lower.startsWith(prefix)) return true;
  return false;
}

function fixTo(entry: MetadataEntry, text: string): TextEdit[] {
  return [{ range: entry.valueRange, text }];
}

/** DD009: a metadata value outside the template's allowed list or pattern. */
export const metadataInvalid: Rule = {
  id: 'DD009',
  slug: 'metadata-invalid',
  description:
    "Status must be one of the template's statuses (plus configured words), Version must match the template's pattern, Type must be an allowed type. Case and spelling variants are fixable.",
  tags: ['template', 'metadata'],
  defaultSeverity: 'error',
  fixable: true,
  docs: 'docs/rules/metadata-invalid.md',
  check({ doc, schema, statusWords }, report) {
    if (!schema) return;
    for (const key of schema.metadata) {
      const entries = entriesFor(doc, key);
      if (entries.length === 0) continue;
      const allowed = allowedWords(schema, key, statusWords);
      for (const entry of entries) {
        if (isBlankValue(entry.value)) continue;
        checkEntry(doc, report, entry, key, allowed);
      }
    }
  },
};

/** The first allowed word equal to `value` under `key`, or null. */
function sameWord(allowed: readonly string[], value: string, key: (word: string) => string): string | null {
  const wanted = key(value);
  for (const word of allowed) if (key(word) === wanted) return word;
  return null;
}

function lowerCase(word: string): string {
  return word.toLowerCase();
}

// Module-level (no closure per call: docs/DESIGN.md, Scalability Strategy).
function checkEntry(
  doc: DesignDocument,
  report: Report,
  entry: MetadataEntry,
  key: SchemaMetadataKey,
  { words: allowed, successorPrefixes }: Allowed,
): void {
  const value = plainValue(entry.value);
  const range =
    entry.valueRange.start.offset === entry.valueRange.end.offset
      ? firstLineOf(doc, entry.range)
      : entry.valueRange;
  // Lower case is how YAML front matter writes values (`status: accepted`): not a slip.
  const frontMatterCase = entry.source === 'front-matter' && sameWord(allowed, value, lowerCase) !== null;
  if (
    allowed.length > 0 &&
    !allowed.includes(value) &&
    !frontMatterCase &&
    !hasSuccessor(value, successorPrefixes)
  ) {
    const spelled = sameWord(allowed, value, wordKey);
    if (spelled) {
      // Only the spelling differs: worth fixing, not worth failing a build over.
      report({
        severity: 'warning',
        message: `${entry.key} not written as the template writes it: expected "${spelled}", found ${quote(value)}`,
        range,
        fix: fixTo(entry, spelled),
      });
    } else {
      report({
        message: `${entry.key} not allowed: expected one of ${listOf(allowed)}, found ${quote(value)}`,
        range,
      });
    }
    return;
  }
  if (key.pattern) {
    const pattern = compiledPattern(key.pattern);
    if (pattern === null || pattern.test(value)) return;
    // `v1.2` and `1.2.` are the usual slips; anything else needs a human.
    const normalised = value.replace(/^v(?=\d)/i, '').replace(/\.$/, '');
    const fix = normalised !== value && pattern.test(normalised) ? { fix: fixTo(entry, normalised) } : {};
    report({
      message: `${entry.key} malformed: expected a value matching ${key.pattern}, found ${quote(value)}`,
      range,
      ...fix,
    });
  }
}
