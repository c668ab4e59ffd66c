import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import type { BulkConnection } from './bulk-connection.ts';
import { type Db, loadPg } from './database.ts';
import type { TableInfo, WorkspaceSchema } from './workspace-schema.ts';

/*
 * Whole-table reading and the "is this workspace empty" check for backup, restore, export-all and import-all.
 * Reads happen in one snapshot (an SQLite read transaction on its own connection, a REPEATABLE READ READ ONLY
 * transaction on PostgreSQL), so an export taken while the server keeps writing is consistent across tables,
 * and rows are streamed (SQLite statement iterator, PostgreSQL cursor), never held whole.
 */

export type RawRow = Record<string, unknown>;

export interface SnapshotReader {
  /** Migration names recorded in the database, sorted. */
  migrations(): Promise<string[]>;
  count(table: string): Promise<number>;
  /**
   * The table's rows in primary-key order by byte-wise comparison (the same order on both databases), with the
   * driver's values: integers as bigint (SQLite) or digit strings (PostgreSQL int8), blobs as Buffers.
   */
  rows(table: TableInfo): AsyncIterable<RawRow>;
  close(): Promise<void>;
}

export const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function selectAllSql(table: TableInfo, dialect: 'sqlite' | 'postgres'): string {
  const columns = table.columns.map((c) => quoteId(c.name)).join(', ');
  const keys = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
  // SQLite compares text byte by byte (BINARY); PostgreSQL's "C" collation does the same on UTF-8.
  const order = keys
    .map((name) => {
      const kind = table.columns.find((c) => c.name === name)?.kind;
      return dialect === 'postgres' && kind === 'text' ? `${quoteId(name)} collate "C"` : quoteId(name);
    })
    .join(', ');
  return `select ${columns} from ${quoteId(table.name)} order by ${order}`;
}

export async function openSnapshotReader(db: Db): Promise<SnapshotReader> {
  if (db.dialect === 'postgres') {
    if (!db.pool) throw new Error('PostgreSQL database without a pool');
    return openPostgresSnapshot(db.pool);
  }
  if (db.location === ':memory:') throw new Error('An in-memory database cannot be exported.');
  return openSqliteSnapshot(db.location);
}

function openSqliteSnapshot(path: string): SnapshotReader {
  const conn = new SqliteDatabase(path, { fileMustExist: true });
  conn.pragma('busy_timeout = 10000');
  conn.exec('begin');
  // The snapshot starts with the first read: take it now, before any table is read.
  conn.prepare('select count(*) from sqlite_master').get();
  return {
    async migrations() {
      return (
        conn.prepare('select name from kysely_migration order by name').all() as { name: string }[]
      ).map((r) => r.name);
    },
    async count(table) {
      return Number((conn.prepare(`select count(*) as n from ${quoteId(table)}`).get() as { n: number }).n);
    },
    async *rows(table) {
      const statement = conn.prepare(selectAllSql(table, 'sqlite')).safeIntegers(true);
      for (const row of statement.iterate()) yield row as RawRow;
    },
    async close() {
      if (conn.inTransaction) conn.exec('commit');
      conn.close();
    },
  };
}

// int8 as its digits: the pool's global parser turns it into a JS number, which is exact only below 2^53.
function exportTypesOf(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === driver.types.builtins.INT8
        ? (value: string) => value
        : driver.types.getTypeParser(oid, format ?? 'text')) as typeof driver.types.getTypeParser,
  };
}

async function openPostgresSnapshot(pool: pg.Pool): Promise<SnapshotReader> {
  const exportTypes = exportTypesOf(await loadPg());
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  const batch = 2000;
  return {
    async migrations() {
      const result = await client.query<{ name: string }>(
        'select name from kysely_migration order by name collate "C"',
      );
      return result.rows.map((r) => r.name);
    },
    async count(table) {
      const result = await client.query<{ n: string }>({
        text: `select count(*) as n from ${quoteId(table)}`,
        types: exportTypes,
      });
      return Number(result.rows[0]?.n ?? 0);
    },
    async *rows(table) {
      await client.query(`declare tierline_export no scroll cursor for ${selectAllSql(table, 'postgres')}`);
      try {
        for (;;) {
          const result = await client.query<RawRow>({
            text: `fetch ${batch} from tierline_export`,
            types: exportTypes,
          });
          for (const row of result.rows) yield row;
          if (result.rows.length < batch) break;
        }
      } finally {
        await client.query('close tierline_export').catch(() => undefined);
      }
    },
    async close() {
      try {
        await client.query('rollback');
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    },
  };
}

/** Tables outside the migrations' own seed that hold rows: a workspace with none is empty. */
export async function tablesWithData(
  schema: WorkspaceSchema,
  hasRows: (table: string) => Promise<boolean>,
): Promise<string[]> {
  const found: string[] = [];
  for (const table of schema.tables) {
    if (schema.seeded.includes(table.name)) continue;
    if (await hasRows(table.name)) found.push(table.name);
  }
  return found;
}

/** `hasRows` for tablesWithData on a bulk connection (inside its transaction). */
export function bulkHasRows(bulk: BulkConnection): (table: string) => Promise<boolean> {
  return async (table) => (await bulk.all(`select 1 as one from ${quoteId(table)} limit 1`)).length > 0;
}

/** `hasRows` for tablesWithData on a raw SQLite connection; a table that does not exist has no rows. */
export function sqliteHasRows(conn: SqliteDatabase.Database): (table: string) => Promise<boolean> {
  return async (table) => {
    const exists = conn.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table);
    return exists ? conn.prepare(`select 1 from ${quoteId(table)} limit 1`).get() !== undefined : false;
  };
}
