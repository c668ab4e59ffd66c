import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { type BackgroundCheckpointOptions, startBackgroundCheckpoints } from './checkpointer.ts';
import { lockWaitingSqliteDialect } from './sqlite-driver.ts';
import type { Database } from './tables.ts';

export type DialectName = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus the raw driver for bulk paths (SQLite statements, PostgreSQL COPY). */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** File path for SQLite, URL without password for PostgreSQL. */
  readonly location: string;
  readonly sqlite?: SqliteDatabase.Database;
  readonly pool?: pg.Pool;
  /**
   * PostgreSQL: how to open the same database and schema again (`createDb(url, { schema })`), e.g. from a worker
   * thread with connections of its own (services/off-thread.ts). The URL holds the password: never show it.
   */
  readonly reopen?: { readonly url: string; readonly schema?: string };
  /**
   * SQLite with background checkpoints (checkpointer.ts): resolves once the checkpoint worker's connection is open
   * (or the worker has stopped); never rejects. Undefined without a worker.
   */
  readonly checkpointerReady?: Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_FILE = './data/tierline.db';

/** `--db` flag, else `DATABASE_URL`, else the default SQLite file. */
export function resolveDatabaseUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.DATABASE_URL || DEFAULT_SQLITE_FILE;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * The PostgreSQL driver, loaded on first use: a SQLite workspace (and every CLI start) never pays for it.
 * int8 and numeric arrive as strings by default; our bigint columns hold whole yuan well inside 2^53.
 */
let pgDriver: Promise<typeof pg> | undefined;
export function loadPg(): Promise<typeof pg> {
  pgDriver ??= import('pg').then(({ default: driver }) => {
    driver.types.setTypeParser(driver.types.builtins.INT8, (value) => Number(value));
    driver.types.setTypeParser(driver.types.builtins.NUMERIC, (value) => Number(value));
    return driver;
  });
  return pgDriver;
}

export interface CreateDbOptions {
  /** PostgreSQL only: use (and create) this schema instead of public. Tests use one schema per run. */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * SQLite file: checkpoint the write-ahead log from a worker thread instead of inside commits, for a serving
   * process (checkpointer.ts); stopped at close. Ignored for PostgreSQL and `:memory:`.
   */
  backgroundCheckpoints?: boolean | BackgroundCheckpointOptions;
  /**
   * SQLite: how long a write waits for another connection's write lock (an import's merge, a CLI command) before
   * it is refused as busy (default 120 s); the wait never blocks the thread (sqlite-driver.ts).
   */
  lockWaitMs?: number;
}

export async function createDb(url: string, options: CreateDbOptions = {}): Promise<Db> {
  if (isPostgresUrl(url)) return createPostgresDb(url, options);
  return createSqliteDb(url.replace(/^sqlite:(\/\/)?/, ''), options);
}

function createSqliteDb(file: string, options: CreateDbOptions): Db {
  const path = file === ':memory:' ? file : resolve(file);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  // Page cache up to 256 MiB (allocated as used; the default is 2 MiB). Bulk writes (tiering a million accounts,
  // saving every rep's plan) touch hundreds of MiB of index pages in one transaction: with the default, SQLite
  // spills dirty pages to the WAL and reads them back, which made saving 400k planned touches 2.5x slower.
  sqlite.pragma('cache_size = -262144');
  // Transactions begin IMMEDIATE and writes wait for another connection's lock without blocking the thread
  // (sqlite-driver.ts).
  const kysely = new Kysely<Database>({
    dialect: lockWaitingSqliteDialect({
      sqlite,
      prepare: statementCache(sqlite),
      busyTimeoutMs: 10_000,
      ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
    }),
  });
  const background = options.backgroundCheckpoints;
  const checkpoints =
    background && path !== ':memory:'
      ? startBackgroundCheckpoints(sqlite, path, background === true ? {} : background)
      : undefined;
  return {
    kysely,
    dialect: 'sqlite',
    location: path,
    sqlite,
    ...(checkpoints ? { checkpointerReady: checkpoints.ready } : {}),
    async close() {
      // The background checkpointer's connection first, so that nothing else holds the log at the last checkpoint.
      await checkpoints?.stop();
      // Fold the write-ahead log into the database file and empty it, so that a stopped server leaves one
      // self-contained file (copyable, nothing to replay). Best effort: another connection may still read.
      if (sqlite.open && path !== ':memory:') {
        try {
          // Closing anyway: wait at most a moment for readers in other processes rather than the usual 10 s.
          sqlite.pragma('busy_timeout = 250');
          sqlite.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          // busy (another process holds the database): SQLite checkpoints later on its own
        }
      }
      await kysely.destroy();
    },
  };
}

/**
 * Prepares statements for Kysely, keeping the most recently used: Kysely prepares each statement again on every
 * execution, which cost more than running it for the agenda's small queries (~0.1 ms a statement). Reusing a
 * statement is safe because Kysely runs one statement at a time on the connection (its mutex also covers
 * streaming); statements are re-prepared by SQLite itself after a schema change.
 */
function statementCache(
  sqlite: SqliteDatabase.Database,
  size = 500,
): (sql: string) => SqliteDatabase.Statement {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return (sql: string) => {
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql); // re-inserted below: the map's order is the order of last use
    } else {
      statement = sqlite.prepare(sql);
      if (statements.size >= size) statements.delete(statements.keys().next().value as string);
    }
    statements.set(sql, statement);
    return statement;
  };
}

async function createPostgresDb(url: string, options: CreateDbOptions): Promise<Db> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and _.`);
  }
  const pg = await loadPg();
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    location: redactUrl(url),
    pool,
    reopen: schema ? { url, schema } : { url },
    async close() {
      await kysely.destroy();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
