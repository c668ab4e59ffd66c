import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { getCurrentMarket, saveMarket } from '../../src/services/market.ts';
import { commitPlan, commitPlansForAllReps } from '../../src/services/plan.ts';
import { rebuildingTouchIndexesIsCheaper } from '../../src/storage/repositories/plan.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// Friday 2026-11-27, 10:00 in Shanghai.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const FROM = '2026-11-30';

for (const dialect of DIALECTS) {
  describe(`commitPlansForAllReps on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let reps: string[];

    /** Open planned touches from FROM on of one rep's accounts, as comparable keys. */
    const openTouches = async (repId: string) =>
      (
        await tdb.db.kysely
          .selectFrom('planned_touches')
          .select(['account_id', 'rep_id', 'channel', 'due_on'])
          .where('status', '=', 'planned')
          .where('due_on', '>=', FROM)
          .where('account_id', 'in', (eb) =>
            eb.selectFrom('accounts').select('id').where('owner_id', '=', repId),
          )
          .execute()
      )
        .map((t) => `${t.account_id} ${t.rep_id} ${t.channel} ${t.due_on}`)
        .sort();
    const countOpen = async () =>
      Number(
        (
          await tdb.db.kysely
            .selectFrom('planned_touches')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'planned')
            .executeTakeFirstOrThrow()
        ).n,
      );

    /** planned_touches' secondary indexes as stored (SQLite: sqlite_master; PostgreSQL: pg_indexes). */
    const touchIndexes = async () => {
      const { sqlite } = tdb.db;
      if (sqlite)
        return sqlite
          .prepare(
            "select name, sql from sqlite_master where type = 'index' and tbl_name = 'planned_touches' order by rowid",
          )
          .all();
      return (
        await sql<{ name: string; sql: string }>`
          select indexname as name, indexdef as sql from pg_indexes
          where tablename = 'planned_touches' and schemaname = current_schema() order by indexname`.execute(
          tdb.db.kysely,
        )
      ).rows;
    };

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, { userId: null, role: 'system' }, () => NOW);
      await loadDemoWorkspace(ctx);
      if (!(await getCurrentMarket(ctx))) await saveMarket(ctx, { criteria: { minEmployees: 50 } });
      const rows = await tdb.db.kysely
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'rep')
        .where('disabled_at', 'is', null)
        .orderBy('id')
        .execute();
      reps = rows.map((r) => r.id);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('saves for every active rep what commitPlan would save rep by rep, with a plan record each', async () => {
      expect(reps.length).toBeGreaterThan(1);
      // The demo workspace has committed plans already: each rep's open touches from FROM are replaced.
      const before = new Map<string, number>();
      for (const repId of reps) before.set(repId, (await openTouches(repId)).length);
      expect([...before.values()].some((n) => n > 0)).toBe(true);
      const indexes = await touchIndexes();
      expect(indexes.length).toBeGreaterThanOrEqual(4);
      const rows = Number(
        (
          await tdb.db.kysely
            .selectFrom('planned_touches')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const summaries = await commitPlansForAllReps(ctx, { from: FROM, acceptOverload: true });
      expect(summaries.map((s) => s.repId)).toEqual(reps);
      // Replacing every rep's plan is most of the table: on SQLite its indexes were dropped and built again in the
      // save (so this test compares that path with commitPlan's below), and they are exactly as they were.
      const removed = [...before.values()].reduce((n, k) => n + k, 0);
      const added = summaries.reduce((n, s) => n + s.touches, 0);
      expect(rebuildingTouchIndexesIsCheaper(rows, removed, added)).toBe(true);
      expect(await touchIndexes()).toEqual(indexes);
      if (tdb.db.sqlite) {
        expect(tdb.db.sqlite.prepare('pragma integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      }
      const together = new Map<string, string[]>();
      for (const s of summaries) {
        expect(s.planId).not.toBeNull();
        const stored = await tdb.db.kysely
          .selectFrom('planned_touches')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('plan_id', '=', s.planId)
          .executeTakeFirstOrThrow();
        expect(Number(stored.n)).toBe(s.touches);
        const plan = await tdb.db.kysely
          .selectFrom('plans')
          .selectAll()
          .where('id', '=', s.planId as string)
          .executeTakeFirstOrThrow();
        expect(plan).toMatchObject({
          rep_id: s.repId,
          starts_on: FROM,
          months: 12,
          accepted_overload: s.fits ? 0 : 1,
        });
        expect(JSON.parse(plan.summary)).toMatchObject({
          touches: s.touches,
          unplaced: s.unplaced,
          accounts: s.accounts,
          removed: before.get(s.repId),
        });
        together.set(s.repId, await openTouches(s.repId));
      }
      expect(summaries.reduce((n, s) => n + s.touches, 0)).toBeGreaterThan(0);
      const audits = await tdb.db.kysely
        .selectFrom('audit_log')
        .select('entity_id')
        .where('entity', '=', 'plan')
        .where(
          'entity_id',
          'in',
          summaries.map((s) => s.planId as string),
        )
        .execute();
      expect(audits).toHaveLength(reps.length);

      // Committing rep by rep replaces each plan with the very same touches.
      for (const repId of reps) {
        const single = await commitPlan(ctx, { repId, from: FROM, acceptOverload: true });
        const summary = summaries.find((s) => s.repId === repId);
        expect(single.touches).toBe(summary?.touches);
        expect(single.fits).toBe(summary?.fits);
        expect(await openTouches(repId)).toEqual(together.get(repId));
      }
    });

    it('saves nothing when a rep does not fit and the overload is not accepted', async () => {
      const before = await countOpen();
      const plans = await tdb.db.kysely.selectFrom('plans').select('id').execute();
      await expect(commitPlansForAllReps(ctx, { from: FROM, visitsPerDay: 0 })).rejects.toMatchObject({
        code: 'conflict',
        details: { reps: expect.arrayContaining([expect.objectContaining({ repId: reps[0] })]) },
      });
      expect(await countOpen()).toBe(before);
      expect(await tdb.db.kysely.selectFrom('plans').select('id').execute()).toHaveLength(plans.length);
    });

    it('is for admins and managers (their team: test/services/team-replan.test.ts): a rep plans their own', async () => {
      const user = await tdb.db.kysely
        .selectFrom('users')
        .select(['id', 'team_id'])
        .where('role', '=', 'rep')
        .executeTakeFirstOrThrow();
      const as = makeContext(tdb.db, { userId: user.id, role: 'rep', teamId: user.team_id }, () => NOW);
      await expect(commitPlansForAllReps(as, { from: FROM, acceptOverload: true })).rejects.toMatchObject({
        code: 'forbidden',
      });
    });

    it('leaves disabled reps and their touches alone', async () => {
      const [disabled] = reps;
      if (!disabled) throw new Error('no rep');
      const before = await openTouches(disabled);
      await tdb.db.kysely
        .updateTable('users')
        .set({ disabled_at: NOW.toISOString() })
        .where('id', '=', disabled)
        .execute();
      try {
        const summaries = await commitPlansForAllReps(ctx, { from: FROM, acceptOverload: true });
        expect(summaries.map((s) => s.repId)).toEqual(reps.filter((r) => r !== disabled));
        expect(await openTouches(disabled)).toEqual(before);
      } finally {
        await tdb.db.kysely
          .updateTable('users')
          .set({ disabled_at: null })
          .where('id', '=', disabled)
          .execute();
      }
    });
  });
}
