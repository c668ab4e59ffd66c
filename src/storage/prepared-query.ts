import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './repositories/accounts.ts';

/**
 * A Kysely query built and compiled once per dialect, its parameters filled in on each call. Building and
 * compiling a query costs more CPU than SQLite takes to run a small one (~30–80 µs a statement on this 2-core
 * box, most of the agenda's and authentication's per-request cost); the compiled SQL is the same every time, so
 * hot read paths prepare it once. Execution still goes through Kysely's executor (its connection, mutex,
 * transaction and plugins), and SQLite's own prepared statements are reused by the statement cache in
 * database.ts.
 *
 * `build` receives placeholders in place of the arguments and must use them only as values (in `where`,
 * `in` lists, `set`, …), never look at them: the query's shape may not depend on its arguments. Every
 * placeholder must appear in the compiled query (checked on the first compile). For `in` lists, whose SQL
 * depends on the list's length, make one prepared query per length (`preparedByLength`).
 */
export interface PreparedQuery<A extends readonly unknown[], O> {
  execute(db: Executor, args: A): Promise<O[]>;
  executeTakeFirst(db: Executor, args: A): Promise<O | undefined>;
}

/** Stands for the argument at `index` while the query is built. */
class Placeholder {
  constructor(readonly index: number) {}
}

interface Template {
  sql: CompiledQuery;
  /** For each parameter of the compiled query: the argument it takes (>= 0), or -1 for a constant. */
  slots: number[];
}

export function prepareQuery<A extends readonly unknown[], O>(
  arity: number,
  build: (db: Executor, args: A) => Compilable<O>,
): PreparedQuery<A, O> {
  // One template per dialect adapter: a transaction shares its database's adapter, so both use one template.
  const templates = new WeakMap<object, Template>();
  const templateFor = (db: Executor): Template => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      const placeholders = Array.from({ length: arity }, (_, i) => new Placeholder(i));
      const sql = build(db, placeholders as unknown as A).compile();
      const slots = sql.parameters.map((p) => (p instanceof Placeholder ? p.index : -1));
      for (let i = 0; i < arity; i++) {
        if (!slots.includes(i)) throw new Error(`prepared query: argument ${i} is not used in ${sql.sql}`);
      }
      template = { sql, slots };
      templates.set(adapter, template);
    }
    return template;
  };
  const execute = async (db: Executor, args: A): Promise<O[]> => {
    if (args.length !== arity) throw new Error(`prepared query: ${args.length} arguments for ${arity}`);
    const { sql, slots } = templateFor(db);
    const parameters = sql.parameters.map((p, i) => {
      const slot = slots[i] as number;
      return slot < 0 ? p : args[slot];
    });
    const result = await db.executeQuery<O>({ ...sql, parameters } as CompiledQuery<O>);
    return result.rows;
  };
  return {
    execute,
    async executeTakeFirst(db, args) {
      return (await execute(db, args))[0];
    },
  };
}

/** Prepared queries over `in` lists, one per list length (made when a length is first used). */
export function preparedByLength<O>(
  build: (db: Executor, values: readonly string[]) => Compilable<O>,
): (db: Executor, values: readonly string[]) => Promise<O[]> {
  const byLength = new Map<number, PreparedQuery<readonly string[], O>>();
  return (db, values) => {
    let query = byLength.get(values.length);
    if (!query) {
      query = prepareQuery<readonly string[], O>(values.length, build);
      byLength.set(values.length, query);
    }
    return query.execute(db, values);
  };
}
