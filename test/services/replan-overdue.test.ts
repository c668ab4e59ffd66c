import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CadenceTable, intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { toDayNumber } from '../../src/domain/calendar/local-date.ts';
import { localDateAt } from '../../src/domain/calendar/time-zone.ts';
import { buildPlan, type PlanAccount } from '../../src/domain/plan/build-plan.ts';
import { checkCapacity } from '../../src/domain/plan/capacity.ts';
import type { TChannel } from '../../src/schemas/common.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import {
  calendarFor,
  commitPlan,
  planAllReps,
  previewPlan,
  readCadenceRules,
  saveRepPlans,
} from '../../src/services/plan.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { loadLastTouches, loadPlanAccounts } from '../../src/storage/repositories/plan.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai: the demo's plans run from 2026-10-30 and were worked until then.
const LOADED = new Date('2026-11-27T02:00:00.000Z');
// Twenty days on, nothing logged since: every touch due in between is overdue now (one a series at most: the
// shortest interval, A's monthly call, leaves 24 days or more between two touches).
const LATER = new Date('2026-12-17T02:00:00.000Z');
const TODAY = '2026-12-17';
const CHANNELS: readonly TChannel[] = ['call', 'visit'];

/*
 * A commit keeps the open touches due before its first day (overdue: a missed touch is never lost) and replaces
 * the rest. The overdue touch is the series' pending touch: a re-plan from today plans the next one about one
 * interval after today, not a second one at once beside it, and reports the overdue touches apart.
 */
