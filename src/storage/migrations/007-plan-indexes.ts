import type { Kysely } from 'kysely';

// Saving plans writes hundreds of thousands of planned touches, and every index on planned_touches is updated for
// each one (docs/performance.md, "Plan"). planned_touches_rep_due_idx (rep_id, status, due_on) is a prefix of
// planned_touches_rep_status_due_channel_idx (rep_id, status, due_on, channel) from 003-plan: every query that
// ranged over the former (agenda, calendar, goals, dashboard, people overview, hand-over, re-planning) ranges over
// the latter the same way (checked with EXPLAIN QUERY PLAN on SQLite and EXPLAIN on PostgreSQL), so the shorter
// one only cost writes. A user's deletion (rep_id … on delete set null) finds their touches through it too.
//
// Re-planning after each logged touch reads the latest plan covering a rep (planHorizonEnd): without an index
// that read every plan ever committed and sorted them, 400 more rows with each all-reps commit.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('planned_touches_rep_due_idx').ifExists().execute();
  await db.schema
    .createIndex('plans_rep_created_idx')
    .on('plans')
    .columns(['rep_id', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('plans_rep_created_idx').ifExists().execute();
  await db.schema
    .createIndex('planned_touches_rep_due_idx')
    .on('planned_touches')
    .columns(['rep_id', 'status', 'due_on'])
    .execute();
}
