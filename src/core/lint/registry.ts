/**
 * The rule registry: looks rules up by id or slug (case-insensitive) and refuses duplicates, so two
 * rules can never share a name that configs, directives and the docs refer to.
 */
import { DesignDocError } from '../errors.js';
import type { Rule } from './rule.js';

const ID_SHAPE = /^DD\d{3}$/;
const SLUG_SHAPE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export class RuleRegistry {
  readonly #rules: Rule[] = [];
  readonly #byName = new Map<string, Rule>();
  /** `list()`'s answer, kept until the next `register`: lint asks for it once per document. */
  #sorted: readonly Rule[] | null = null;

  constructor(rules: Iterable<Rule> = []) {
    for (const rule of rules) this.register(rule);
  }

  /** Adds a rule; throws when its id or slug is malformed or already taken. */
  register(rule: Rule): void {
    if (!ID_SHAPE.test(rule.id))
      throw new DesignDocError('DD_E_INTERNAL', `rule id "${rule.id}" must look like DD001`);
    if (!SLUG_SHAPE.test(rule.slug))
      throw new DesignDocError('DD_E_INTERNAL', `rule slug "${rule.slug}" must be kebab-case`);
    for (const name of [rule.id, rule.slug]) {
      const taken = this.#byName.get(name.toLowerCase());
      if (taken) {
        throw new DesignDocError(
          'DD_E_INTERNAL',
          `duplicate rule "${name}": already registered by ${taken.id} (${taken.slug})`,
        );
      }
    }
    this.#rules.push(rule);
    this.#sorted = null;
    this.#byName.set(rule.id.toLowerCase(), rule);
    this.#byName.set(rule.slug.toLowerCase(), rule);
  }

  /** The rule named by id (`DD004`) or slug (`empty-section`), any case; undefined when unknown. */
  get(name: string): Rule | undefined {
    return this.#byName.get(name.trim().toLowerCase());
  }

  /** Every rule, in id order. */
  list(): readonly Rule[] {
    this.#sorted ??= Object.freeze([...this.#rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    return this.#sorted;
  }

  /** Every id and slug, for "did you mean" suggestions. */
  names(): string[] {
    return this.#rules.flatMap((rule) => [rule.id, rule.slug]);
  }
}
