import type { Command } from 'commander';
import { makeContext, type ServiceContext } from '../services/context.ts';
import { createDb, type Db } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { requireLocal } from './connection.ts';

/**
 * The global `--db` of the root command, else DATABASE_URL, else ./data/tierline.db. Commands that open the
 * database themselves work only locally: with `--server` (or TIERLINE_SERVER) this fails with exit code 2.
 */
export function databaseUrlOf(command: Command): string {
  return requireLocal(command);
}

/**
 * Opens and migrates the database, runs `work`, and always closes it. For local-only commands; commands that
 * also work against a server use `withBackend` (backend.ts).
 */
export async function withDb<T>(
  command: Command,
  work: (ctx: ServiceContext, db: Db) => Promise<T>,
): Promise<T> {
  const db = await createDb(databaseUrlOf(command));
  try {
    await migrateToLatest(db);
    return await work(makeContext(db), db);
  } finally {
    await db.close();
  }
}
