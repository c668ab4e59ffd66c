import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// 012-last-touch-index: the last logged touch per account and channel (loadLastTouches, plan health, logTouch's
// latest log on a channel) is read from activities (account_id, channel, occurred_at) alone, without a table row
// per log (docs/performance.md, "Last touches: an index").
for (const dialect of DIALECTS) {
  describe(`the last touches' index on ${dialect.name}`, () => {
    let tdb: TestDatabase;

    beforeAll(async () => {
      tdb = await dialect.open();
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('indexes activities by account, channel and time', async () => {
      const columns =
        dialect.name === 'sqlite'
          ? (
              await sql<{
                name: string;
              }>`select name from pragma_index_info('activities_account_channel_idx')`.execute(tdb.db.kysely)
            ).rows.map((r) => r.name)
          : (
              await sql<{ column: string }>`
                select a.attname as column from pg_index i
                join pg_class c on c.oid = i.indexrelid and c.relname = 'activities_account_channel_idx'
                join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
                cross join lateral unnest(i.indkey) with ordinality as k(attnum, position)
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                order by k.position`.execute(tdb.db.kysely)
            ).rows.map((r) => r.column);
      expect(columns).toEqual(['account_id', 'channel', 'occurred_at']);
    });

    it.skipIf(dialect.name !== 'sqlite')('answers the reads of last touches from the index alone', () => {
      const sqlite = tdb.db.sqlite;
      if (!sqlite) throw new Error('expected SQLite');
      const plan = (query: string, ...params: unknown[]) =>
        (sqlite.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join('\n');
      // loadLastTouches for one owner (a plan, plan health).
      expect(
        plan(
          `select activities.account_id, activities.channel, max(activities.occurred_at) as last
           from activities inner join accounts on accounts.id = activities.account_id
           where accounts.owner_id = ? group by activities.account_id, activities.channel`,
          'rep',
        ),
      ).toContain('SEARCH activities USING COVERING INDEX activities_account_channel_idx (account_id=?)');
      // logTouch: the latest log on the channel.
      expect(
        plan('select max(occurred_at) from activities where account_id = ? and channel = ?', 'a', 'call'),
      ).toContain('USING COVERING INDEX activities_account_channel_idx (account_id=? AND channel=?)');
    });
  });
}
