import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBookedTouchesFrom, loadLastTouches } from '../../src/storage/repositories/plan.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// 013-booked-touch-index: the booked meetings a plan commit keeps (loadBookedTouchesFrom) are read from a partial
// index holding only open touches with a time, not by ranging over every open touch from the plan's first day.
for (const dialect of DIALECTS) {
  describe(`the booked touches' index on ${dialect.name}`, () => {
    let tdb: TestDatabase;

    beforeAll(async () => {
      tdb = await dialect.open();
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('is a partial index of touches with a booked time', async () => {
      const definition =
        dialect.name === 'sqlite'
          ? tdb.db.sqlite
              ?.prepare(
                `select sql from sqlite_master where type = 'index' and name = 'planned_touches_booked_idx'`,
              )
              .pluck()
              .get()
          : (
              await tdb.db.kysely
                .selectFrom('pg_indexes' as never)
                .select('indexdef' as never)
                .where('indexname' as never, '=', 'planned_touches_booked_idx' as never)
                .where('schemaname' as never, '=', (tdb.db.reopen?.schema ?? 'public') as never)
                .executeTakeFirst()
            )?.['indexdef' as never];
      expect(String(definition)).toMatch(/due_on.*account_id/);
      expect(String(definition)).toMatch(/where.*due_time.*is not null/i);
    });

    it.skipIf(dialect.name !== 'sqlite')('answers the booked read of a whole workspace from it', () => {
      const sqlite = tdb.db.sqlite;
      if (!sqlite) throw new Error('expected SQLite');
      const detail = (
        sqlite
          .prepare(
            `explain query plan select account_id, channel, due_on from planned_touches
             where status = 'planned' and due_time is not null and due_on >= ? order by due_on`,
          )
          .all('2026-01-01') as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('\n');
      expect(detail).toContain('planned_touches_booked_idx');
    });

    it.skipIf(dialect.name !== 'sqlite')(
      'reads the calls a visit stood in for from their partial index, not a probe per in-market account',
      async () => {
        const sqlite = tdb.db.sqlite;
        if (!sqlite) throw new Error('expected SQLite');
        const statements: string[] = [];
        const prepare = sqlite.prepare.bind(sqlite);
        sqlite.prepare = ((source: string) => {
          statements.push(source);
          return prepare(source);
        }) as typeof sqlite.prepare;
        try {
          await loadLastTouches(tdb.db.kysely, null, tdb.db);
        } finally {
          sqlite.prepare = prepare;
        }
        const covered = statements.find((s) => s.includes("t.status = 'skipped'"));
        expect(covered).toBeDefined();
        const detail = (prepare(`explain query plan ${covered}`).all() as { detail: string }[])
          .map((r) => r.detail)
          .join('\n');
        expect(detail).toMatch(/^SCAN t USING COVERING INDEX planned_touches_covered_idx/);
        expect(detail).not.toContain('accounts_market_tier_idx');
      },
    );

    it('reads nothing on a workspace without booked meetings', async () => {
      expect((await loadBookedTouchesFrom(tdb.db.kysely, null, '2026-01-01')).size).toBe(0);
    });
  });
}
