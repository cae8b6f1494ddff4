/**
 * Hot queries compiled once per dialect and run again with new arguments. Building a query with
 * Kysely's builder and compiling it cost twice what SQLite took to run it (a primary-key read:
 * 57 µs through the builder, 32 µs from compiled SQL, 13 µs for SQLite alone), and a save runs a
 * dozen queries of fixed shape. The builder runs once, with placeholder values; where they land
 * among the compiled parameters says where each argument goes on later calls.
 */
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';

/** Stands in for argument `index` while the query is built; never reaches a database. */
class Placeholder {
  constructor(readonly index: number) {}
}

interface Prepared {
  sql: string;
  /** Per compiled parameter: the argument it takes, or the constant the builder wrote. */
  parameters: ReadonlyArray<unknown>;
  arity: number;
}

/** Typed access to the placeholders: `p<string>(0)` is argument 0, typed for the builder. */
export type Placeholders = <T>(index: number) => T;

export class PreparedQueries {
  private readonly prepared = new Map<string, Prepared>();

  /**
   * Runs the query `build` makes, compiled on the first call for `key` (the query's shape: one
   * key per shape, as the SQL text would be) and reused after. `build` must place every argument
   * through `p` and nothing that varies otherwise.
   */
  async run<R>(
    db: { executeQuery<T>(query: CompiledQuery<T>): Promise<QueryResult<T>> },
    key: string,
    args: readonly unknown[],
    build: (p: Placeholders) => Compilable<R>,
  ): Promise<QueryResult<R>> {
    let prepared = this.prepared.get(key);
    if (prepared === undefined) {
      const compiled = build(<T>(index: number) => new Placeholder(index) as T).compile();
      const used = new Set<number>();
      for (const parameter of compiled.parameters)
        if (parameter instanceof Placeholder) used.add(parameter.index);
      for (let index = 0; index < args.length; index++) {
        if (!used.has(index)) throw new Error(`prepared query "${key}" does not place argument ${index}`);
      }
      if (used.size !== args.length) {
        throw new Error(`prepared query "${key}" places ${used.size} arguments but was given ${args.length}`);
      }
      prepared = { sql: compiled.sql, parameters: compiled.parameters, arity: args.length };
      this.prepared.set(key, prepared);
    } else if (args.length !== prepared.arity) {
      throw new Error(`prepared query "${key}" takes ${prepared.arity} arguments, not ${args.length}`);
    }
    const parameters: unknown[] = [];
    for (const parameter of prepared.parameters)
      parameters.push(parameter instanceof Placeholder ? args[parameter.index] : parameter);
    return db.executeQuery(CompiledQuery.raw(prepared.sql, parameters) as CompiledQuery<R>);
  }
}

const BY_OWNER = new WeakMap<object, PreparedQueries>();

/** The prepared queries of one dialect driver (its SQL is that dialect's), shared by its transactions. */
export function preparedQueriesOf(owner: object): PreparedQueries {
  let queries = BY_OWNER.get(owner);
  if (queries === undefined) {
    queries = new PreparedQueries();
    BY_OWNER.set(owner, queries);
  }
  return queries;
}
