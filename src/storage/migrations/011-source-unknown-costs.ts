import { type Kysely, PostgresAdapter, sql } from 'kysely';

// An import source's cost (yuan) and cleaning time (hours) are what the importer entered, null when nothing was:
// until now both were NOT NULL DEFAULT 0, so a purchased list without its price read as bought for 0 yuan and
// every list as cleaned in 0 hours (the Import page's Sources table said "0元", "0 小时"). A free list's cost is 0
// on purpose (services/import-pipeline.ts stores 0 for a free list without a cost, null for a purchased one).
// Rows stored before: a purchased list at 0 yuan and a list at 0 hours were not entered (the old default), so
// they become null; a free list keeps its 0 yuan.
//
// PostgreSQL drops the columns' NOT NULL and default; SQLite cannot, so the table is rebuilt with the same columns
// (SQLite's documented procedure: foreign keys off, new table, copy, drop, rename, check, foreign keys on; outside
// a transaction, which Kysely's migrator does not open on SQLite, since the pragma is ignored inside one).
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table sources
      alter column cost drop not null, alter column cost drop default,
      alter column cleaning_hours drop not null, alter column cleaning_hours drop default`.execute(db);
  } else {
    await rebuildSqliteSources(db, 'double precision');
  }
  await db
    .updateTable('sources')
    .set({ cost: null })
    .where('kind', '=', 'purchased')
    .where('cost', '=', 0)
    .execute();
  await db.updateTable('sources').set({ cleaning_hours: null }).where('cleaning_hours', '=', 0).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable('sources').set({ cost: 0 }).where('cost', 'is', null).execute();
  await db.updateTable('sources').set({ cleaning_hours: 0 }).where('cleaning_hours', 'is', null).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table sources
      alter column cost set default 0, alter column cost set not null,
      alter column cleaning_hours set default 0, alter column cleaning_hours set not null`.execute(db);
  } else {
    await rebuildSqliteSources(db, 'double precision default 0 not null');
  }
}

/** `sources` as 001-foundation made it, with `cost` and `cleaning_hours` declared as `amount`. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
async function rebuildSqliteSources(db: Kysely<any>, amount: string): Promise<void> {
  const columns = 'id, name, kind, cost, acquired_on, cleaning_hours, mapping, created_at, updated_at';
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql
        .raw(
          `create table sources_rebuilt (id text primary key, name text not null unique,
            kind text not null check (kind in ('purchased', 'free')), cost ${amount}, acquired_on text,
            cleaning_hours ${amount}, mapping text, created_at text not null, updated_at text not null)`,
        )
        .execute(trx);
      await sql.raw(`insert into sources_rebuilt (${columns}) select ${columns} from sources`).execute(trx);
      await sql`drop table sources`.execute(trx);
      await sql`alter table sources_rebuilt rename to sources`.execute(trx);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error('sources: foreign keys broken by the rebuild');
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
