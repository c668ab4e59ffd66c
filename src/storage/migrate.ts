import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/001-foundation.ts';

// Listed in code (not read from a folder) so they work the same under tsx, bundles and tests.
const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': foundation,
};

const provider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

export interface MigrateResult {
  applied: string[];
}

/** Brings the schema up to date; safe to run on every start and from several processes at once. */
export async function migrateToLatest(db: Db): Promise<MigrateResult> {
  const migrator = new Migrator({ db: db.kysely, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`);
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}
