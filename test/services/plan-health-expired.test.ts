import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { healthBounds } from '../../src/domain/plan/health.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { commitPlan, readCadenceRules } from '../../src/services/plan.ts';
import { aggregateHealth, planHealth, teamPlanHealth } from '../../src/services/plan-health.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai. A one-month plan from today runs to 2026-12-27 (exclusive).
const NOW = new Date('2026-11-27T02:00:00.000Z');
const END = '2026-12-27';
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/*
 * Plan health (docs/figures.md) of a plan whose horizon has ended: it plans nothing from today on, so it is not in
 * step ("expired"), and every account in the market without an open touch due from today on counts as unplanned,
 * the same for one rep (judged account by account), every account (in SQL) and each rep of the team.
 */
for (const dialect of DIALECTS) {
  describe(`an expired plan's health on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let liNa: string;
    let adminId: string;
    let inMarket: number;
    const at = (iso: string, userId: string | null = null) =>
      makeContext(
        tdb.db,
        userId ? { userId, role: 'admin' } : { userId: null, role: 'system' },
        () => new Date(iso),
      );

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      liNa = await demoUserId(tdb);
      adminId = await demoUserId(tdb, 'admin@demo.tierline.local');
      await commitPlan(ctx, { repId: liNa, months: 1, acceptOverload: true });
      const row = await tdb.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('owner_id', '=', liNa)
        .where('in_market', '=', 1)
        .where('tier', 'is not', null)
        .executeTakeFirstOrThrow();
      inMarket = Number(row.n);
      expect(inMarket).toBeGreaterThan(0);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** The rep's health on the clock `iso`, checked against the same rules in SQL for that owner. */
    async function health(iso: string) {
      const c = at(iso);
      const h = await planHealth(c, { repId: liNa });
      const cadence = resolveCadence(await readCadenceRules(tdb.db.kysely));
      const sql = await aggregateHealth(c, {
        ownerId: liNa,
        timeZone: 'Asia/Shanghai',
        today: h.today,
        plan: { from: h.plan?.from as string, to: h.plan?.to as string },
        bounds: (tier, channel) => healthBounds(cadence, tier, channel),
      });
      expect(sql).toEqual({ counts: h.counts, affected: h.affected, entries: h.accounts });
      return h;
    }

    it('is in step while the plan runs, up to its last day', async () => {
      for (const iso of [NOW.toISOString(), '2026-12-26T02:00:00.000Z']) {
        const h = await health(iso);
        expect(h.plan?.to).toBe(END);
        expect(h).toMatchObject({ expired: false, inStep: true, affected: 0 });
      }
    });

    it('is expired from the day its horizon ends: every account in the market is unplanned on both channels', async () => {
      for (const iso of ['2026-12-27T02:00:00.000Z', '2027-02-10T02:00:00.000Z']) {
        const h = await health(iso);
        expect(h.expired).toBe(true);
        expect(h.inStep).toBe(false);
        expect(sum(h.counts.unplanned.call)).toBe(inMarket);
        expect(sum(h.counts.unplanned.visit)).toBe(inMarket);
        expect(sum(h.counts.behind.call) + sum(h.counts.behind.visit)).toBe(0);
        expect(h.affected).toBe(inMarket);
        expect(h.accounts.length).toBe(Math.min(50, 2 * inMarket));
        expect(h.accounts.every((a) => a.reason === 'unplanned')).toBe(true);
      }
    });

    it('says so for each rep of the team and for every account at once', async () => {
      const admin = at('2027-01-05T02:00:00.000Z', adminId);
      const team = await teamPlanHealth(admin);
      const row = team.reps.find((r) => r.repId === liNa);
      expect(row).toMatchObject({
        expired: true,
        inStep: false,
        affected: inMarket,
        accounts: { unplanned: inMarket },
      });
      expect(row?.plan?.to).toBe(END);
      // The other demo rep's own plan (twelve months) still runs.
      for (const other of team.reps.filter((r) => r.repId !== liNa && r.plan))
        expect(other.expired).toBe(false);
      // Without a rep: the latest plan of any kind, Li Na's, ended.
      const all = await planHealth(admin, {});
      expect(all).toMatchObject({ expired: true, inStep: false });
      expect(sum(all.counts.unplanned.call)).toBeGreaterThanOrEqual(inMarket);
    });

    it('is in step again once a new plan is committed', async () => {
      const later = at('2027-01-05T02:00:00.000Z');
      await commitPlan(later, { repId: liNa, acceptOverload: true });
      const h = await health('2027-01-05T02:00:00.000Z');
      expect(h).toMatchObject({ expired: false, inStep: true, affected: 0 });
    });
  });
}
