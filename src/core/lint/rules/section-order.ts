import type { Section } from '../../model.js';
import type { SchemaSection, TemplateSchema } from '../../template/schema.js';
import type { Rule } from '../rule.js';
import { matchSchemaSections } from '../schema-sections.js';
import { firstLineOf } from '../source-text.js';

/** Indexes (into `values`) of one longest strictly increasing subsequence. */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((values[tails[mid] as number] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (
    let i = tails.length > 0 ? (tails[tails.length - 1] as number) : -1;
    i !== -1;
    i = previous[i] as number
  )
    keep.add(i);
  return keep;
}

const ORDER = new WeakMap<TemplateSchema, Map<SchemaSection, number>>();

/** Each schema section's index among its siblings, once per schema. */
function siblingOrder(schema: TemplateSchema): Map<SchemaSection, number> {
  let order = ORDER.get(schema);
  if (!order) {
    const found = new Map<SchemaSection, number>();
    const walk = (siblings: readonly SchemaSection[]): void => {
      siblings.forEach((section, index) => {
        if (!found.has(section)) found.set(section, index);
        walk(section.children);
      });
    };
    walk(schema.sections);
    order = found;
    ORDER.set(schema, order);
  }
  return order;
}

/** A matched section with its place among its siblings in the template. */
interface OrderedSection {
  order: number;
  section: Section;
  schema: SchemaSection;
}

/** Document order (no closure per call: docs/DESIGN.md, Scalability Strategy). */
function bySectionStart(a: { section: Section }, b: { section: Section }): number {
  return a.section.range.start.offset - b.section.range.start.offset;
}

/** DD003: sections appear in a different order from the template's. */
export const sectionOrder: Rule = {
  id: 'DD003',
  slug: 'section-order',
  description: "Sections the template defines must appear in the template's order (among their siblings).",
  tags: ['template', 'structure'],
  defaultSeverity: 'warning',
  fixable: false,
  docs: 'docs/rules/section-order.md',
  check({ doc, schema }, report) {
    if (!schema) return;
    const matches = matchSchemaSections(doc, schema);
    // Compare siblings only: each schema parent's children, in the order the document has them.
    const byParent = new Map<SchemaSection | null, OrderedSection[]>();
    const orderOf = siblingOrder(schema);
    for (const match of matches) {
      if (!match.section) continue;
      const list = byParent.get(match.parent) ?? [];
      list.push({ order: orderOf.get(match.schema) ?? 0, section: match.section, schema: match.schema });
      byParent.set(match.parent, list);
    }
    for (const list of byParent.values()) {
      list.sort(bySectionStart);
      // The usual case: already in the template's order, so nothing is out of place.
      let ordered = true;
      for (let i = 1; i < list.length && ordered; i++)
        ordered = (list[i - 1] as { order: number }).order < (list[i] as { order: number }).order;
      if (ordered) continue;
      const orders: number[] = [];
      for (const entry of list) orders.push(entry.order);
      const keep = longestIncreasing(orders);
      for (let i = 0; i < list.length; i++) {
        const entry = list[i] as OrderedSection;
        if (keep.has(i)) continue;
        // Point at the in-order section it belongs before (or after, when it belongs last).
        let before: OrderedSection | undefined;
        for (let j = 0; j < list.length && before === undefined; j++)
          if (keep.has(j) && (list[j] as OrderedSection).order > entry.order) before = list[j];
        let after: OrderedSection | undefined;
        for (let j = list.length - 1; j >= 0 && after === undefined; j--)
          if (keep.has(j) && (list[j] as OrderedSection).order < entry.order) after = list[j];
        const previous = list[i - 1];
        const found = previous ? `after "${previous.section.title}"` : 'first';
        const target = before ?? after;
        const expected = before
          ? `before "${before.section.title}"`
          : after
            ? `after "${after.section.title}"`
            : 'elsewhere';
        report({
          message: `Section "${entry.section.title}" is out of order: expected ${expected}, found ${found}`,
          range: firstLineOf(doc, entry.section.heading.range),
          ...(target
            ? {
                related: {
                  message: `"${entry.section.title}" belongs ${before ? 'before' : 'after'} this section`,
                  range: firstLineOf(doc, target.section.heading.range),
                },
              }
            : {}),
        });
      }
    }
  },
};
