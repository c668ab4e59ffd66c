import type { Kysely } from 'kysely';

// Calendar feeds: a per-user secret URL (/cal/<token>.ics) that calendar apps subscribe to. Only a hash of
// the token is stored; revoking sets revoked_at.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('calendar_feeds_user_idx').on('calendar_feeds').column('user_id').execute();
  // The agenda of one day across reps, and calendar exports by date range.
  await db.schema
    .createIndex('planned_touches_due_idx')
    .on('planned_touches')
    .columns(['due_on', 'status'])
    .execute();
  // Re-planning an account after a logged touch reads the rep's other planned touches on that channel, day by
  // day, in a window of up to 1.25 intervals; with the channel in the index that filter needs no table row
  // (calls are counted from the index alone). Without it every planned call and visit of the rep in the window
  // is read from the table: ~10 ms a log with 1M accounts over 400 reps. Its leading columns are those of
  // planned_touches_rep_due_idx, so the queries that use that index can use this one the same way.
  await db.schema
    .createIndex('planned_touches_rep_status_due_channel_idx')
    .on('planned_touches')
    .columns(['rep_id', 'status', 'due_on', 'channel'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('planned_touches_rep_status_due_channel_idx').ifExists().execute();
  await db.schema.dropIndex('planned_touches_due_idx').ifExists().execute();
  await db.schema.dropTable('calendar_feeds').ifExists().execute();
}