for (const dialect of DIALECTS) {
  describe(`a re-plan next to overdue touches on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let clock = LOADED;
    let cadence: CadenceTable;

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, { userId: null, role: 'system' }, () => clock);
      await loadDemoWorkspace(ctx);
      cadence = resolveCadence(await readCadenceRules(tdb.db.kysely));
      clock = LATER;
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    const db = () => tdb.db.kysely;

    /** The reps' in-market accounts with a tier, and each one's open touches per channel (due days, ascending). */
    async function openTouches(repIds: readonly string[]) {
      const accounts = await db()
        .selectFrom('accounts')
        .select(['id', 'tier', 'owner_id'])
        .where('owner_id', 'in', repIds)
        .where('in_market', '=', 1)
        .where('tier', 'is not', null)
        .execute();
      const touches = await db()
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select(['t.account_id', 't.channel', 't.due_on'])
        .where('a.owner_id', 'in', repIds)
        .where('t.status', '=', 'planned')
        .orderBy('t.due_on')
        .execute();
      const open = new Map<string, string[]>();
      for (const t of touches) {
        const key = `${t.account_id} ${t.channel}`;
        open.set(key, [...(open.get(key) ?? []), t.due_on]);
      }
      return accounts.map((a) => ({
        id: a.id,
        tier: a.tier as 'A' | 'B' | 'C',
        owner: a.owner_id as string,
        open: { call: open.get(`${a.id} call`) ?? [], visit: open.get(`${a.id} visit`) ?? [] },
      }));
    }

    type Accounts = Awaited<ReturnType<typeof openTouches>>;
    const overdueOf = (dues: readonly string[]) => dues.filter((d) => d < TODAY).length;
    const offset = (day: string) => toDayNumber(day) - toDayNumber(TODAY);

    /** Each owner's overdue touches per channel. */
    function overdueByOwner(accounts: Accounts): Map<string, Record<TChannel, number>> {
      const byOwner = new Map<string, Record<TChannel, number>>();
      for (const a of accounts) {
        const counts = byOwner.get(a.owner) ?? { call: 0, visit: 0 };
        for (const channel of CHANNELS) counts[channel] += overdueOf(a.open[channel]);
        byOwner.set(a.owner, counts);
      }
      return byOwner;
    }

    /**
     * After a re-plan from today: on each channel with overdue touches no new touch falls within interval × 0.8 of
     * today, and the next one falls within ±20 % of one interval after today. Returns how many series it checked
     * with exactly one overdue touch and a next touch, per channel.
     */
    function expectNothingBesideOverdue(accounts: Accounts): Record<TChannel, number> {
      const checked = { call: 0, visit: 0 };
      for (const a of accounts) {
        for (const channel of CHANNELS) {
          const months = cadence[a.tier][channel];
          const dues = a.open[channel];
          const overdue = overdueOf(dues);
          if (!months || overdue === 0) continue;
          const interval = intervalDays(months);
          const near = dues.filter((d) => offset(d) < interval * 0.8);
          expect(near, `${a.id} ${channel}: ${dues.join(', ')}`).toHaveLength(overdue);
          const next = dues.find((d) => d >= TODAY);
          if (next === undefined) continue;
          expect(offset(next), `${a.id} ${channel}: ${dues.join(', ')}`).toBeGreaterThanOrEqual(
            Math.floor(interval * 0.8),
          );
          expect(offset(next), `${a.id} ${channel}: ${dues.join(', ')}`).toBeLessThanOrEqual(
            Math.ceil(interval * 1.2),
          );
          if (overdue === 1) checked[channel]++;
        }
      }
      return checked;
    }

    /**
     * The rep's plan from today as it was made before overdue touches anchored their series: each series from its
     * last logged touch (the planner's inputs read as the service reads them), as due days per account
     * and channel.
     */
    async function planFromLoggedTouches(repId: string): Promise<Map<string, string[]>> {
      const settings = await readWorkspaceSettings(db());
      const rep = await db()
        .selectFrom('users')
        .select(['calls_per_day', 'visits_per_day'])
        .where('id', '=', repId)
        .executeTakeFirstOrThrow();
      const capacity = {
        callsPerDay: rep.calls_per_day ?? settings.capacity.callsPerDay,
        visitsPerDay: rep.visits_per_day ?? settings.capacity.visitsPerDay,
      };
      const last = await loadLastTouches(db(), repId);
      const accounts: PlanAccount[] = (await loadPlanAccounts(db(), repId)).map((a) => {
        const logged = last.get(a.id);
        const on = (iso: string | undefined) =>
          iso ? localDateAt(settings.timeZone, Date.parse(iso)) : null;
        return {
          ...a,
          lastTouchOn: logged ? { call: on(logged.call), visit: on(logged.visit) } : undefined,
        };
      });
      const input = {
        accounts,
        from: TODAY,
        months: settings.horizonMonths,
        calendar: await calendarFor(db(), settings, repId),
        cadence: await readCadenceRules(db()),
        capacity,
      };
      let plan = buildPlan(input);
      if (!checkCapacity(input).fits || plan.unplaced.length > 0)
        plan = buildPlan({ ...input, overflow: 'overbook' });
      const days = new Map<string, string[]>();
      for (const t of plan.touches) {
        const key = `${t.accountId} ${t.channel}`;
        days.set(key, [...(days.get(key) ?? []), t.dueOn].sort());
      }
      return days;
    }

    /**
     * The accounts without an overdue touch are planned as before overdue touches anchored their series: the same
     * touches on each channel, each within ±20 % of the same target (the rest of the plan moved, so the day within
     * that window may differ: a day is picked by the load the other touches leave). Returns how many channels had
     * the very same days, of how many compared.
     */
    function expectPlannedAsBefore(accounts: Accounts, before: ReadonlyMap<string, string[]>) {
      let same = 0;
      let compared = 0;
      for (const a of accounts) {
        if (CHANNELS.some((c) => overdueOf(a.open[c]) > 0)) continue;
        for (const channel of CHANNELS) {
          const months = cadence[a.tier][channel];
          if (!months) continue;
          const now = a.open[channel].filter((d) => d >= TODAY);
          const then = before.get(`${a.id} ${channel}`) ?? [];
          const what = `${a.id} ${channel}: ${now.join(', ')} against ${then.join(', ')}`;
          expect(now.length, what).toBe(then.length);
          for (let k = 0; k < now.length; k++) {
            const moved = Math.abs(toDayNumber(now[k] as string) - toDayNumber(then[k] as string));
            expect(moved, what).toBeLessThanOrEqual(Math.ceil(intervalDays(months) * 0.4));
          }
          compared++;
          if (now.join() === then.join()) same++;
        }
      }
      return { same, compared };
    }

    it('one rep: the overdue touch stays the only one due, the next follows about one interval later', async () => {
      const repId = await demoUserId(tdb);
      const before = await openTouches([repId]);
      const overdue = overdueByOwner(before).get(repId);
      // Twenty days without a log left calls and visits overdue.
      expect(overdue?.call).toBeGreaterThan(0);
      expect(overdue?.visit).toBeGreaterThan(0);
      const previous = await planFromLoggedTouches(repId);

      const result = await commitPlan(ctx, { repId, acceptOverload: true });
      expect(result.from).toBe(TODAY);
      // Reported apart from the touches planned.
      expect(result.overdue).toEqual(overdue);
      const after = await openTouches([repId]);
      // The overdue touches are kept.
      expect(overdueByOwner(after).get(repId)).toEqual(overdue);
      const checked = expectNothingBesideOverdue(after);
      expect(checked.call).toBeGreaterThan(0);
      expect(checked.visit).toBeGreaterThan(0);

      const { same, compared } = expectPlannedAsBefore(after, previous);
      expect(compared).toBeGreaterThan(0);
      expect(same).toBeGreaterThan(0);
    });

    it('every rep at once: the same, with each rep’s overdue touches in the workload', async () => {
      const plans = await planAllReps(ctx, { acceptOverload: true });
      const repIds = plans.map((p) => p.repId);
      expect(repIds.length).toBeGreaterThan(1);
      const before = await openTouches(repIds);
      const overdue = overdueByOwner(before);
      const previous = new Map<string, string[]>();
      for (const repId of repIds) for (const [k, v] of await planFromLoggedTouches(repId)) previous.set(k, v);
      for (const p of plans) {
        expect(p.workload.from).toBe(TODAY);
        expect(p.workload.overdue).toEqual(overdue.get(p.repId) ?? { call: 0, visit: 0 });
      }
      expect(
        plans.reduce((n, p) => n + p.workload.overdue.call + p.workload.overdue.visit, 0),
      ).toBeGreaterThan(0);

      await saveRepPlans(ctx, plans, { acceptOverload: true });
      const after = await openTouches(repIds);
      expect(overdueByOwner(after)).toEqual(overdue);
      const checked = expectNothingBesideOverdue(after);
      expect(checked.call).toBeGreaterThan(0);
      expect(checked.visit).toBeGreaterThan(0);

      const { same, compared } = expectPlannedAsBefore(after, previous);
      expect(compared).toBeGreaterThan(0);
      expect(same).toBeGreaterThan(0);
    });

    it('a plan starting later counts as overdue only the touches due before today, not those up to its first day', async () => {
      const from = '2027-01-15';
      const repId = await demoUserId(tdb);
      const accounts = await openTouches([repId]);
      const overdue = overdueByOwner(accounts).get(repId);
      // Touches due between today and the plan's first day: kept by such a plan, but not overdue.
      const between = accounts.reduce(
        (n, a) =>
          n + CHANNELS.reduce((m, c) => m + a.open[c].filter((d) => d >= TODAY && d < from).length, 0),
        0,
      );
      expect(between).toBeGreaterThan(0);
      expect(overdue?.call).toBeGreaterThan(0);

      const preview = await previewPlan(ctx, { repId, from });
      expect(preview.from).toBe(from);
      expect(preview.overdue).toEqual(overdue);
      const plans = await planAllReps(ctx, { from, acceptOverload: true });
      const everyone = overdueByOwner(await openTouches(plans.map((p) => p.repId)));
      for (const p of plans)
        expect(p.workload.overdue).toEqual(everyone.get(p.repId) ?? { call: 0, visit: 0 });
    });
  });
}
