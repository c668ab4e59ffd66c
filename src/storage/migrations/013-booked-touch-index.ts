import { type Kysely, sql } from 'kysely';

// Booked meetings (open planned touches with a time, services/touches.ts bookMeeting) are fixed: a plan commit keeps
// them and the planner continues from them (loadBookedTouchesFrom in repositories/plan.ts, read for every plan
// preview and commit). Without an index the read for a whole workspace or team ranged over every open touch from
// the plan's first day on (millions at the bench's 1M accounts) to find the few with a time; this partial index
// holds only those few rows, so the read and the index's upkeep cost next to nothing. SQLite and PostgreSQL both
// take a partial index. Likewise the calls a visit stood in for (status `skipped` on the call channel, read with
// the last touches of every in-market account by planAllReps: COVERED_CALLS_IN_MARKET), which SQLite would otherwise
// look for with one probe per in-market account.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('planned_touches_booked_idx')
    .on('planned_touches')
    .columns(['due_on', 'account_id'])
    .where(sql.ref('due_time'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('planned_touches_covered_idx')
    .on('planned_touches')
    .columns(['account_id', 'activity_id'])
    .where(sql<boolean>`status = 'skipped' and channel = 'call'`)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('planned_touches_covered_idx').ifExists().execute();
  await db.schema.dropIndex('planned_touches_booked_idx').ifExists().execute();
}
