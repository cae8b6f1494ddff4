/**
 * A template's optional YAML front matter: the options a team sets beside its markdown skeleton
 * (which sections are required, heading synonyms, the status vocabulary, metadata rules, approval
 * slot coverage and rosters, rule options). Read and validated here, with the line of every key
 * kept so that a mistake is reported where it was written.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { DesignDocError } from '../errors.js';
import { builtinRegistry } from '../lint/builtin-rules.js';
import type { RuleRegistry } from '../lint/registry.js';
import { didYouMean, ruleOptionProblem } from '../lint/rule-options.js';

/** A value from the front matter and the 1-based line (in the template file) it was written on. */
export interface Located<T> {
  value: T;
  line: number;
}

export interface MetadataOptions {
  required?: boolean;
  allowed?: string[];
  pattern?: string;
}

export interface ApprovalOptions {
  required?: boolean;
  covers?: string[];
  roster?: string | null;
}

/** The validated front matter. Every entry that names a part of the skeleton keeps its line. */
export interface TemplateOptions {
  name?: string;
  title?: string;
  description?: string;
  required: Located<string>[];
  optional: Located<string>[];
  synonyms: Located<{ heading: string; aliases: string[] }>[];
  statuses?: string[];
  metadata: Located<{ key: string; options: MetadataOptions }>[];
  approvals: Located<{ slot: string; options: ApprovalOptions }>[];
  /** Options per rule, keyed by the rule's slug (or id, when the front matter used the id). */
  rules: Record<string, Record<string, unknown>>;
}

/** The front matter block split off a template, and the skeleton that follows it. */
export interface SplitTemplate {
  /** The YAML between the `---` fences, or null when the template has none. */
  yaml: string | null;
  /** The 1-based line of the template on which the YAML starts (the line after the opening fence). */
  yamlLine: number;
  /** The markdown after the closing fence (the whole template when there is no front matter). */
  skeleton: string;
}

const TOP_LEVEL_KEYS = [
  'name',
  'title',
  'description',
  'required',
  'optional',
  'synonyms',
  'statuses',
  'metadata',
  'approvals',
  'rules',
] as const;
const METADATA_KEYS = ['required', 'allowed', 'pattern'] as const;
const APPROVAL_KEYS = ['required', 'covers', 'roster'] as const;
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Splits a leading `---` … `---` (or `...`) YAML block off a template. Only a block on the very
 * first line counts: a template's skeleton may well contain thematic breaks of its own.
 */
