/**
 * What the template itself says, so rules can tell text an author wrote from text that was only
 * copied from the skeleton: every skeleton body line (normalised) and the skeleton's unlabelled list
 * items, which are fill-in instructions such as "Integrates with  for ".
 */
import { DocumentMap } from '../document-cache.js';
import type { DesignDocument, ListItem } from '../model.js';
import type { TemplateSchema } from '../template/schema.js';
import { plainValue } from './source-text.js';

export interface TemplateText {
  /** Normalised non-blank skeleton lines that are not headings. */
  lines: Set<string>;
  /** The same lines trimmed but otherwise as written: a cheap exact test before normalising. */
  rawLines: Set<string>;
  /** Length of the longest skeleton line: a much longer line cannot be one of them. */
  maxLength: number;
  /** `rawLengths[n]` is 1 when some entry of `rawLines` is n characters long: most lines fail this before any string is built. */
  rawLengths: Uint8Array;
  /** The same for `lines` (normalised). */
  lineLengths: Uint8Array;
  /** Unlabelled skeleton list items with words in them, as written (trimmed). */
  items: string[];
  /** Lower-case first words of each item, for a cheap first test. */
  heads: string[];
  /** Per item: its plain lower-case text and its fixed words around the gaps. */
  shapes: Array<{ item: string; plain: string; fixed: string[] }>;
}

const CACHE = new WeakMap<TemplateSchema, TemplateText>();
const EMPTY: TemplateText = {
  lines: new Set(),
  rawLines: new Set(),
  maxLength: 0,
  rawLengths: new Uint8Array(0),
  lineLengths: new Uint8Array(0),
  items: [],
  heads: [],
  shapes: [],
};

const DECORATION = /[*_`~<\t]| {2}/;

/** A line reduced for comparison with skeleton lines: decoration and spacing ignored, lower case. */
export function normalizeLine(line: string): string {
  const trimmed = line.trim();
  // Most lines carry no decoration: skip the regex replacements for them.
  return (DECORATION.test(trimmed) ? plainValue(trimmed) : trimmed).toLowerCase();
}

function lengthTable(lines: ReadonlySet<string>): Uint8Array {
  const table = new Uint8Array(Math.max(0, ...[...lines].map((line) => line.length)) + 1);
  for (const line of lines) table[line.length] = 1;
  return table;
}

/** The template text of a schema (cached); empty for documents without a schema. */
export function templateText(schema: TemplateSchema | null): TemplateText {
  if (!schema) return EMPTY;
  let cached = CACHE.get(schema);
  if (!cached) {
    const lines = new Set<string>();
    const rawLines = new Set<string>();
    const items: string[] = [];
    for (const raw of schema.skeleton.split(/\r?\n/)) {
      if (/^\s{0,3}#{1,6}(\s|$)/.test(raw)) continue;
      const normalized = normalizeLine(raw);
      if (normalized !== '') {
        lines.add(normalized);
        rawLines.add(raw.trim());
      }
      const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(raw);
      if (
        item &&
        !/^\s*(?:\[[ xX]\]\s*)?\*\*[^*]+\*\*/.test(item[1] as string) &&
        /[\p{L}\p{N}]/u.test(item[1] as string)
      ) {
        items.push((item[1] as string).trim());
      }
    }
    const heads = items.map((item) => (plainValue(item).toLowerCase().split(' ')[0] ?? '').slice(0, 12));
    const shapes = items.map((item) => ({
      item,
      plain: plainValue(item).toLowerCase(),
      fixed: item
        .split(/\s{2,}|:\s*$/)
        .map((part) => part.trim().toLowerCase())
        .filter((part) => part !== ''),
    }));
    const maxLength = Math.max(0, ...[...rawLines].map((line) => line.length));
    cached = {
      lines,
      rawLines,
      maxLength,
      rawLengths: lengthTable(rawLines),
      lineLengths: lengthTable(lines),
      items,
      heads,
      shapes,
    };
    CACHE.set(schema, cached);
  }
  return cached;
}

/** How far an item's text still follows a skeleton item (see `templateItemGaps`). */
export interface ItemGaps {
  item: string;
  unchanged: boolean;
  emptyGaps: number;
}

/** Space, tab and the emphasis and code marks `* _ \` ~`. */
function isLeadingDecoration(code: number): boolean {
  return code === 32 || code === 9 || code === 42 || code === 95 || code === 96 || code === 126;
}

/**
 * The skeleton item an item's text still follows, with the words the author had to fill in: for
 * template item "Integrates with  for " and text "Integrates with Stripe for" → the gap after "for"
 * is still empty. Returns null when the text does not start like any skeleton item.
 */
export function templateItemGaps(text: string, template: TemplateText): ItemGaps | null {
  if (template.items.length === 0) return null;
  // Cheap reject first: the text must start (after decoration) with a skeleton item's first word.
  let start = 0;
  while (start < text.length && isLeadingDecoration(text.charCodeAt(start))) start++;
  const head = text.slice(start, start + 12).toLowerCase();
  let known = false;
  for (const h of template.heads) {
    if (h !== '' && head.startsWith(h)) {
      known = true;
      break;
    }
  }
  if (!known) return null;
  const plain = plainValue(text).toLowerCase();
  for (const { item, plain: itemPlain, fixed } of template.shapes) {
    if (fixed.length === 0 || !plain.startsWith(fixed[0] as string)) continue;
    if (plain === itemPlain) return { item, unchanged: true, emptyGaps: fixed.length };
    let emptyGaps = 0;
    let cursor = 0;
    for (let i = 0; i < fixed.length; i++) {
      const part = fixed[i] as string;
      const at = plain.indexOf(part, cursor);
      if (at === -1) return null;
      const next = fixed[i + 1];
      const gapEnd = next === undefined ? plain.length : plain.indexOf(next, at + part.length);
      const gap = plain.slice(at + part.length, gapEnd === -1 ? plain.length : gapEnd);
      if (!/[\p{L}\p{N}]/u.test(gap)) emptyGaps++;
      cursor = at + part.length;
    }
    return { item, unchanged: false, emptyGaps };
  }
  return null;
}

const DOCUMENT_GAPS = new DocumentMap<{ template: TemplateText; gaps: Array<ItemGaps | null | undefined> }>();

/**
 * `templateItemGaps` of `doc.items[index]`, worked out once per document and template: the
 * empty-field and placeholder-text rules both ask it of every item.
 */
export function itemGapsAt(doc: DesignDocument, index: number, template: TemplateText): ItemGaps | null {
  let memo = DOCUMENT_GAPS.get(doc);
  if (!memo || memo.template !== template) {
    memo = { template, gaps: new Array<ItemGaps | null | undefined>(doc.items.length) };
    DOCUMENT_GAPS.set(doc, memo);
  }
  let gaps = memo.gaps[index];
  if (gaps === undefined) {
    gaps = templateItemGaps((doc.items[index] as ListItem).text, template);
    memo.gaps[index] = gaps;
  }
  return gaps;
}
