import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/*
 * SQLite file mechanics for `tierline backup` and `tierline restore`: an online copy through SQLite's backup
 * API (better-sqlite3 `db.backup()`), integrity checks, and putting a finished copy in place atomically.
 */

/** Every page in one backup step: one read transaction, so a copy taken while a server writes is one snapshot
 * (in WAL mode that reader does not block the writers), and no write can make the backup start over. */
const ALL_PAGES = 0x7fffffff;

export interface SqliteFileFacts {
  /** `pragma integrity_check`: ['ok'] when sound, else its findings. */
  integrity: string[];
  /** Names in kysely_migration, sorted; null when the file has no migration record (not a Tierline database). */
  migrations: string[] | null;
}

export class NotSqliteError extends Error {}

/** Opens a file read-only and reports its integrity and migrations; NotSqliteError when it is no database. */
export function inspectSqliteFile(path: string): SqliteFileFacts {
  let conn: SqliteDatabase.Database;
  try {
    conn = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new NotSqliteError(error instanceof Error ? error.message : String(error));
  }
  try {
    let integrity: string[];
    try {
      integrity = (conn.pragma('integrity_check') as { integrity_check: string }[]).map(
        (r) => r.integrity_check,
      );
    } catch (error) {
      // "file is not a database", "database disk image is malformed"
      throw new NotSqliteError(error instanceof Error ? error.message : String(error));
    }
    const hasMigrations = conn
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'")
      .get();
    const migrations = hasMigrations
      ? (conn.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
          (r) => r.name,
        )
      : null;
    return { integrity, migrations };
  } finally {
    conn.close();
  }
}

/** A temp path beside `target` (same directory, so the final rename is atomic). */
export function tempPathBeside(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** Removes a temp database and its journal files. */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Copies a live SQLite database to `dest` (a new file) with the online backup API while other connections keep
 * reading and writing, then makes the copy a self-contained file (rollback journal, no -wal beside it).
 */
export async function copySqliteOnline(source: string, dest: string): Promise<{ pages: number }> {
  const conn = new SqliteDatabase(source, { fileMustExist: true });
  let pages = 0;
  try {
    conn.pragma('busy_timeout = 10000');
    const result = await conn.backup(dest, { progress: () => ALL_PAGES });
    pages = result.totalPages;
  } finally {
    conn.close();
  }
  const copy = new SqliteDatabase(dest, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return { pages };
}

/**
 * Moves a finished temp file to `target`: with `overwrite`, an atomic rename over whatever is there; without, a
 * hard link that fails if `target` appeared meanwhile (so nothing is ever overwritten by accident).
 * Returns false when `target` exists and overwrite is off.
 */
export function placeFile(temp: string, target: string, overwrite: boolean): boolean {
  if (overwrite) {
    renameSync(temp, target);
    return true;
  }
  try {
    linkSync(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    if (
      (error as NodeJS.ErrnoException).code === 'EPERM' ||
      (error as NodeJS.ErrnoException).code === 'ENOTSUP'
    ) {
      // File systems without hard links: check, then rename (a narrow race instead of none).
      if (existsSync(target)) return false;
      renameSync(temp, target);
      return true;
    }
    throw error;
  }
  unlinkSync(temp);
  return true;
}

/**
 * Makes sure no other process has the SQLite database at `path` open, then folds its WAL into the file and
 * closes it, so no -wal/-shm is left to be replayed into a file put in its place. Throws when it is in use.
 */
export function releaseSqliteFile(path: string): void {
  const conn = new SqliteDatabase(path, { fileMustExist: true });
  try {
    conn.pragma('busy_timeout = 2000');
    // Leaving WAL mode needs the only connection: it fails with "database is locked" while a server has it open.
    conn.pragma('journal_mode = DELETE');
  } finally {
    conn.close();
  }
}

/** Opens `path` read-only for a look at its contents (the caller closes it). NotSqliteError when it is no database. */
export function openSqliteReadOnly(path: string): SqliteDatabase.Database {
  try {
    const conn = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    try {
      conn.prepare('select count(*) from sqlite_master').get();
    } catch (error) {
      conn.close();
      throw error;
    }
    return conn;
  } catch (error) {
    throw new NotSqliteError(error instanceof Error ? error.message : String(error));
  }
}
