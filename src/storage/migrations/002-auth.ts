import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Sign-in state lives in the database, never in process memory, so several server processes can share one
// PostgreSQL. Secrets are stored only as SHA-256 hashes: a copy of the database does not sign anyone in.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('idle_expires_at', 'text', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_idle_idx').on('sessions').column('idle_expires_at').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull().check(sql`${sql.ref('access')} in ('read', 'write')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  // One row per throttled key ("email:…" or "ip:…"): attempts not yet forgiven and the time before which the
  // next attempt is refused. Changed only by single atomic upserts, so concurrent servers agree.
  await db.schema
    .createTable('sign_in_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('first_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
  await db.schema
    .createIndex('sign_in_throttles_last_idx')
    .on('sign_in_throttles')
    .column('last_attempt_at')
    .execute();

  await db.schema.createIndex('users_team_idx').on('users').column('team_id').execute();
  await db.schema.createIndex('teams_manager_idx').on('teams').column('manager_id').execute();
  await db.schema
    .createIndex('territory_accounts_account_idx')
    .on('territory_accounts')
    .column('account_id')
    .execute();
  await db.schema.createIndex('audit_log_user_idx').on('audit_log').columns(['user_id', 'at']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'audit_log_user_idx',
    'territory_accounts_account_idx',
    'teams_manager_idx',
    'users_team_idx',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  for (const table of ['sign_in_throttles', 'api_tokens', 'sessions']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
