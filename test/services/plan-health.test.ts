import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { healthBounds } from '../../src/domain/plan/health.ts';
import type { TPlanHealth } from '../../src/schemas/plan-api.ts';
import { getAccount, updateAccount } from '../../src/services/accounts.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { makeContext } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan, readCadenceRules } from '../../src/services/plan.ts';
import { aggregateHealth, planHealth } from '../../src/services/plan-health.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's market is "at least 50 employees".
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/*
 * Plan health (docs/figures.md): a market save, a re-tiering by score and new accounts re-plan nothing, so the
 * committed plan can stop covering the market; planHealth says where, and a re-plan puts everything back in step.
 */
for (const dialect of DIALECTS) {
  describe(`plan health on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;
    let otherRepId: string;
    const db = () => tdb.db.kysely;

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      repId = await demoUserId(tdb);
      const other = await db()
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'rep')
        .where('id', '<>', repId)
        .executeTakeFirstOrThrow();
      otherRepId = other.id;
      await commitPlan(ctx, { repId, acceptOverload: true });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** The rep's health, checked against the same rules run in SQL (the workspace-wide path) for that owner. */
    async function health(): Promise<TPlanHealth> {
      const h = await planHealth(ctx, { repId });
      expect(h.plan).not.toBeNull();
      const cadence = resolveCadence(await readCadenceRules(db()));
      const settings = { timeZone: 'Asia/Shanghai' };
      const sql = await aggregateHealth(ctx, {
        ownerId: repId,
        timeZone: settings.timeZone,
        today: h.today,
        plan: { from: h.plan?.from as string, to: h.plan?.to as string },
        bounds: (tier, channel) => healthBounds(cadence, tier, channel),
      });
      expect(sql).toEqual({ counts: h.counts, affected: h.affected, entries: h.accounts });
      return h;
    }

    async function replan() {
      await commitPlan(ctx, { repId, acceptOverload: true });
      const h = await health();
      expect(h).toMatchObject({ inStep: true, affected: 0, accounts: [] });
      expect(h.plan?.from).toBe(TODAY);
    }

    async function inMarketIds(): Promise<Set<string>> {
      const rows = await db()
        .selectFrom('accounts')
        .select('id')
        .where('owner_id', '=', repId)
        .where('in_market', '=', 1)
        .execute();
      return new Set(rows.map((r) => r.id));
    }

    it('is in step right after a commit', async () => {
      const h = await health();
      expect(h.inStep).toBe(true);
      expect(h.affected).toBe(0);
      expect(h.repId).toBe(repId);
    });

    it('counts the accounts a wider market brings in as unplanned until the rep is re-planned', async () => {
      const before = await inMarketIds();
      const saved = await saveMarket(ctx, { criteria: { minEmployees: 0 }, widen: true });
      expect(saved.plan.entered).toBeGreaterThan(0);
      const entered = [...(await inMarketIds())].filter((id) => !before.has(id));
      expect(entered.length).toBeGreaterThan(0);
      const h = await health();
      expect(h.inStep).toBe(false);
      // Every tier has both channels by default; each entered account is due on both within the plan.
      expect(sum(h.counts.unplanned.call)).toBe(entered.length);
      expect(sum(h.counts.unplanned.visit)).toBe(entered.length);
      expect(h.affected).toBeGreaterThanOrEqual(entered.length);
      const unplanned = h.accounts.filter((a) => a.reason === 'unplanned');
      expect(unplanned.length).toBeGreaterThan(0);
      for (const a of unplanned) {
        expect(entered).toContain(a.id);
        expect(a.nextDue < (h.plan?.to as string)).toBe(true);
      }
      // Listed tier A first.
      const tiers = h.accounts.map((a) => a.tier ?? 'Z');
      expect(tiers).toEqual([...tiers].sort());
      await replan();
    });

    it('counts a tier raised by a score change as behind and a lowered one as ahead, until a re-plan', async () => {
      // The C account whose first open call lies furthest ahead: as an A account that is months too late.
      const raised = await db()
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select(['a.id', (eb) => eb.fn.min('t.due_on').as('first')])
        .where('a.owner_id', '=', repId)
        .where('a.tier', '=', 'C')
        .where('a.tier_override', 'is', null)
        .where('t.channel', '=', 'call')
        .where('t.status', '=', 'planned')
        .groupBy('a.id')
        .orderBy('first', 'desc')
        .orderBy('a.id')
        .executeTakeFirstOrThrow();
      expect(String(raised.first) > '2027-01-15').toBe(true);
      // An A account called monthly: as a C account its calls are far too close together.
      const lowered = await db()
        .selectFrom('accounts')
        .select('id')
        .where('owner_id', '=', repId)
        .where('tier', '=', 'A')
        .where('tier_override', 'is', null)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const big = await getAccount(ctx, raised.id);
      await updateAccount(ctx, raised.id, {
        version: big.version,
        annualSales: 90_000_000_000,
        employeesMin: 90_000,
        employeesMax: 90_000,
        netAssets: 90_000_000_000,
      });
      const small = await getAccount(ctx, lowered.id);
      await updateAccount(ctx, lowered.id, {
        version: small.version,
        annualSales: 1,
        employeesMin: 50,
        employeesMax: 50,
        netAssets: 1,
      });
      await saveMarket(ctx, { criteria: { minEmployees: 0 } });
      expect((await getAccount(ctx, raised.id)).tier).toBe('A');
      const newTier = (await getAccount(ctx, lowered.id)).tier;
      expect(newTier).toBe('C');

      const h = await health();
      expect(h.inStep).toBe(false);
      expect(h.counts.behind.call.A).toBeGreaterThanOrEqual(1);
      expect(h.counts.ahead.call.C).toBeGreaterThanOrEqual(1);
      expect(h.accounts).toContainEqual(
        expect.objectContaining({
          id: raised.id,
          tier: 'A',
          channel: 'call',
          reason: 'behind',
          nextDue: raised.first,
        }),
      );
      expect(h.accounts).toContainEqual(
        expect.objectContaining({ id: lowered.id, tier: 'C', channel: 'call', reason: 'ahead' }),
      );
      await replan();
    });

    it('reports an account outside the market that still holds open touches', async () => {
      const account = await db()
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select('a.id')
        .where('a.owner_id', '=', repId)
        .where('t.status', '=', 'planned')
        .where('t.channel', '=', 'visit')
        .orderBy('a.id')
        .executeTakeFirstOrThrow();
      // Data from before market saves cancelled such touches.
      await db()
        .updateTable('accounts')
        .set({ in_market: 0, tier: null })
        .where('id', '=', account.id)
        .execute();
      const h = await health();
      expect(h.counts.outOfMarket.visit).toBe(1);
      expect(h.accounts).toContainEqual(
        expect.objectContaining({ id: account.id, tier: null, channel: 'visit', reason: 'outOfMarket' }),
      );
      await saveMarket(ctx, { criteria: { minEmployees: 0 } });
      await replan();
    });

    it('is the committed plan’s scope: a rep sees their own, not another rep’s', async () => {
      const rep = makeContext(tdb.db, { userId: repId, role: 'rep' }, () => NOW);
      expect((await planHealth(rep, {})).repId).toBe(repId);
      await expect(planHealth(rep, { repId: otherRepId })).rejects.toMatchObject({ code: 'forbidden' });
      const other = makeContext(tdb.db, { userId: otherRepId, role: 'rep' }, () => NOW);
      await expect(planHealth(other, { repId })).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('counts every account in SQL without a rep', async () => {
      const all = await planHealth(ctx, {});
      expect(all.repId).toBeNull();
      expect(all.plan).not.toBeNull();
      expect(all.affected).toBeGreaterThanOrEqual(0);
      // The widened market's accounts of the other reps were not re-planned: they are unplanned.
      expect(sum(all.counts.unplanned.call)).toBeGreaterThan(0);
      expect(all.accounts.length).toBe(Math.min(50, all.accounts.length));
    });
  });
}