export function splitTemplateFrontMatter(markdown: string): SplitTemplate {
  const text = markdown.startsWith('\uFEFF') ? markdown.slice(1) : markdown;
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) return { yaml: null, yamlLine: 0, skeleton: text };
  const rest = text.slice(open[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m.exec(rest);
  if (!close) return { yaml: null, yamlLine: 0, skeleton: text };
  return {
    yaml: rest.slice(0, close.index),
    yamlLine: 2,
    skeleton: rest.slice(close.index + close[0].length),
  };
}

/**
 * Parses and validates a template's front matter. Throws `DD_E_TEMPLATE_INVALID` naming the
 * template, the line and the key for YAML that does not parse, unknown keys, values of the wrong
 * shape, rules `registry` does not know and options those rules do not declare or would not accept
 * (with a "did you mean" for a near miss). Whether the names it lists exist in the skeleton is
 * checked by the compiler.
 */
export function readTemplateOptions(
  template: string,
  split: SplitTemplate,
  file: string | null = null,
  registry: RuleRegistry = builtinRegistry,
): TemplateOptions {
  const options: TemplateOptions = {
    required: [],
    optional: [],
    synonyms: [],
    metadata: [],
    approvals: [],
    rules: {},
  };
  if (split.yaml === null || split.yaml.trim() === '') return options;

  const counter = new LineCounter();
  const doc = parseDocument(split.yaml, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number =>
    counter.linePos(offset ?? 0).line + split.yamlLine - 1;
  const fail = (line: number, key: string, message: string): never => {
    throw new DesignDocError(
      'DD_E_TEMPLATE_INVALID',
      `template "${template}", front matter line ${line}, key "${key}": ${message}`,
      {
        location: { ...(file === null ? {} : { file }), line, field: key },
        details: { template, key },
      },
    );
  };

  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lineOf(yamlError.pos[0]);
    const message = yamlError.message.split('\n')[0] ?? yamlError.message;
    throw new DesignDocError(
      'DD_E_TEMPLATE_INVALID',
      `template "${template}", front matter line ${line}: invalid YAML: ${message}`,
      {
        location: { ...(file === null ? {} : { file }), line },
        details: { template },
      },
    );
  }
  const root = doc.contents;
  if (root === null) return options;
  if (!isMap(root))
    return fail(lineOf(root.range?.[0]), '(front matter)', 'expected a mapping of option keys');

  const lineOfNode = (node: Node | null | undefined, fallback: number): number =>
    node?.range ? lineOf(node.range[0]) : fallback;

  const asString = (node: unknown, line: number, key: string): string => {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      const text = String(node.value).trim();
      if (text !== '') return text;
    }
    return fail(line, key, 'expected a non-empty string');
  };
  const asBoolean = (node: unknown, line: number, key: string): boolean => {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return fail(line, key, 'expected true or false');
  };
  /** A list of strings; a single string is accepted as a list of one. */
  const asStringList = (node: unknown, line: number, key: string): Located<string>[] => {
    if (isScalar(node)) return [{ value: asString(node, line, key), line }];
    if (!isSeq(node)) return fail(line, key, 'expected a list of strings');
    return node.items.map((item) => {
      const itemLine = lineOfNode(item as Node, line);
      return { value: asString(item, itemLine, key), line: itemLine };
    });
  };
  const entriesOf = (
    node: unknown,
    line: number,
    key: string,
  ): Array<{ key: string; line: number; value: unknown }> => {
    if (!isMap(node)) return fail(line, key, 'expected a mapping');
    return node.items.map((pair: Pair) => {
      const pairLine = lineOfNode(pair.key as Node, line);
      return { key: asString(pair.key, pairLine, key), line: pairLine, value: pair.value };
    });
  };
  const checkKeys = (
    entries: Array<{ key: string; line: number }>,
    allowed: readonly string[],
    where: string,
  ): void => {
    for (const entry of entries) {
      if (!allowed.includes(entry.key)) {
        fail(
          entry.line,
          where === '' ? entry.key : `${where}.${entry.key}`,
          `unknown key; expected one of ${allowed.join(', ')}`,
        );
      }
    }
  };

  const top = entriesOf(root, split.yamlLine, '(front matter)');
  checkKeys(top, TOP_LEVEL_KEYS, '');
  for (const { key, line, value } of top) {
    switch (key) {
      case 'name': {
        const name = asString(value, line, key);
        if (!NAME_PATTERN.test(name))
          fail(
            line,
            key,
            `expected lower-case letters, digits and dashes (like "team-rfc"), found "${name}"`,
          );
        options.name = name;
        break;
      }
      case 'title':
        options.title = asString(value, line, key);
        break;
      case 'description':
        options.description = asString(value, line, key);
        break;
      case 'required':
        options.required = asStringList(value, line, key);
        break;
      case 'optional':
        options.optional = asStringList(value, line, key);
        break;
      case 'statuses': {
        const statuses = asStringList(value, line, key).map((entry) => entry.value);
        if (statuses.length === 0) fail(line, key, 'expected at least one status');
        options.statuses = statuses;
        break;
      }
      case 'synonyms':
        for (const entry of entriesOf(value, line, key)) {
          const aliases = asStringList(entry.value, entry.line, `synonyms.${entry.key}`).map(
            (alias) => alias.value,
          );
          options.synonyms.push({ value: { heading: entry.key, aliases }, line: entry.line });
        }
        break;
      case 'metadata':
        for (const entry of entriesOf(value, line, key)) {
          const where = `metadata.${entry.key}`;
          const fields = entriesOf(entry.value, entry.line, where);
          checkKeys(fields, METADATA_KEYS, where);
          const meta: MetadataOptions = {};
          for (const field of fields) {
            const path = `${where}.${field.key}`;
            if (field.key === 'required') meta.required = asBoolean(field.value, field.line, path);
            else if (field.key === 'allowed')
              meta.allowed = asStringList(field.value, field.line, path).map((item) => item.value);
            else {
              const pattern = asString(field.value, field.line, path);
              try {
                new RegExp(pattern);
              } catch (error) {
                fail(field.line, path, `not a valid regular expression: ${(error as Error).message}`);
              }
              meta.pattern = pattern;
            }
          }
          options.metadata.push({ value: { key: entry.key, options: meta }, line: entry.line });
        }
        break;
      case 'approvals':
        for (const entry of entriesOf(value, line, key)) {
          const where = `approvals.${entry.key}`;
          const fields = entriesOf(entry.value, entry.line, where);
          checkKeys(fields, APPROVAL_KEYS, where);
          const slot: ApprovalOptions = {};
          for (const field of fields) {
            const path = `${where}.${field.key}`;
            if (field.key === 'required') slot.required = asBoolean(field.value, field.line, path);
            else if (field.key === 'covers') {
              const covers = asStringList(field.value, field.line, path).map((item) => item.value);
              if (covers.length === 0) fail(field.line, path, 'expected at least one section title or "*"');
              slot.covers = covers;
            } else if (field.value === null || (isScalar(field.value) && field.value.value === null))
              slot.roster = null;
            else slot.roster = asString(field.value, field.line, path);
          }
          options.approvals.push({ value: { slot: entry.key, options: slot }, line: entry.line });
        }
        break;
      case 'rules': {
        // Which entry set each rule, so that `empty-section` and `DD004` together are refused.
        const seen = new Map<string, string>();
        for (const entry of entriesOf(value, line, key)) {
          const path = `rules.${entry.key}`;
          const rule = registry.get(entry.key);
          if (!rule)
            return fail(
              entry.line,
              path,
              `unknown rule${didYouMean(entry.key, registry.names())}; rules are named by slug (empty-section) or id (DD004)`,
            );
          const previous = seen.get(rule.id);
          if (previous !== undefined)
            fail(entry.line, path, `rule ${rule.id} (${rule.slug}) is already set by "rules.${previous}"`);
          seen.set(rule.id, entry.key);
          if (!isMap(entry.value)) fail(entry.line, path, 'expected a mapping of rule options');
          const specs = rule.options ?? {};
          const known = Object.keys(specs);
          const ruleOptions: Record<string, unknown> = {};
          for (const option of entriesOf(entry.value, entry.line, path)) {
            const optionPath = `${path}.${option.key}`;
            const spec = specs[option.key];
            if (!spec)
              return fail(
                option.line,
                optionPath,
                known.length === 0
                  ? `unknown option: rule ${rule.slug} takes no options`
                  : `unknown option${didYouMean(option.key, known)}; rule ${rule.slug} takes ${known.join(', ')}`,
              );
            const json: unknown = isNode(option.value) ? option.value.toJSON() : option.value;
            const problem = ruleOptionProblem(spec, json);
            if (problem !== null) fail(lineOfNode(option.value as Node, option.line), optionPath, problem);
            ruleOptions[option.key] = json;
          }
          // Keyed as the linter looks options up: by the rule's exact id or slug, whatever case was written.
          const canonical = entry.key.toLowerCase() === rule.id.toLowerCase() ? rule.id : rule.slug;
          options.rules[canonical] = ruleOptions;
        }
        break;
      }
    }
  }
  return options;
}
