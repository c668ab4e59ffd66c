import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZPlanResult } from '../../src/schemas/plan-api.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import {
  getCurrentMarket,
  previewMarket,
  retier,
  saveMarket,
  tierCounts,
} from '../../src/services/market.ts';
import { commitPlan, previewPlan } from '../../src/services/plan.ts';
import { getAgenda, logTouch } from '../../src/services/touches.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';
import { overrideTierAsRead } from '../helpers/tier-override.ts';

// Friday 2026-11-27, 10:00 in Shanghai.
const NOW = new Date('2026-11-27T02:00:00.000Z');

for (const dialect of DIALECTS) {
  describe(`market, tiers, plan, agenda and logging on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      repId = await demoUserId(tdb);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('previews and saves a market, then tiers 20/30/50 and keeps overrides', async () => {
      // The demo workspace starts with market version 1 (50+ employees).
      expect((await getCurrentMarket(ctx))?.version).toBe(1);
      const criteria = { minEmployees: 100 };
      const preview = await previewMarket(ctx, criteria);
      expect(preview.total).toBe(300);
      expect(preview.matching).toBeGreaterThan(50);
      expect(preview.matching).toBeLessThan(300);
      expect(preview.withRelationship).toBeGreaterThan(0);
      expect(preview.byProvince.reduce((n, p) => n + p.count, 0)).toBe(preview.matching);

      expect(preview.isWidening).toBe(false);
      const saved = await saveMarket(ctx, { criteria });
      expect(saved.version).toBe(2);
      expect(saved.matching).toBe(preview.matching);
      const { A, B, C } = saved.tiers;
      expect(A + B + C).toBe(preview.matching);
      expect(A).toBe(Math.round(preview.matching * 0.2));
      expect(A + B).toBe(Math.round(preview.matching * 0.5));
      expect(await tierCounts(ctx)).toMatchObject({ A, B, C, outOfMarket: 300 - preview.matching });

      // An in-market account gets a manual C that survives re-tiering.
      const a = await tdb.db.kysely
        .selectFrom('accounts')
        .select('id')
        .where('tier', '=', 'A')
        .limit(1)
        .executeTakeFirstOrThrow();
      const overridden = await overrideTierAsRead(ctx, a.id, { tier: 'C', reason: '客户已被集团统一采购' });
      expect(overridden).toMatchObject({
        tier: 'C',
        tierOverride: 'C',
        tierOverrideReason: '客户已被集团统一采购',
      });
      await retier(ctx);
      const after = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['tier', 'tier_override'])
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ tier: 'C', tier_override: 'C' });
    });

    it('asks for confirmation before widening the market, and records it', async () => {
      await expect(saveMarket(ctx, { criteria: { minEmployees: 50 } })).rejects.toMatchObject({
        code: 'conflict',
      });
      const widened = await saveMarket(ctx, {
        criteria: { minEmployees: 50 },
        widen: true,
        note: '华东名单已覆盖',
      });
      expect(widened).toMatchObject({ version: 3, isWidening: true });
      const narrowed = await saveMarket(ctx, { criteria: { minEmployees: 100 } });
      expect(narrowed).toMatchObject({ version: 4, isWidening: false });
      const current = await getCurrentMarket(ctx);
      expect(current?.version).toBe(4);
    });

    it('checks capacity, commits a plan for a rep and serves the agenda', async () => {
      const preview = await previewPlan(ctx, { repId, from: '2026-11-30' });
      expect(preview.committed).toBe(false);
      expect(preview.fits).toBe(true);
      expect(preview.touches).toBeGreaterThan(0);
      expect(preview.days.every((d) => d.working || (d.calls === 0 && d.visits === 0))).toBe(true);

      const tight = await previewPlan(ctx, { repId, from: '2026-11-30', visitsPerDay: 0 });
      expect(tight.fits).toBe(false);
      expect(tight.options.length).toBeGreaterThan(0);
      // No visit capacity at all: infinitely over, said as null, and still an answer the API can send.
      expect(tight.utilization.visit).toBeNull();
      expect(ZPlanResult.safeParse(tight).error).toBeUndefined();
      await expect(commitPlan(ctx, { repId, from: '2026-11-30', visitsPerDay: 0 })).rejects.toMatchObject({
        code: 'conflict',
      });

      const committed = await commitPlan(ctx, { repId, from: '2026-11-30' });
      expect(committed.committed).toBe(true);
      const stored = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('plan_id', '=', committed.planId)
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(committed.touches);

      const agenda = await getAgenda(ctx, { repId, date: '2026-12-08' });
      expect(agenda.items.length).toBeGreaterThan(0);
      const key = (i: (typeof agenda.items)[number]) => `${i.overdue ? 0 : 1}${i.tier}`;
      const keys = agenda.items.map(key);
      expect(keys).toEqual([...keys].sort());
      expect(agenda.items.filter((i) => i.overdue).every((i) => i.dueOn < '2026-12-08')).toBe(true);
      expect(agenda.next, 'a day with touches points nowhere else').toBeNull();

      // A day before anything is due holds nothing: the agenda says where the plan goes on.
      const open = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select([
          (eb) => eb.fn.min<string>('due_on').as('first'),
          (eb) => eb.fn.max<string>('due_on').as('last'),
        ])
        .where('rep_id', '=', repId)
        .where('status', '=', 'planned')
        .executeTakeFirstOrThrow();
      // The demo's plans start four weeks before NOW (and leave some touches overdue): a day before that.
      expect(open.first > '2026-10-01').toBe(true);
      const before = await getAgenda(ctx, { repId, date: '2026-10-01' });
      expect(before.items).toEqual([]);
      const firstDay = await getAgenda(ctx, { repId, date: open.first });
      const due = (channel: string) => firstDay.items.filter((i) => i.channel === channel).length;
      expect(firstDay.items.every((i) => i.dueOn === open.first)).toBe(true);
      expect(before.next).toEqual({ date: open.first, calls: due('call'), visits: due('visit') });
      expect(due('call') + due('visit')).toBeGreaterThan(0);
      expect((await getAgenda(ctx, { repId, date: '2026-09-30' })).next).toEqual(before.next);
      // After the last planned touch (everything overdue) there is nothing to point to.
      const after = await getAgenda(ctx, { repId, date: '2099-01-01' });
      expect(open.last < '2099-01-01').toBe(true);
      expect(after.items.length).toBeGreaterThan(0);
      expect(after.next).toBeNull();
    });

    it('logs a touch: completes the planned one, re-plans the channel, moves the stage; overdue stays visible', async () => {
      const agenda = await getAgenda(ctx, { repId, date: '2026-12-15' });
      const call = agenda.items.find((i) => i.channel === 'call');
      expect(call).toBeDefined();
      if (!call) return;
      const before = await tdb.db.kysely
        .selectFrom('accounts')
        .select('stage')
        .where('id', '=', call.accountId)
        .executeTakeFirstOrThrow();
      const result = await logTouch(ctx, call.accountId, {
        channel: 'call',
        outcome: 'meeting_booked',
        objectionId: 'send-material',
        responseId: 'bring-and-walk-through',
        note: '约了下周二演示',
        at: '2026-11-27T01:30:00.000Z',
      });
      expect(result.completedTouchId).toBe(call.touchId);
      // A booked meeting moves the pipeline forward, never backward.
      const expected = ['prospect', 'contacted', 'dormant'].includes(before.stage) ? 'meeting' : before.stage;
      expect(result.stage).toBe(expected);
      expect(result.activity.objectionId).not.toBeNull();
      expect(result.nextTouches.length).toBeGreaterThan(0);
      expect(result.nextTouches[0]!.dueOn > '2026-11-27').toBe(true);

      // A week later, untouched planned touches from before are overdue, listed first.
      const later = await getAgenda(ctx, { repId, date: '2026-12-20' });
      const firstNotOverdue = later.items.findIndex((i) => !i.overdue);
      const lastOverdue = later.items.map((i) => i.overdue).lastIndexOf(true);
      expect(lastOverdue).toBeLessThan(firstNotOverdue === -1 ? Number.POSITIVE_INFINITY : firstNotOverdue);
      expect(later.counts.overdue).toBeGreaterThan(0);
    });

    it('rejects a response that does not answer the objection', async () => {
      const account = await tdb.db.kysely
        .selectFrom('accounts')
        .select('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      await expect(
        logTouch(ctx, account.id, {
          channel: 'call',
          outcome: 'reached',
          objectionId: 'no-budget',
          responseId: 'bring-and-walk-through',
        }),
      ).rejects.toMatchObject({ code: 'validation_failed' });
      const count = await tdb.db.kysely
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', account.id)
        .where('occurred_at', '>=', '2026-11-27')
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });
  });
}
