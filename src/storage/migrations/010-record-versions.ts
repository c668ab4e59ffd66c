import type { Kysely } from 'kysely';

// Optimistic concurrency for the records several managers edit, as accounts, objections and saved views have it:
// an edit names the version it read and a stale one is refused with 409 version_conflict (see the services).
// - territories, teams: one version per row.
// - users: one version per person, for their details (name, role, team, capacity…) and their working calendar
//   (days off, public-holiday schedule), which are columns of the same row.
// - settings: one version per key (the workspace settings are the key `workspace`; a key never stored is
//   version 0 to its readers).
// - cadence_rules: one version per tier and channel (a rule never stored, the method's default, is version 0).
// Existing rows start at 1. The market definition needs no column: every save is a new row with its version.
const TABLES = ['territories', 'teams', 'users', 'settings', 'cadence_rules'] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema
      .alterTable(table)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await db.schema.alterTable(table).dropColumn('version').execute();
}
