import type { Kysely } from 'kysely';

// The last logged touch per account and channel (loadLastTouches in repositories/plan.ts: a GROUP BY account and
// channel of max(occurred_at), read for every plan preview and commit, and plan health; logTouch's "latest log on
// this channel" read) came from activities_account_idx (account_id, occurred_at) and a table row per log for its
// channel. With (account_id, channel, occurred_at) every one of those reads is answered from the index alone
// (SQLite: a covering index; PostgreSQL: an index-only scan instead of a scan of the whole table per rep).
// Measured on the bench's 100k workspace with 30,027 logs (docs/performance.md, "Last touches: an index"):
// loadLastTouches' CPU −16 to −22% on SQLite, the PostgreSQL server's CPU for one rep's read −63%; a log's insert
// +3 µs of ~95 µs on SQLite, logTouch unchanged within noise. activities_account_idx stays: the account's
// timeline and the agenda's last logs read both channels in time order from it.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('activities_account_channel_idx')
    .on('activities')
    .columns(['account_id', 'channel', 'occurred_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against any schema version
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activities_account_channel_idx').ifExists().execute();
}
