import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/001-foundation.ts';
import * as auth from './migrations/002-auth.ts';
import * as plan from './migrations/003-plan.ts';
import * as importJobs from './migrations/004-import.ts';
import * as practice from './migrations/005-practice.ts';
import * as accountsList from './migrations/006-accounts-list.ts';
import * as savedViews from './migrations/006-saved-views.ts';
import * as skillDescription from './migrations/006-skill-description.ts';
import * as userLanguage from './migrations/006-user-language.ts';
import * as planIndexes from './migrations/007-plan-indexes.ts';

// Listed in code (not read from a folder) so they work the same under tsx, bundles and tests.
const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-auth': auth,
  '003-plan': plan,
  '004-import': importJobs,
  '005-practice': practice,
  '006-accounts-list': accountsList,
  '006-saved-views': savedViews,
  '006-skill-description': skillDescription,
  '006-user-language': userLanguage,
  '007-plan-indexes': planIndexes,
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
  // On PostgreSQL, name the schema: unqualified, Kysely's "does the migration table exist" check looks at every
  // schema, so a kysely_migration_lock in another schema (another app, a parallel test run) stops it creating
  // ours and the migration fails with 'relation "kysely_migration_lock" does not exist'.
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider,
    // Migrations are independent tables/indexes; a database that got a later one first still takes the earlier.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
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

/** Names of the migrations this code knows that the database has not run (empty: the schema is current). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  // Kysely's own table; read directly (cheap enough for a readiness probe every few seconds).
  const done = await sql<{ name: string }>`select name from kysely_migration`.execute(db.kysely);
  const applied = new Set(done.rows.map((row) => row.name));
  return Object.keys(MIGRATIONS).filter((name) => !applied.has(name));
}
