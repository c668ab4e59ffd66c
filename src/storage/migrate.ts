import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Dialect,
  Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  PostgresDialect,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';
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
import * as repHolidays from './migrations/008-rep-holidays.ts';
import * as importFileExpiry from './migrations/009-import-file-expiry.ts';
import * as recordVersions from './migrations/010-record-versions.ts';
import * as touchClientId from './migrations/010-touch-client-id.ts';
import * as sourceUnknownCosts from './migrations/011-source-unknown-costs.ts';
import * as lastTouchIndex from './migrations/012-last-touch-index.ts';
import * as bookedTouchIndex from './migrations/013-booked-touch-index.ts';

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
  '008-rep-holidays': repHolidays,
  '009-import-file-expiry': importFileExpiry,
  '010-record-versions': recordVersions,
  '010-touch-client-id': touchClientId,
  '011-source-unknown-costs': sourceUnknownCosts,
  '012-last-touch-index': lastTouchIndex,
  '013-booked-touch-index': bookedTouchIndex,
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
  let schema: string | undefined;
  if (db.dialect === 'postgres') {
    const [row] = (
      await sql<{
        schema: string | null;
        path: string;
      }>`select current_schema() as schema, current_setting('search_path') as path`.execute(db.kysely)
    ).rows;
    // No schema of the search_path exists (docs/deploy.md: "the schema must exist"): say so, rather than fail
    // later on a missing kysely_migration_lock.
    if (!row?.schema)
      throw new Error(
        `PostgreSQL: no schema of the search_path (${row?.path ?? '?'}) exists in this database: create it first (CREATE SCHEMA …) or correct the URL's search_path.`,
      );
    schema = row.schema;
  }
  const migrator = new Migrator({
    db: schema && db.pool ? migrationKysely(db.pool, schema) : db.kysely,
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

/**
 * Kysely's PostgreSQL introspector (which the Migrator uses to ask whether its own tables exist) reads every table
 * of every schema and calls pg_get_serial_sequence on each: when another process drops a schema at that moment (a
 * parallel test run, another app on the same database), it fails with 'relation "other_schema.t" does not exist'.
 * The Migrator only needs to know the schemas and the tables of ours, so it gets an introspector that looks only
 * there, over the same pool (never destroyed here: the pool belongs to the Db).
 */
function migrationKysely(pool: NonNullable<Db['pool']>, schema: string): Kysely<unknown> {
  const base = new PostgresDialect({ pool });
  const dialect: Dialect = {
    createAdapter: () => base.createAdapter(),
    createDriver: () => base.createDriver(),
    createQueryCompiler: () => base.createQueryCompiler(),
    createIntrospector: (kysely) => new OwnSchemaIntrospector(kysely, schema),
  };
  return new Kysely<unknown>({ dialect });
}

class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly kysely: Kysely<unknown>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const rows = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(
      this.kysely,
    );
    return rows.rows.map((row) => ({ name: row.name }));
  }

  async getTables(): Promise<TableMetadata[]> {
    const rows = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = ${this.schema} and c.relkind in ('r', 'v', 'p')`.execute(this.kysely);
    return rows.rows.map((row) => ({
      name: row.name,
      schema: this.schema,
      isView: row.kind === 'v',
      columns: [],
    }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** Names of the migrations this code knows that the database has not run (empty: the schema is current). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  // Kysely's own table; read directly (cheap enough for a readiness probe every few seconds).
  const done = await sql<{ name: string }>`select name from kysely_migration`.execute(db.kysely);
  const applied = new Set(done.rows.map((row) => row.name));
  return Object.keys(MIGRATIONS).filter((name) => !applied.has(name));
}
