import { type Kysely, sql } from 'kysely';

// Booked meetings (open planned touches with a time, services/touches.ts bookMeeting) are fixed: a plan commit keeps
// them and the planner continues from them (loadBookedTouchesFrom in repositories/plan.ts, read for every plan
// preview and commit). Without an index the read for a whole workspace or team ranged over every open touch from
// the plan's first day on (millions at the bench's 1M accounts) to find the few with a time; this partial index
// holds only those few rows, so the read and the index's upkeep cost next to nothing. SQLite and PostgreSQL both
// take a partial index.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('planned_touches_booked_idx')
    .on('planned_touches')
    .columns(['due_on', 'account_id'])
    .where(sql.ref('due_time'), 'is not', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('planned_touches_booked_idx').ifExists().execute();
}
