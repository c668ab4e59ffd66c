import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { fromDayNumber, shiftDate, toDayNumber } from '../../src/domain/calendar/local-date.ts';
import { todayIn } from '../../src/domain/calendar/time-zone.ts';
import { type BookedTouch, replanAccount } from '../../src/domain/plan/build-plan.ts';
import { weekdayOf } from '../../src/domain/plan/day-grid.ts';
import type { TChannel, TTier } from '../../src/schemas/common.ts';
import { bulkOverrideTier } from '../../src/services/account-bulk.ts';
import { createAccount } from '../../src/services/accounts.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { overrideTier } from '../../src/services/market.ts';
import { calendarFor, planHorizonEnd, readCadenceRules } from '../../src/services/plan.ts';
import { logTouch } from '../../src/services/touches.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's plans run from 2026-10-30 for 12 months.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

/*
 * Overriding an account's tier by hand (or removing the override) re-plans its open touches on the new tier's
 * cadence in the same transaction (services/market.ts applyTierOverrides → services/touches.ts replanTierChanges),
 * as a logged touch re-plans its channel: from the last logged touch (today without one), nothing before today,
 * the rep's other touches respected. What it stores must be the series the planner gives for the new tier.
 */
for (const dialect of DIALECTS) {
  describe(`a manual tier change re-plans the account's open touches on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;
    /** The rep's C accounts with open calls and no logged call, by id; each test takes its own. */
    let cAccounts: string[];

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      repId = await demoUserId(tdb);
      cAccounts = await untouchedCAccounts();
      expect(cAccounts.length).toBeGreaterThanOrEqual(16);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    const db = () => tdb.db.kysely;

    async function openTouches(accountId: string, channel: TChannel): Promise<string[]> {
      const rows = await db()
        .selectFrom('planned_touches')
        .select('due_on')
        .where('account_id', '=', accountId)
        .where('channel', '=', channel)
        .where('status', '=', 'planned')
        .orderBy('due_on')
        .execute();
      return rows.map((r) => r.due_on);
    }

    /** The local date of the account's last logged touch on the channel, or null. */
    async function lastOn(accountId: string, channel: TChannel): Promise<string | null> {
      const row = await db()
        .selectFrom('activities')
        .select((eb) => eb.fn.max('occurred_at').as('last'))
        .where('account_id', '=', accountId)
        .where('channel', '=', channel)
        .executeTakeFirst();
      const settings = await readWorkspaceSettings(db());
      return row?.last ? todayIn(settings.timeZone, new Date(String(row.last))) : null;
    }

    /** A call or visit logged at noon (Shanghai) of `on`, straight into the log (no re-plan). */
    async function logged(accountId: string, channel: TChannel, on: string): Promise<void> {
      await db()
        .insertInto('activities')
        .values({
          id: newId(),
          account_id: accountId,
          user_id: repId,
          channel,
          occurred_at: `${on}T04:00:00.000Z`,
          outcome: 'reached',
          objection_id: null,
          response_id: null,
          note: null,
          next_step: null,
          planned_touch_id: null,
          created_at: NOW.toISOString(),
        })
        .execute();
    }

    /** The rep's C accounts with open calls and no logged call, by id. */
    async function untouchedCAccounts(): Promise<string[]> {
      const rows = await db()
        .selectFrom('accounts as a')
        .select('a.id')
        .where('a.owner_id', '=', repId)
        .where('a.tier', '=', 'C')
        .where('a.tier_override', 'is', null)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('planned_touches as t')
              .select('t.id')
              .whereRef('t.account_id', '=', 'a.id')
              .where('t.channel', '=', 'call')
              .where('t.status', '=', 'planned'),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('activities as x')
                .select('x.id')
                .whereRef('x.account_id', '=', 'a.id')
                .where('x.channel', '=', 'call'),
            ),
          ),
        )
        .orderBy('a.id')
        .execute();
      return rows.map((r) => r.id);
    }

    async function intervalOf(tier: TTier, channel: TChannel): Promise<number> {
      return intervalDays(resolveCadence(await readCadenceRules(db()))[tier][channel] as number);
    }

    /**
     * The series the planner gives the account on the channel at `tier` from the stored state: from its last logged
     * touch (today without one), nothing before today, seeing the rep's other open touches of the first touch's
     * window (the whole calendar weeks for visits), as the re-plan reads them.
     */
    async function expectedSeries(accountId: string, channel: TChannel, tier: TTier): Promise<string[]> {
      const account = await db()
        .selectFrom('accounts')
        .select(['city', 'district', 'potential_score'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      const settings = await readWorkspaceSettings(db());
      const rep = await db()
        .selectFrom('users')
        .select(['calls_per_day', 'visits_per_day'])
        .where('id', '=', repId)
        .executeTakeFirstOrThrow();
      const cadence = await readCadenceRules(db());
      const interval = await intervalOf(tier, channel);
      const until = await planHorizonEnd(db(), repId);
      if (!until) throw new Error('expected a committed plan');
      const last = (await lastOn(accountId, channel)) ?? TODAY;
      const overdue = toDayNumber(last) + interval < toDayNumber(TODAY);
      let from = overdue
        ? TODAY
        : ([TODAY, shiftDate(last, Math.ceil(0.8 * interval - 1e-9))].sort()[1] as string);
      let to = overdue
        ? shiftDate(TODAY, Math.floor(interval))
        : shiftDate(last, Math.floor(1.2 * interval + 1e-9));
      if (to >= until) to = shiftDate(until, -1);
      if (channel === 'visit') {
        from = shiftDate(from, -weekdayOf(toDayNumber(from)));
        to = shiftDate(to, 6 - weekdayOf(toDayNumber(to)));
      }
      const others = await db()
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select(['t.due_on', 'a.city', 'a.district'])
        .where('t.rep_id', '=', repId)
        .where('t.channel', '=', channel)
        .where('t.status', '=', 'planned')
        .where('t.account_id', '!=', accountId)
        .where('t.due_on', '>=', from)
        .where('t.due_on', '<=', to)
        .execute();
      const byDay = new Map<string, BookedTouch[]>();
      for (const o of others) {
        const list = byDay.get(o.due_on) ?? [];
        list.push(
          channel === 'visit' ? { city: o.city, district: o.district } : { city: null, district: null },
        );
        byDay.set(o.due_on, list);
      }
      const own = channel === 'call' ? rep.calls_per_day : rep.visits_per_day;
      const { touches } = replanAccount({
        account: {
          id: accountId,
          tier,
          city: account.city,
          district: account.district,
          score: account.potential_score,
        },
        channel,
        loggedOn: last,
        from: TODAY,
        until,
        calendar: await calendarFor(db(), settings, repId),
        cadence,
        capacityPerDay:
          own ?? (channel === 'call' ? settings.capacity.callsPerDay : settings.capacity.visitsPerDay),
        bookedOn: (date) => byDay.get(date) ?? [],
        overflow: 'overbook',
      });
      return touches.map((t) => t.dueOn);
    }

    /** The window of the next touch at `tier`: 0.8 to 1.2 intervals after `last`, from today on. */
    async function nextWindow(last: string, tier: TTier, channel: TChannel): Promise<[string, string]> {
      const interval = await intervalOf(tier, channel);
      const lo = fromDayNumber(Math.max(toDayNumber(TODAY), toDayNumber(last) + Math.ceil(0.8 * interval)));
      return [lo, shiftDate(last, Math.floor(1.2 * interval))];
    }

    async function auditAfter(accountId: string) {
      const row = await db()
        .selectFrom('audit_log')
        .select(['action', 'after'])
        .where('entity_id', '=', accountId)
        .where('action', 'like', 'tier-override%')
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return { action: row.action, after: JSON.parse(row.after ?? 'null') };
    }

    it('C overridden to B: the next call moves from half a year to a quarter after the last call, and back', async () => {
      const accountId = cAccounts[0] as string;
      // A call logged on 2026-10-20: the C series re-planned from it, the next call half a year later.
      await logTouch(ctx, accountId, { channel: 'call', outcome: 'reached', at: '2026-10-20' });
      const last = (await lastOn(accountId, 'call')) as string;
      expect(last).toBe('2026-10-20');
      const before = await openTouches(accountId, 'call');
      const [cLo, cHi] = await nextWindow(last, 'C', 'call');
      expect((before[0] as string) >= cLo && (before[0] as string) <= cHi).toBe(true);

      const calls = await expectedSeries(accountId, 'call', 'B');
      const visits = await expectedSeries(accountId, 'visit', 'B');
      const account = await overrideTier(ctx, accountId, { tier: 'B', reason: 'Promoted by hand' });
      expect(account.tier).toBe('B');

      const after = await openTouches(accountId, 'call');
      expect(after).toEqual(calls);
      const [lo, hi] = await nextWindow(last, 'B', 'call');
      expect((after[0] as string) >= lo && (after[0] as string) <= hi).toBe(true);
      expect((after[0] as string) < (before[0] as string)).toBe(true);
      // Quarterly from then on, within ±20%.
      const b = await intervalOf('B', 'call');
      for (let k = 1; k < after.length; k++) {
        const gap = toDayNumber(after[k] as string) - toDayNumber(after[k - 1] as string);
        expect(gap).toBeGreaterThanOrEqual(0.8 * b);
        expect(gap).toBeLessThanOrEqual(1.2 * b);
      }
      // Visits follow B too.
      expect(await openTouches(accountId, 'visit')).toEqual(visits);
      expect(visits.length).toBeGreaterThan(0);
      const audit = await auditAfter(accountId);
      expect(audit.action).toBe('tier-override');
      expect(audit.after.replanned).toEqual({
        call: { touches: calls.length, next: calls[0] },
        visit: { touches: visits.length, next: visits[0] },
      });

      // Removing the override: the computed tier (C) again, and its cadence from the same last call.
      const backCalls = await expectedSeries(accountId, 'call', 'C');
      const cleared = await overrideTier(ctx, accountId, { tier: null, reason: 'Back to the computed tier' });
      expect(cleared.tier).toBe('C');
      const back = await openTouches(accountId, 'call');
      expect(back).toEqual(backCalls);
      expect((back[0] as string) >= cLo && (back[0] as string) <= cHi).toBe(true);
      expect((await auditAfter(accountId)).action).toBe('tier-override-removed');
    });

    it('a call already due at the new cadence is planned as early as possible from today', async () => {
      const accountId = cAccounts[1] as string;
      await logged(accountId, 'call', '2026-07-01');
      const expected = await expectedSeries(accountId, 'call', 'A');
      await overrideTier(ctx, accountId, { tier: 'A', reason: 'Big project coming' });
      const after = await openTouches(accountId, 'call');
      expect(after).toEqual(expected);
      // Due a month after 2026-07-01, long past: the first free working day from today on.
      expect((after[0] as string) >= TODAY).toBe(true);
      expect((after[0] as string) <= shiftDate(TODAY, 7)).toBe(true);
    });

    it('without a logged touch the series starts one interval after today', async () => {
      const accountId = cAccounts[2] as string;
      expect(await lastOn(accountId, 'call')).toBeNull();
      const expected = await expectedSeries(accountId, 'call', 'B');
      await overrideTier(ctx, accountId, { tier: 'B', reason: 'Promoted by hand' });
      const after = await openTouches(accountId, 'call');
      expect(after).toEqual(expected);
      const [lo, hi] = await nextWindow(TODAY, 'B', 'call');
      expect((after[0] as string) >= lo && (after[0] as string) <= hi).toBe(true);
    });

    it('leaves an account without planned touches as it is, and re-plans nothing when the tier stays', async () => {
      const created = await createAccount(ctx, makeAccountInput({ ownerId: repId }));
      // In the market as C, added after the plan was committed: it has no planned touch.
      await db()
        .updateTable('accounts')
        .set({ in_market: 1, tier: 'C' })
        .where('id', '=', created.id)
        .execute();
      await overrideTier(ctx, created.id, { tier: 'A', reason: 'Key account' });
      expect(await openTouches(created.id, 'call')).toEqual([]);
      expect(await openTouches(created.id, 'visit')).toEqual([]);
      expect((await auditAfter(created.id)).after.replanned).toBeUndefined();

      // A new reason for the same tier changes no touch.
      const accountId = cAccounts[3] as string;
      await overrideTier(ctx, accountId, { tier: 'C', reason: 'Stays C' });
      const calls = await openTouches(accountId, 'call');
      await overrideTier(ctx, accountId, { tier: 'C', reason: 'Stays C, really' });
      expect(await openTouches(accountId, 'call')).toEqual(calls);
      expect((await auditAfter(accountId)).after.replanned).toBeUndefined();
    });

    it('a bulk override re-plans each account whose tier changes', async () => {
      const ids = cAccounts.slice(4, 16);
      const result = await bulkOverrideTier(ctx, { ids, tier: 'B', reason: 'Promoted together' });
      expect(result.changed).toBe(12);
      const [lo, hi] = await nextWindow(TODAY, 'B', 'call');
      for (const id of ids) {
        const calls = await openTouches(id, 'call');
        expect((calls[0] as string) >= lo && (calls[0] as string) <= hi).toBe(true);
        const audit = await auditAfter(id);
        expect(audit.after.replanned.call.next).toBe(calls[0]);
      }
    });
  });
}
