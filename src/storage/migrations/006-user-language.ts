import type { Kysely } from 'kysely';

// The web app keeps each user's language on the server (issue 7): `users.locale` holds it, and
// `locale_chosen_at` says when the user (or an admin) chose it. Until then the browser's own language is used,
// so nobody is switched to the default zh-CN they never picked; once chosen, every sign-in opens in it.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale_chosen_at', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locale_chosen_at').execute();
}
