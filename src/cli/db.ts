import type { Command } from 'commander';
import { makeContext, type ServiceContext } from '../services/context.ts';
import { createDb, type Db, resolveDatabaseUrl } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';

/** The global `--db` of the root command, else DATABASE_URL, else ./data/tierline.db. */
export function databaseUrlOf(command: Command): string {
  const root = command.optsWithGlobals<{ db?: string }>();
  return resolveDatabaseUrl(root.db);
}

/** Opens and migrates the database, runs `work`, and always closes it. */
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
