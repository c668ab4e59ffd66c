import type { Kysely } from 'kysely';

// A rep can work under another country's public holidays than the workspace's (a Hong Kong rep in a Shanghai
// workspace): `users.holiday_country` holds one of the schedules settings accept (src/schemas/plan.ts
// HOLIDAY_COUNTRIES); null, the default, follows the workspace's.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('holiday_country', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('holiday_country').execute();
}
