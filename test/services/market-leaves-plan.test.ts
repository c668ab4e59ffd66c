import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/services/context.ts';
import { makeContext } from '../../src/services/context.ts';
import { getGoals } from '../../src/services/goals.ts';
import { previewMarket, retier, saveMarket } from '../../src/services/market.ts';
import { getAgenda } from '../../src/services/touches.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's plans run from 2026-10-30, its market is "at least 50 employees".
const NOW = new Date('2026-11-27T02:00:00.000Z');

/*
 * Method §2: an account outside the target market has no tier and no plan. Narrowing the market takes the accounts
 * that leave it off the plan in the same save (their open calls and visits are cancelled; what was done stays), so
 * no rep is sent to an account the market no longer holds; the save says how many, and how many came in unplanned.
 */
for (const dialect of DIALECTS) {
  describe(`accounts leaving the market leave the plan on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;
    const db = () => tdb.db.kysely;

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      repId = await demoUserId(tdb);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** Touches by status of the accounts in or out of the market. */
    async function touchesBy(inMarket: 0 | 1) {
      const rows = await db()
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select(['t.status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('a.in_market', '=', inMarket)
        .groupBy('t.status')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    }

    it('cancels the open touches of the accounts a narrower market leaves out, and keeps what was done', async () => {
      expect((await touchesBy(0)).planned ?? 0).toBe(0);
      const inShanghai = await db()
        .selectFrom('accounts')
        .select('id')
        .where('in_market', '=', 1)
        .where('province', '=', '上海市')
        .execute();
      expect(inShanghai.length).toBeGreaterThan(0);
      const ids = inShanghai.map((a) => a.id);
      const before = await db()
        .selectFrom('planned_touches')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', 'in', ids)
        .groupBy('status')
        .execute();
      const open = Number(before.find((r) => r.status === 'planned')?.n ?? 0);
      const done = Number(before.find((r) => r.status === 'done')?.n ?? 0);
      // Calls a visit stood in for (services/touches.ts coverCalls) stay as they are too.
      const skipped = Number(before.find((r) => r.status === 'skipped')?.n ?? 0);
      expect(open).toBeGreaterThan(0);
      expect(done).toBeGreaterThan(0);

      // Every demo province but 上海市. The preview says beforehand what the save then does to the plan.
      const criteria = { minEmployees: 50, provinces: ['江苏省', '浙江省', '广东省', '北京市', '四川省'] };
      const preview = await previewMarket(ctx, criteria);
      expect(preview.plan).toEqual({ leaving: ids.length, openTouches: open, entering: 0 });
      const saved = await saveMarket(ctx, { criteria });
      expect(saved.plan).toEqual({ leftMarket: ids.length, cancelledTouches: open, entered: 0 });
      const after = await db()
        .selectFrom('planned_touches')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', 'in', ids)
        .groupBy('status')
        .execute();
      expect(Object.fromEntries(after.map((r) => [r.status, Number(r.n)]))).toEqual({
        cancelled: open,
        done,
        ...(skipped > 0 ? { skipped } : {}),
      });
      const outside = await touchesBy(0);
      expect(outside.planned ?? 0).toBe(0);

      // The rep's agenda and goals no longer send her there, overdue or not.
      const rep = makeContext(tdb.db, { userId: repId, role: 'rep' }, () => NOW);
      const agenda = await getAgenda(rep, {});
      expect(agenda.items.filter((item) => ids.includes(item.accountId))).toEqual([]);
      const goals = await getGoals(rep, { period: 'week' });
      expect(goals.overdue.outOfMarket).toEqual({ call: 0, visit: 0 });
      const audit = await db()
        .selectFrom('audit_log')
        .select('after')
        .where('entity', '=', 'market')
        .where('entity_id', '=', String(saved.version))
        .executeTakeFirstOrThrow();
      expect(JSON.parse(String(audit.after)).plan).toEqual(saved.plan);
    });

    it('says how many accounts came into the market without a plan, and re-tiering alone changes no plan', async () => {
      const cancelledBefore = (await touchesBy(1)).cancelled ?? 0;
      const preview = await previewMarket(ctx, { minEmployees: 50 });
      const widened = await saveMarket(ctx, { criteria: { minEmployees: 50 }, widen: true });
      expect(preview.plan).toEqual({
        leaving: widened.plan.leftMarket,
        openTouches: widened.plan.cancelledTouches,
        entering: widened.plan.entered,
      });
      expect(widened.plan.leftMarket).toBe(0);
      expect(widened.plan.cancelledTouches).toBe(0);
      expect(widened.plan.entered).toBeGreaterThan(0);
      // They came back without open touches: the cancelled ones stay cancelled until the reps are re-planned.
      const back = await touchesBy(1);
      expect(back.cancelled).toBeGreaterThan(cancelledBefore);
      const openBefore = back.planned;
      await retier(ctx);
      expect((await touchesBy(1)).planned).toBe(openBefore);
    });
  });
}
