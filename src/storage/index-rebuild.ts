import { sql } from 'kysely';
import type { Executor } from './repositories/accounts.ts';

/**
 * Dropping a SQLite table's secondary indexes for a bulk write inside a transaction and building them again after
 * it, from the definitions the database stores (exactly what the migrations created; nothing restated). SQLite
 * builds an index from sorted keys far cheaper than it inserts hundreds of thousands of keys at random places, and
 * its DDL is transactional: a rollback or a killed process leaves the indexes as they were, and readers on other
 * connections keep their snapshot until the commit. Used by the all-reps plan save (repositories/plan.ts) and by
 * big imports (services/import-pipeline.ts). SQLite only: on PostgreSQL DROP INDEX locks readers out until the commit.
 */

/** An index written as CREATE INDEX (a primary key's or UNIQUE constraint's own index has no sql and stays). */
export interface StoredIndex {
  name: string;
  sql: string;
}

/** The two ways the callers reach SQL: a Kysely transaction, or the import's bulk connection. */
export interface SqlRunner {
  all<T>(query: string): Promise<T[]>;
  exec(query: string): Promise<void>;
}

export function kyselyRunner(trx: Executor): SqlRunner {
  return {
    async all<T>(query: string) {
      return (await sql.raw<T>(query).execute(trx)).rows;
    },
    async exec(query: string) {
      await sql.raw(query).execute(trx);
    },
  };
}

/** Drops `table`'s secondary indexes and returns them, in the order they were created (sqlite_master's rowid). */
export async function dropSecondaryIndexes(run: SqlRunner, table: string): Promise<StoredIndex[]> {
  const indexes = await run.all<StoredIndex>(
    `select name, sql from sqlite_master where type = 'index' and tbl_name = '${table.replace(/'/g, "''")}'
     and sql is not null order by rowid`,
  );
  for (const index of indexes) await run.exec(`drop index "${index.name.replace(/"/g, '""')}"`);
  return indexes;
}

/** Builds the indexes dropSecondaryIndexes dropped again, in the same order (the query planner meets them as before). */
export async function createIndexes(run: SqlRunner, indexes: readonly StoredIndex[]): Promise<void> {
  for (const index of indexes) await run.exec(index.sql);
}
