import type { Kysely } from 'kysely';

// A log sent again after its answer was lost (a phone between cells, the web app's outbox sending what it kept
// offline) carries the id its client made for it the first time: `activities.client_id`, unique, so the second
// request answers the first one's log instead of logging the touch twice (services/touches.ts, logTouch).
// Null: the client sent none (older clients, imports, the demo); NULLs never collide.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activities').addColumn('client_id', 'text').execute();
  await db.schema
    .createIndex('activities_client_id_idx')
    .on('activities')
    .column('client_id')
    .unique()
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activities_client_id_idx').ifExists().execute();
  await db.schema.alterTable('activities').dropColumn('client_id').execute();
}
