import { randomFillSync } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/*
 * A dedicated database connection for bulk work (imports): raw SQL with `?` placeholders, the same text on
 * SQLite and PostgreSQL, plus a fast path that loads rows into a TEMP table (prepared statements on SQLite,
 * COPY on PostgreSQL). TEMP tables live only as long as the connection, so a killed process leaves nothing
 * behind. Kept apart from the shared Kysely connection: on SQLite a long import must not interleave with the
 * server's own transactions on one connection.
 */
export interface BulkConnection {
  readonly dialect: 'sqlite' | 'postgres';
  exec(sql: string): Promise<void>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Loads rows into a TEMP table; values in column order, null for NULL. */
  load(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
  /**
   * Loads `count` rows into a TEMP table without an array per row: `fill(i, row)` writes row i's values, in
   * column order, into `row`, one array reused for every row (read before the next call).
   */
  loadEach(
    table: string,
    columns: readonly string[],
    count: number,
    fill: (index: number, row: unknown[]) => void,
  ): Promise<void>;
  /** Writes outside the current bulk work: on PostgreSQL another pooled connection, on SQLite this one. */
  runMeta(sql: string, params?: readonly unknown[]): Promise<number>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export interface SqliteBulkOptions {
  /** Page cache for this connection in MiB (the merge keeps the accounts indexes in it). Default 48. */
  cacheMiB?: number;
}

/** Opens a second connection to a SQLite file for bulk work. */
export function openSqliteBulk(path: string, options: SqliteBulkOptions = {}): BulkConnection {
  if (path === ':memory:') throw new Error('bulk imports need a database file, not :memory:');
  const db = new SqliteDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${(options.cacheMiB ?? 48) * 1024}`);
  db.pragma('temp_store = FILE');
  db.pragma(`temp.cache_size = -${16 * 1024}`);
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const bind = (params: readonly unknown[]) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  // TIERLINE_TRACE_SQL=1 prints every bulk statement slower than 20 ms to stderr (for profiling imports).
  const trace = process.env.TIERLINE_TRACE_SQL === '1';
  const timed = <T>(sql: string, f: () => T): T => {
    if (!trace) return f();
    const t = performance.now();
    const cpu = process.cpuUsage();
    const r = f();
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    if (ms > 20)
      process.stderr.write(
        `[sql ${ms.toFixed(0)} ms, cpu ${((used.user + used.system) / 1000).toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 140)}\n`,
      );
    return r;
  };
  const connection: BulkConnection = {
    dialect: 'sqlite',
    async exec(sql) {
      timed(sql, () => db.exec(sql));
    },
    async run(sql, params = []) {
      return timed(sql, () => prepare(sql).run(...bind(params)).changes);
    },
    async all<T>(sql: string, params: readonly unknown[] = []) {
      return prepare(sql).all(...bind(params)) as T[];
    },
    async load(table, columns, rows) {
      const insert = prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      const inTransaction = db.inTransaction;
      if (!inTransaction) db.exec('begin');
      try {
        for (const row of rows) insert.run(row as unknown[]);
        if (!inTransaction) db.exec('commit');
      } catch (error) {
        if (!inTransaction) db.exec('rollback');
        throw error;
      }
    },
    async loadEach(table, columns, count, fill) {
      const insert = prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      const row = new Array<unknown>(columns.length).fill(null);
      const inTransaction = db.inTransaction;
      if (!inTransaction) db.exec('begin');
      try {
        for (let i = 0; i < count; i++) {
          fill(i, row);
          insert.run(row);
        }
        if (!inTransaction) db.exec('commit');
      } catch (error) {
        if (!inTransaction) db.exec('rollback');
        throw error;
      }
    },
    async runMeta(sql, params = []) {
      return prepare(sql).run(...bind(params)).changes;
    },
    async begin() {
      // Take the write lock at once: the merge must see every account committed before it.
      db.exec('begin immediate');
    },
    async commit() {
      db.exec('commit');
    },
    async rollback() {
      if (db.inTransaction) db.exec('rollback');
    },
    async close() {
      statements.clear();
      db.close();
    },
  };
  return connection;
}

/** Numbers `?` placeholders as $1, $2 … (the bulk SQL never has `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/** A dedicated PostgreSQL connection from the pool for bulk work; other writes go through the pool. */
export async function openPostgresBulk(pool: pg.Pool): Promise<BulkConnection> {
  const client = await pool.connect();
  let released = false;
  const trace = process.env.TIERLINE_TRACE_SQL === '1';
  const timed = async <T>(sql: string, f: () => Promise<T>): Promise<T> => {
    if (!trace) return f();
    const t = performance.now();
    const r = await f();
    const ms = performance.now() - t;
    if (ms > 20)
      process.stderr.write(`[sql ${ms.toFixed(0)} ms] ${sql.replace(/\s+/g, ' ').slice(0, 140)}\n`);
    return r;
  };
  const connection: BulkConnection = {
    dialect: 'postgres',
    async exec(sql) {
      await timed(sql, () => client.query(sql));
    },
    async run(sql, params = []) {
      const result = await timed(sql, () => client.query(numbered(sql), params as unknown[]));
      return result.rowCount ?? 0;
    },
    async all<T>(sql: string, params: readonly unknown[] = []) {
      const result = await timed(sql, () => client.query(numbered(sql), params as unknown[]));
      return result.rows as T[];
    },
    async load(table, columns, rows) {
      await connection.loadEach(table, columns, rows.length, (i, row) => {
        const values = rows[i] as readonly unknown[];
        row.length = values.length;
        for (let c = 0; c < values.length; c++) row[c] = values[c];
      });
    },
    async loadEach(table, columns, count, fill) {
      if (count === 0) return;
      const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      const row = new Array<unknown>(columns.length).fill(null);
      let text = '';
      for (let r = 0; r < count; r++) {
        fill(r, row);
        for (let i = 0; i < row.length; i++) text += (i === 0 ? '' : '\t') + copyText(row[i]);
        text += '\n';
        if (text.length > 1 << 20) {
          if (!stream.write(text)) await new Promise((resolve) => stream.once('drain', resolve));
          text = '';
        }
      }
      stream.end(text);
      await done;
    },
    async runMeta(sql, params = []) {
      const result = await pool.query(numbered(sql), params as unknown[]);
      return result.rowCount ?? 0;
    },
    async begin() {
      await client.query('begin');
    },
    async commit() {
      await client.query('commit');
    },
    async rollback() {
      await client.query('rollback');
    },
    async close() {
      if (released) return;
      released = true;
      // Drop the TEMP tables with the session: a connection back in the pool must not carry them.
      try {
        await client.query('discard temp');
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    },
  };
  return connection;
}

/**
 * Time-ordered ids in the layout of storage/ids.ts (UUIDv7), made in bulk: one random fill per 4,096 ids
 * instead of one system call per id.
 */
export function idFactory(now: () => number = Date.now): () => string {
  const pool = Buffer.alloc(16 * 4096);
  let offset = pool.length;
  const bytes = Buffer.alloc(16);
  return () => {
    if (offset >= pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    pool.copy(bytes, 0, offset, offset + 16);
    offset += 16;
    bytes.writeUIntBE(now(), 0, 6);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
