import { createDb } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/*
 * The workspace's tables as this version's migrations create them, read from a scratch in-memory SQLite
 * database migrated to the latest version: no hand-kept table list that goes stale when a migration adds a
 * table or a column. Backup, restore, export-all and import-all take their table order, column order, column
 * types and primary keys from here.
 */

/** How a column's values are carried across dialects (see services/workspace-transfer.ts). */
export type ColumnKind = 'text' | 'integer' | 'real' | 'boolean' | 'blob';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** The type as the migration declared it. */
  declared: string;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary key columns in key order (every table has one today; else all columns are used for ordering). */
  primaryKey: string[];
  /** Tables this one references by foreign key (itself included: a self-reference is refused as a cycle). */
  references: string[];
}

export interface WorkspaceSchema {
  /** Migration names of this version, sorted. */
  migrations: string[];
  /** Every table in foreign-key-safe order: a table comes after every table it references. */
  tables: TableInfo[];
  /**
   * Tables the migrations themselves fill (the default playbook of 005 and its search index). A workspace that
   * holds rows only in these tables is "empty": nobody has used it yet.
   */
  seeded: string[];
}

/** Kysely's own bookkeeping: recorded as the manifest's migration list, never copied as data. */
export const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'] as const;

const KINDS: [RegExp, ColumnKind][] = [
  [/^(text|varchar(\(\d+\))?|character varying(\(\d+\))?|char(\(\d+\))?|uuid)$/i, 'text'],
  [/^(integer|int|int2|int4|int8|smallint|bigint)$/i, 'integer'],
  [/^(double precision|real|float4|float8|float)$/i, 'real'],
  [/^(boolean|bool)$/i, 'boolean'],
  [/^(blob|bytea)$/i, 'blob'],
];

export function columnKind(table: string, column: string, declared: string): ColumnKind {
  const found = KINDS.find(([pattern]) => pattern.test(declared.trim()));
  if (!found) {
    throw new Error(
      `Column ${table}.${column} has type "${declared}", which backup and export-all do not know how to carry ` +
        'losslessly between SQLite and PostgreSQL: add it to src/storage/workspace-schema.ts.',
    );
  }
  return found[1];
}

/** Orders tables so each comes after those it references; ties alphabetical, so the order is stable. */
export function foreignKeySafeOrder(tables: readonly TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: TableInfo[] = [];
  const pending = [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  while (pending.length > 0) {
    const index = pending.findIndex((t) => t.references.every((r) => done.has(r) || !byName.has(r)));
    if (index < 0) {
      throw new Error(
        `The foreign keys of ${pending.map((t) => t.name).join(', ')} form a cycle, so no table order loads ` +
          'them safely: export-all/import-all need the schema changed (or cycle support in workspace-schema.ts).',
      );
    }
    const [table] = pending.splice(index, 1);
    if (!table) break;
    done.add(table.name);
    ordered.push(table);
  }
  return ordered;
}

let cached: Promise<WorkspaceSchema> | undefined;

/** This version's schema (computed once per process). */
export function workspaceSchema(): Promise<WorkspaceSchema> {
  cached ??= readWorkspaceSchema().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function readWorkspaceSchema(): Promise<WorkspaceSchema> {
  const db = await createDb(':memory:');
  try {
    await migrateToLatest(db);
    const sqlite = db.sqlite;
    if (!sqlite) throw new Error('workspace schema: expected an SQLite connection');
    const migrations = (
      sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[]
    ).map((r) => r.name);
    const names = (
      sqlite
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'",
        )
        .all() as { name: string }[]
    )
      .map((r) => r.name)
      .filter((name) => !(MIGRATION_TABLES as readonly string[]).includes(name));
    const tables: TableInfo[] = [];
    const seeded: string[] = [];
    for (const name of names) {
      const info = sqlite
        .prepare('select name, type, pk from pragma_table_info(?) order by cid')
        .all(name) as {
        name: string;
        type: string;
        pk: number;
      }[];
      const keys = sqlite.prepare('select "table" as target from pragma_foreign_key_list(?)').all(name) as {
        target: string;
      }[];
      tables.push({
        name,
        columns: info.map((c) => ({
          name: c.name,
          declared: c.type,
          kind: columnKind(name, c.name, c.type),
        })),
        primaryKey: info
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
        references: [...new Set(keys.map((k) => k.target))].sort(),
      });
      if (sqlite.prepare(`select 1 from "${name}" limit 1`).get()) seeded.push(name);
    }
    return { migrations, tables: foreignKeySafeOrder(tables), seeded: seeded.sort() };
  } finally {
    await db.close();
  }
}
