import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedPlan } from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { peopleOverview } from '../../src/services/people-overview.ts';
import { commitPlan } from '../../src/services/plan.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// The Team page's plan of a rep is the plan in force for them (planInForce), the one their Plan page shows:
// after a plan of every account is committed, it is that one (QA: 李娜's card kept her own older plan's start
// while her open touches came from the new plan), until a newer plan of her own replaces it.

const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';
const later = (ctx: ServiceContext, minutes: number): ServiceContext =>
  makeContext(ctx.db, ctx.actor, () => new Date(NOW.getTime() + minutes * 60_000));

for (const dialect of DIALECTS) {
  describe(`the Team page's plan of each rep is the plan in force on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let admin: ServiceContext;
    let asRep: ServiceContext;
    const ids = { rep: '', otherRep: '' };

    beforeAll(async () => {
      ({ tdb } = await openDemoWorkspace(dialect, NOW));
      ids.rep = await demoUserId(tdb);
      ids.otherRep = await demoUserId(tdb, 'david.zhang@demo.tierline.local');
      const adminId = await demoUserId(tdb, 'admin@demo.tierline.local');
      admin = makeContext(tdb.db, { userId: adminId, role: 'admin' }, () => NOW);
      asRep = makeContext(tdb.db, { userId: ids.rep, role: 'rep' }, () => NOW);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** The Team page's plan of `repId` and the plan their Plan page shows, as the admin reads them. */
    async function bothViews(ctx: ServiceContext, repId: string) {
      const overview = await peopleOverview(ctx);
      const card = overview.items.find((p) => p.id === repId)?.work?.lastPlan;
      const page = (await committedPlan(ctx, { repId })).plan;
      return { card, page };
    }

    it("shows a rep's own plan while no plan of every account is newer", async () => {
      const { card, page } = await bothViews(admin, ids.rep);
      expect(page?.scope).toBe('rep');
      expect(card).toEqual({
        id: page?.id,
        scope: 'rep',
        createdAt: page?.committedAt,
        startsOn: page?.from,
        months: page?.months,
        acceptedOverload: page?.acceptedOverload,
      });
    });

    it('shows the plan of every account once it is committed after the reps’ own, as the Plan page does', async () => {
      const own = (await bothViews(admin, ids.rep)).card;
      const workspace = await commitPlan(later(admin, 1), { from: TODAY, months: 1, acceptOverload: true });
      expect(workspace.planId).toBeTruthy();
      for (const repId of [ids.rep, ids.otherRep]) {
        const { card, page } = await bothViews(later(admin, 2), repId);
        expect(page).toMatchObject({ id: workspace.planId, scope: 'workspace', from: TODAY, months: 1 });
        expect(card).toEqual({
          id: workspace.planId,
          scope: 'workspace',
          createdAt: page?.committedAt,
          startsOn: TODAY,
          months: 1,
          acceptedOverload: page?.acceptedOverload,
        });
        expect(card?.startsOn).not.toBe(own?.startsOn);
      }
      // The rep reads the same on their own card.
      const mine = await peopleOverview(later(asRep, 2));
      expect(mine.items.find((p) => p.id === ids.rep)?.work?.lastPlan?.id).toBe(workspace.planId);
    });

    it('shows a rep’s own plan again once it is newer than the plan of every account', async () => {
      const own = await commitPlan(later(admin, 3), {
        repId: ids.rep,
        from: '2026-12-01',
        months: 2,
        acceptOverload: true,
      });
      const rep = await bothViews(later(admin, 4), ids.rep);
      expect(rep.card).toMatchObject({ id: own.planId, scope: 'rep', startsOn: '2026-12-01', months: 2 });
      expect(rep.page?.id).toBe(own.planId);
      // Another rep is still covered by the plan of every account.
      const other = await bothViews(later(admin, 4), ids.otherRep);
      expect(other.card?.scope).toBe('workspace');
      expect(other.card?.id).toBe(other.page?.id);
    });
  });
}
