import type { Kysely } from 'kysely';

// A skill a manager adds (issue 5) carries a description: what the rep should be able to do, in the words of
// whoever wrote it (one text, any language). Skills made from objections keep the empty default.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('skills')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('skills').dropColumn('description').execute();
}
