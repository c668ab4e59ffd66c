import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { AppError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';

/*
 * Kysely's SQLite driver, changed in two ways so that one writer elsewhere (an import's merge in its worker thread,
 * a CLI command on the same file, a backup) never freezes the server nor fails a rep's write at once:
 *
 * - Transactions begin IMMEDIATE: the write lock is taken at BEGIN, not at the first write. A deferred transaction
 *   that read first and then found the lock taken, or the database changed since its read, fails at once with
 *   SQLITE_BUSY(_SNAPSHOT) whatever the busy timeout (SQLite cannot wait there without risking a deadlock).
 * - Waiting for the lock is asynchronous: BEGIN and a write outside a transaction are tried without SQLite's busy
 *   handler (which sleeps in the calling thread: better-sqlite3 is synchronous, so every request of the server
 *   would stop for up to the 10 s busy timeout); while the lock is taken, the connection is given back to the
 *   others (reads go on: WAL readers never wait for the writer) and the attempt is made again a few milliseconds
 *   later, for up to `lockWaitMs`. After that the caller gets `AppError('unavailable')`: "busy, try again".
 *
 * Reads, and statements inside a transaction (which holds the lock from its BEGIN), run as before, with the
 * connection's own busy timeout for the rare waits a reader can meet (a checkpoint restarting the log).
 */

export interface LockWaitingSqliteConfig {
  sqlite: SqliteDatabase.Database;
  /** Prepares a statement (with a cache; see database.ts). */
  prepare: (sql: string) => SqliteDatabase.Statement;
  /** How long a write waits for another connection's write lock before giving up (default 120 s). */
  lockWaitMs?: number;
  /** The connection's busy timeout, restored after each attempt made without it (default 10 s). */
  busyTimeoutMs?: number;
}

export const DEFAULT_LOCK_WAIT_MS = 120_000;
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, _RECOVERY, _TIMEOUT). */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** The dialect: Kysely's SQLite compiler, adapter and introspector over the lock-waiting driver. */
export function lockWaitingSqliteDialect(config: LockWaitingSqliteConfig): Dialect {
  return {
    createDriver: () => new LockWaitingSqliteDriver(config),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}

class ConnectionMutex {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}

class LockWaitingSqliteDriver implements Driver {
  readonly #mutex = new ConnectionMutex();
  readonly #connection: LockWaitingConnection;
  readonly #sqlite: SqliteDatabase.Database;

  constructor(config: LockWaitingSqliteConfig) {
    this.#sqlite = config.sqlite;
    this.#connection = new LockWaitingConnection(config, this.#mutex);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection: the mutex makes the others wait until it is released.
    await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(): Promise<void> {
    await this.#connection.begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  // Savepoints inside a transaction (Kysely's `trx.savepoint(name)`), as Kysely's own driver has them.
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.#sqlite.close();
  }
}

class LockWaitingConnection implements DatabaseConnection {
  readonly #sqlite: SqliteDatabase.Database;
  readonly #prepare: (sql: string) => SqliteDatabase.Statement;
  readonly #mutex: ConnectionMutex;
  readonly #lockWaitMs: number;
  readonly #busyTimeoutMs: number;

  constructor(config: LockWaitingSqliteConfig, mutex: ConnectionMutex) {
    this.#sqlite = config.sqlite;
    this.#prepare = config.prepare;
    this.#mutex = mutex;
    this.#lockWaitMs = config.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.#busyTimeoutMs = Math.trunc(config.busyTimeoutMs ?? 10_000);
  }

  /** BEGIN IMMEDIATE, waiting for another connection's write lock without blocking the thread. */
  async begin(): Promise<void> {
    await this.#whenLockFree(this.#prepare('begin immediate'), NO_PARAMETERS);
  }

  // No closure is made per statement: this runs for every query of the server (tsx names each closure it makes).
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiledQuery.sql);
    // A write outside a transaction (INSERT … RETURNING included) waits for the lock; reads and writes inside a
    // transaction (which took the lock at BEGIN) run at once.
    if (statement.readonly || this.#sqlite.inTransaction)
      return Promise.resolve(runStatement<R>(statement, compiledQuery.parameters));
    return this.#whenLockFree<R>(statement, compiledQuery.parameters);
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query))
      throw new Error('Sqlite driver only supports streaming of select queries');
    for (const row of this.#prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }

  /**
   * Runs `statement` (which needs the write lock) without SQLite's busy handler; while another connection holds
   * the lock, gives the connection to the others, pauses (2 ms doubling to 50 ms) and tries again, up to
   * lockWaitMs. Nothing was written by an attempt that failed busy, so trying again is safe.
   */
  async #whenLockFree<R>(
    statement: SqliteDatabase.Statement,
    parameters: readonly unknown[],
  ): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.#lockWaitMs;
    for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
      // pragma(), not a prepared statement: SQLite applies busy_timeout when the PRAGMA is compiled.
      this.#sqlite.pragma('busy_timeout = 0');
      try {
        return runStatement<R>(statement, parameters);
      } catch (error) {
        if (!isSqliteBusy(error)) throw error;
        if (Date.now() >= deadline)
          throw new AppError('unavailable', msg('db.busy', { seconds: Math.round(this.#lockWaitMs / 1000) }));
      } finally {
        this.#sqlite.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
      }
      this.#mutex.unlock();
      try {
        await new Promise((resolve) => setTimeout(resolve, pause));
      } finally {
        await this.#mutex.lock();
      }
    }
  }
}

const NO_PARAMETERS: readonly unknown[] = [];

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** One statement run as Kysely's SQLite driver runs it: the rows of a reader, else the changes and the new rowid. */
function runStatement<R>(
  statement: SqliteDatabase.Statement,
  parameters: readonly unknown[],
): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}
