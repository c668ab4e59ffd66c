import { existsSync, mkdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { isPostgresUrl } from '../storage/database.ts';
import {
  copySqliteOnline,
  inspectSqliteFile,
  NotSqliteError,
  openSqliteReadOnly,
  placeFile,
  releaseSqliteFile,
  removeDatabaseFiles,
  tempPathBeside,
} from '../storage/sqlite-backup.ts';
import { sqliteHasRows, tablesWithData } from '../storage/table-io.ts';
import { workspaceSchema } from '../storage/workspace-schema.ts';

/*
 * `tierline backup` and `tierline restore`: a consistent copy of the SQLite database while the server keeps
 * serving, and putting such a copy back. Both write a temp file beside the destination, check it, and rename it
 * into place, so the destination is either the old file or the complete new one. PostgreSQL has its own tools
 * (pg_dump / pg_restore); `tierline export-all` works on both (services/workspace-transfer.ts).
 */

export interface BackupResult {
  source: string;
  file: string;
  bytes: number;
  pages: number;
  integrity: 'ok';
  migrations: string[];
}

export interface RestoreResult {
  file: string;
  from: string;
  bytes: number;
  migrations: string[];
  /** Migrations of this version the backup predates; applied on the next start or `tierline migrate`. */
  pending: string[];
  /** True when an existing database was replaced (only with force). */
  replaced: boolean;
}

const PG_BACKUP_HINT =
  'tierline backup copies an SQLite database file. For PostgreSQL use its own tools, e.g. ' +
  '`pg_dump --format=custom --file tierline.dump "$DATABASE_URL"` (restore with pg_restore), or ' +
  '`tierline export-all <dir>` for a copy that either database can load with `tierline import-all`.';

const PG_RESTORE_HINT =
  'tierline restore writes an SQLite database file. For PostgreSQL restore a pg_dump with pg_restore, or load ' +
  'an export-all directory into an empty database with `tierline --db postgres://… import-all <dir>`.';

function sqlitePathOf(url: string, hint: string): string {
  if (isPostgresUrl(url)) throw new AppError('bad_request', hint);
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (file === ':memory:')
    throw new AppError('bad_request', 'An in-memory database has nothing to back up or restore.');
  return resolve(file);
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function integrityProblem(findings: string[]): string | null {
  return findings.length === 1 && findings[0] === 'ok' ? null : findings.slice(0, 5).join('; ');
}

/** Copies the SQLite database at `databaseUrl` to `file` while it stays in use; refuses to overwrite unless `force`. */
export async function backupDatabase(
  databaseUrl: string,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  const source = sqlitePathOf(databaseUrl, PG_BACKUP_HINT);
  if (!existsSync(source))
    throw new AppError('not_found', `There is no SQLite database at ${source} to back up.`);
  const target = resolve(file);
  if (sameFile(source, target)) {
    throw new AppError('bad_request', `${file} is the database itself: choose another file for the backup.`);
  }
  if (existsSync(target) && !options.force) {
    throw new AppError('conflict', `${file} already exists: pass --force to replace it.`);
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new AppError('bad_request', `${file} is a directory: give the backup a file name.`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathBeside(target);
  try {
    const { pages } = await copySqliteOnline(source, temp);
    const facts = inspectSqliteFile(temp);
    const problem = integrityProblem(facts.integrity);
    if (problem)
      throw new AppError('internal', `The copy of ${source} failed its integrity check: ${problem}.`);
    if (!placeFile(temp, target, options.force === true)) {
      throw new AppError(
        'conflict',
        `${file} appeared while the backup was written: pass --force to replace it.`,
      );
    }
    return {
      source,
      file: target,
      bytes: statSync(target).size,
      pages,
      integrity: 'ok',
      migrations: facts.migrations ?? [],
    };
  } finally {
    removeDatabaseFiles(temp);
  }
}

/** Names the tables of an existing database that hold a used workspace (empty list when nothing is used). */
async function usedTables(path: string): Promise<string[]> {
  const schema = await workspaceSchema();
  const conn = openSqliteReadOnly(path);
  try {
    return await tablesWithData(schema, sqliteHasRows(conn));
  } finally {
    conn.close();
  }
}

/**
 * Puts the backup `file` in place as the SQLite database at `databaseUrl`: the backup must pass its integrity
 * check and carry only migrations this version knows; a target holding data is replaced only with `force`.
 * Stop the server first: a database another process has open is refused.
 */
export async function restoreDatabase(
  databaseUrl: string,
  file: string,
  options: { force?: boolean } = {},
): Promise<RestoreResult> {
  const target = sqlitePathOf(databaseUrl, PG_RESTORE_HINT);
  const backup = resolve(file);
  if (!existsSync(backup)) throw new AppError('not_found', `${file}: no such backup file.`);
  if (sameFile(backup, target)) {
    throw new AppError('bad_request', `${file} is the database itself: nothing to restore.`);
  }
  const schema = await workspaceSchema();
  let facts: ReturnType<typeof inspectSqliteFile>;
  try {
    facts = inspectSqliteFile(backup);
  } catch (error) {
    if (error instanceof NotSqliteError) {
      throw new AppError('unprocessable', `${file} is not a readable SQLite database (${error.message}).`);
    }
    throw error;
  }
  const problem = integrityProblem(facts.integrity);
  if (problem) throw new AppError('unprocessable', `${file} is damaged: integrity_check reports ${problem}.`);
  if (!facts.migrations) {
    throw new AppError('unprocessable', `${file} is not a Tierline database (it has no migration record).`);
  }
  const unknown = facts.migrations.filter((m) => !schema.migrations.includes(m));
  if (unknown.length > 0) {
    throw new AppError(
      'unprocessable',
      `${file} was written by a newer Tierline (migrations ${unknown.join(', ')} are unknown to this version): upgrade Tierline first.`,
    );
  }

  const exists = existsSync(target) && statSync(target).size > 0;
  if (exists && !options.force) {
    let used: string[];
    try {
      used = await usedTables(target);
    } catch (error) {
      if (error instanceof NotSqliteError) {
        throw new AppError(
          'conflict',
          `${target} exists and is not an SQLite database: pass --force to replace it with the backup.`,
        );
      }
      throw error;
    }
    if (used.length > 0) {
      throw new AppError(
        'conflict',
        `${target} already holds a workspace (rows in ${used.slice(0, 6).join(', ')}${used.length > 6 ? ', …' : ''}): ` +
          'pass --force to replace it (take a `tierline backup` of it first if you may need it).',
      );
    }
  }

  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathBeside(target);
  try {
    await copySqliteOnline(backup, temp);
    const copied = integrityProblem(inspectSqliteFile(temp).integrity);
    if (copied) throw new AppError('internal', `The copy of ${file} failed its integrity check: ${copied}.`);
    if (existsSync(target)) {
      try {
        releaseSqliteFile(target);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/locked|busy/i.test(message)) {
          throw new AppError(
            'conflict',
            `${target} is open in another process (a running server?): stop it, then restore again.`,
          );
        }
        if (!options.force) throw error;
        // --force over a file that is no database: just replace it, with any stale journal files beside it.
      }
      // Nothing has the old file open now: its journal files must not be replayed into the new one.
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
    }
    placeFile(temp, target, true);
    return {
      file: target,
      from: backup,
      bytes: statSync(target).size,
      migrations: facts.migrations,
      pending: schema.migrations.filter((m) => !facts.migrations?.includes(m)),
      replaced: exists,
    };
  } finally {
    removeDatabaseFiles(temp);
  }
}
