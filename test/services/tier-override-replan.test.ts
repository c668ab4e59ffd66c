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
import { calendarFor, planHorizonEnd, readCadenceRules } from '../../src/services/plan.ts';
import { logTouch } from '../../src/services/touches.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';
import { overrideTierAsRead } from '../helpers/tier-override.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's plans run from 2026-10-30 for 12 months.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

/*
 * Overriding an account's tier by hand (or removing the override) re-plans its open touches on the new tier's
 * cadence in the same transaction (services/market.ts applyTierOverrides → services/touches.ts replanTierChanges),
 * as a logged touch re-plans its channel, nothing before today, the rep's other touches respected. Where the new
 * series starts (domain/plan/tier-change.ts, tierChangeStart):
 * - the anchor is the last logged touch on the channel; without one, today or, if earlier, the next open touch's
 *   date minus the new interval (so the first target is never later than the touch already planned);
 * - the next open touch stays where it is when it lies in the new first window (anchor + interval ±20%, from today);
 * - otherwise the planner places the series from the anchor, on a promotion no later than the next open touch.
 * What it stores must be the series the planner gives for the new tier from there.
 */
for (const dialect of DIALECTS) {
  describe(`a manual tier change re-plans the account's open touches on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;
    /** The rep's C accounts with open calls and no logged call, by id; the first 16 are taken by index. */
    let cAccounts: string[];
    /** Accounts a test has taken (see take). */
    const used = new Set<string>();

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      repId = await demoUserId(tdb);
      cAccounts = await untouchedCAccounts();
      expect(cAccounts.length).toBeGreaterThanOrEqual(16);
      for (const id of cAccounts.slice(0, 16)) used.add(id);
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

    /**
     * The rep's accounts of `tier` (computed, no override) never touched (no logged call or visit) with open calls and
     * visits, by id.
     */
    async function neverTouched(tier: TTier): Promise<string[]> {
      const rows = await db()
        .selectFrom('accounts as a')
        .select('a.id')
        .where('a.owner_id', '=', repId)
        .where('a.tier', '=', tier)
        .where('a.tier_override', 'is', null)
        .where((eb) =>
          eb.not(
            eb.exists(eb.selectFrom('activities as x').select('x.id').whereRef('x.account_id', '=', 'a.id')),
          ),
        )
        .orderBy('a.id')
        .execute();
      const ids: string[] = [];
      for (const r of rows) {
        if ((await openTouches(r.id, 'call')).length && (await openTouches(r.id, 'visit')).length)
          ids.push(r.id);
      }
      return ids;
    }

    /** The first `n` accounts of `candidates` no other test took for which `fits` holds; taken. */
    async function take(
      candidates: readonly string[],
      n: number,
      fits: (id: string) => Promise<boolean>,
    ): Promise<string[]> {
      const taken: string[] = [];
      for (const id of candidates) {
        if (taken.length === n) break;
        if (!used.has(id) && (await fits(id))) taken.push(id);
      }
      expect(taken).toHaveLength(n);
      for (const id of taken) used.add(id);
      return taken;
    }

    /** The next open touch on the channel (the earliest), or null. */
    async function nextOpen(accountId: string, channel: TChannel): Promise<string | null> {
      return (await openTouches(accountId, channel))[0] ?? null;
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
     * The series the planner gives the account on the channel at `tier` from the stored state: from `anchor` (by
     * default its last logged touch, today without one) as from a last touch, nothing before today, the first touch
     * no later than `firstBy` when given, seeing the rep's other open touches of the first touch's window (the whole
     * calendar weeks for visits), as the re-plan reads them.
     */
    async function expectedSeries(
      accountId: string,
      channel: TChannel,
      tier: TTier,
      options: { anchor?: string; firstBy?: string } = {},
    ): Promise<string[]> {
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
      const last = options.anchor ?? (await lastOn(accountId, channel)) ?? TODAY;
      const overdue = toDayNumber(last) + interval < toDayNumber(TODAY);
      let from = overdue
        ? TODAY
        : ([TODAY, shiftDate(last, Math.ceil(0.8 * interval - 1e-9))].sort()[1] as string);
      let to = overdue
        ? shiftDate(TODAY, Math.floor(interval))
        : shiftDate(last, Math.floor(1.2 * interval + 1e-9));
      if (to >= until) to = shiftDate(until, -1);
      if (options.firstBy && to > options.firstBy) to = options.firstBy;
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
        ...(options.firstBy ? { firstBy: options.firstBy } : {}),
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

    /**
     * The series the anchor rule gives the account on the channel when its tier goes from `from` to `to`, from the
     * stored state (tierChangeStart's rule restated; planned touches lie on working days):
     * - anchor: the last logged touch; without one, today or, if earlier, the next open touch's date minus the new
     *   interval (its whole days);
     * - a next open touch from today on in the first window from the anchor (0.8 to 1.2 intervals after it) stays;
     * - otherwise the planner's series from the anchor, except on a promotion whose window does not end before the
     *   next touch: a next touch before the window stays, and a series already due is placed no later than it.
     */
    async function expectedAfterChange(
      accountId: string,
      channel: TChannel,
      from: TTier,
      to: TTier,
    ): Promise<string[]> {
      const interval = await intervalOf(to, channel);
      const promotion = interval < (await intervalOf(from, channel));
      const next = await nextOpen(accountId, channel);
      const last = await lastOn(accountId, channel);
      if (next === null) return expectedSeries(accountId, channel, to);
      const back = shiftDate(next, -Math.floor(interval));
      const anchor = last ?? (back < TODAY ? back : TODAY);
      const overdue = toDayNumber(anchor) + interval < toDayNumber(TODAY);
      const [lo, hi] = await nextWindow(anchor, to, channel);
      const kept = () => keptSeries(accountId, channel, to, next);
      if (!overdue && next >= lo && next <= hi) return kept();
      if (!promotion || (!overdue && next > hi)) return expectedSeries(accountId, channel, to, { anchor });
      if (!overdue && next >= TODAY) return kept();
      const firstBy = next >= TODAY ? { firstBy: next } : {};
      const earlier = [back, anchor].sort()[0] as string;
      return expectedSeries(accountId, channel, to, { anchor: earlier, ...firstBy });
    }

    /**
     * The series a kept next touch gives: that touch, then the planner's series from it as from a last touch.
     */
    async function keptSeries(accountId: string, channel: TChannel, tier: TTier, next: string) {
      return [next, ...(await expectedSeries(accountId, channel, tier, { anchor: next }))];
    }

    /** Consecutive touches within ±20% of the tier's interval on the channel. */
    async function expectSpacing(touches: readonly string[], tier: TTier, channel: TChannel) {
      const interval = await intervalOf(tier, channel);
      for (let k = 1; k < touches.length; k++) {
        const gap = toDayNumber(touches[k] as string) - toDayNumber(touches[k - 1] as string);
        expect(gap).toBeGreaterThanOrEqual(0.8 * interval);
        expect(gap).toBeLessThanOrEqual(1.2 * interval);
      }
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

      // The call follows its last log; the visits (this account may never have been visited) follow the anchor rule.
      const calls = await expectedSeries(accountId, 'call', 'B');
      expect(await expectedAfterChange(accountId, 'call', 'C', 'B')).toEqual(calls);
      const visits = await expectedAfterChange(accountId, 'visit', 'C', 'B');
      const account = await overrideTierAsRead(ctx, accountId, { tier: 'B', reason: 'Promoted by hand' });
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
      expect(await expectedAfterChange(accountId, 'call', 'B', 'C')).toEqual(backCalls);
      const cleared = await overrideTierAsRead(ctx, accountId, {
        tier: null,
        reason: 'Back to the computed tier',
      });
      expect(cleared.tier).toBe('C');
      const back = await openTouches(accountId, 'call');
      expect(back).toEqual(backCalls);
      expect((back[0] as string) >= cLo && (back[0] as string) <= cHi).toBe(true);
      expect((await auditAfter(accountId)).action).toBe('tier-override-removed');
    });

    it('a call already due at the new cadence is planned as early as possible from today, never after the next call', async () => {
      const accountId = cAccounts[1] as string;
      const next = (await nextOpen(accountId, 'call')) as string;
      expect(next >= TODAY).toBe(true);
      await logged(accountId, 'call', '2026-07-01');
      // Changed with the anchor rule: a promotion's first call is also no later than the call already planned (the
      // window of "as early as possible" ends there), so the expected series is the planner's with firstBy = next.
      const expected = await expectedSeries(accountId, 'call', 'A', { firstBy: next });
      await overrideTierAsRead(ctx, accountId, { tier: 'A', reason: 'Big project coming' });
      const after = await openTouches(accountId, 'call');
      expect(after).toEqual(expected);
      // Due a month after 2026-07-01, long past: the first free working day from today on.
      expect((after[0] as string) >= TODAY).toBe(true);
      expect((after[0] as string) <= shiftDate(TODAY, 7)).toBe(true);
      expect((after[0] as string) <= next).toBe(true);
    });

    it('without a logged touch, a next call beyond the new first window comes forward to one new interval after today', async () => {
      // Changed with the anchor rule (it was "the series starts one interval after today" for any account without a
      // logged call, which moved a call due sooner later): the anchor is today only when the next call lies more
      // than one new interval ahead, and the call comes forward only when it lies beyond the new first window (more
      // than 1.2 intervals ahead); one inside it stays (next test).
      const b = await intervalOf('B', 'call');
      const [accountId] = (await take(cAccounts.slice(16), 1, async (id) => {
        const next = await nextOpen(id, 'call');
        return next !== null && next > shiftDate(TODAY, Math.floor(1.2 * b));
      })) as [string];
      expect(await lastOn(accountId, 'call')).toBeNull();
      const before = (await nextOpen(accountId, 'call')) as string;
      const expected = await expectedSeries(accountId, 'call', 'B');
      await overrideTierAsRead(ctx, accountId, { tier: 'B', reason: 'Promoted by hand' });
      const after = await openTouches(accountId, 'call');
      expect(after).toEqual(expected);
      const [lo, hi] = await nextWindow(TODAY, 'B', 'call');
      expect((after[0] as string) >= lo && (after[0] as string) <= hi).toBe(true);
      expect((after[0] as string) < before).toBe(true);
    });

    it('promoting an account never touched never delays its next call or visit (one due within the new interval stays)', async () => {
      // Accounts whose next call is due sooner than the B window from today (0.8 intervals): anchored at today, as
      // before the anchor rule, it moved later (the demo's 2026-12-14 call to 2027-03-02); so did a visit due sooner
      // than B's visit window.
      const bCall = await intervalOf('B', 'call');
      const ids = await take(await neverTouched('C'), 3, async (id) => {
        const call = await nextOpen(id, 'call');
        const visit = await nextOpen(id, 'visit');
        return (
          call !== null &&
          visit !== null &&
          call >= TODAY &&
          visit >= TODAY &&
          call < shiftDate(TODAY, Math.ceil(0.8 * bCall))
        );
      });
      const before = new Map<string, Record<TChannel, string[]>>();
      const expected = new Map<TChannel, string[]>();
      for (const id of ids) {
        before.set(id, { call: await openTouches(id, 'call'), visit: await openTouches(id, 'visit') });
      }
      // One alone (its series checked against the rule's, from the state before the bulk moves others' touches
      // near it), the others in bulk.
      const single = ids[0] as string;
      for (const channel of ['call', 'visit'] as const) {
        expected.set(channel, await expectedAfterChange(single, channel, 'C', 'B'));
      }
      await overrideTierAsRead(ctx, single, { tier: 'B', reason: 'Promoted by hand' });
      for (const channel of ['call', 'visit'] as const) {
        expect(await openTouches(single, channel)).toEqual(expected.get(channel));
      }
      const result = await bulkOverrideTier(ctx, {
        ids: ids.slice(1),
        tier: 'B',
        reason: 'Promoted together',
      });
      expect(result.changed).toBe(ids.length - 1);
      for (const id of ids) {
        for (const channel of ['call', 'visit'] as const) {
          const was = before.get(id)?.[channel] as string[];
          const next = was[0] as string;
          const after = await openTouches(id, channel);
          const interval = await intervalOf('B', channel);
          // Not delayed: a next touch within 1.2 B intervals of today stays (it lies in the B window anchored one
          // interval before it, or at today), a later one comes forward into the B window from today; B's cadence
          // follows.
          if (next <= shiftDate(TODAY, Math.floor(1.2 * interval))) expect(after[0]).toBe(next);
          else expect((after[0] as string) < next).toBe(true);
          await expectSpacing(after, 'B', channel);
          expect(after.length).toBeGreaterThanOrEqual(was.length);
        }
      }
    });

    it('demoting an account never touched keeps the date of its next call and visit', async () => {
      // Anchored at today, as before the anchor rule, the next call of a B account moved to half a year from today.
      const ids = await take(await neverTouched('B'), 3, async (id) => {
        const call = await nextOpen(id, 'call');
        const visit = await nextOpen(id, 'visit');
        return call !== null && visit !== null && call >= TODAY && visit >= TODAY;
      });
      const before = new Map<string, Record<TChannel, string>>();
      for (const id of ids) {
        before.set(id, {
          call: (await nextOpen(id, 'call')) as string,
          visit: (await nextOpen(id, 'visit')) as string,
        });
      }
      const single = ids[0] as string;
      await overrideTierAsRead(ctx, single, { tier: 'C', reason: 'Demoted by hand' });
      for (const channel of ['call', 'visit'] as const) {
        const next = before.get(single)?.[channel] as string;
        expect(await openTouches(single, channel)).toEqual(await keptSeries(single, channel, 'C', next));
      }
      await bulkOverrideTier(ctx, { ids: ids.slice(1), tier: 'C', reason: 'Demoted together' });
      for (const id of ids) {
        for (const channel of ['call', 'visit'] as const) {
          const next = before.get(id)?.[channel] as string;
          const after = await openTouches(id, channel);
          expect(after[0]).toBe(next);
          await expectSpacing(after, 'C', channel);
        }
        const audit = await auditAfter(id);
        expect(audit.after.replanned.call.next).toBe(before.get(id)?.call);
        expect(audit.after.replanned.visit.next).toBe(before.get(id)?.visit);
      }
    });

    it('C to B and back to C loses no touch that was inside the horizon', async () => {
      // Anchored at today, as before the anchor rule, back at C the next visit of an account never visited was a year
      // from today, past the plan's horizon: its visit was gone.
      const until = (await planHorizonEnd(db(), repId)) as string;
      const [accountId] = (await take(await neverTouched('C'), 1, async (id) => {
        const call = await nextOpen(id, 'call');
        const visit = await nextOpen(id, 'visit');
        return call !== null && visit !== null && call >= TODAY && visit >= TODAY;
      })) as [string];
      const calls = await openTouches(accountId, 'call');
      const visits = await openTouches(accountId, 'visit');
      expect(visits.every((v) => v < until)).toBe(true);

      await overrideTierAsRead(ctx, accountId, { tier: 'B', reason: 'Promoted by hand' });
      const bCalls = await openTouches(accountId, 'call');
      const bVisits = await openTouches(accountId, 'visit');
      expect((bCalls[0] as string) <= (calls[0] as string)).toBe(true);
      expect((bVisits[0] as string) <= (visits[0] as string)).toBe(true);

      await overrideTierAsRead(ctx, accountId, { tier: null, reason: 'Back to the computed tier' });
      const backCalls = await openTouches(accountId, 'call');
      const backVisits = await openTouches(accountId, 'visit');
      // Back at C the next touches keep the dates B gave them, and none of the touches C had is lost.
      expect(backCalls[0]).toBe(bCalls[0]);
      expect(backVisits[0]).toBe(bVisits[0]);
      expect(backCalls.length).toBeGreaterThanOrEqual(calls.length);
      expect(backVisits.length).toBeGreaterThanOrEqual(visits.length);
      expect(backCalls).toEqual(await keptSeries(accountId, 'call', 'C', bCalls[0] as string));
      expect(backVisits).toEqual(await keptSeries(accountId, 'visit', 'C', bVisits[0] as string));
    });

    it('a visit series already due at the new cadence is what the planner gives with the places of the other visits read', async () => {
      // An overdue series' first window spans a whole interval from today, so its second visit may land in it too:
      // the re-plan reads the places of the days it picks for any touch, not only the first (bookedInWindow).
      const ids = await take(
        await neverTouched('C'),
        5,
        async (id) => (await nextOpen(id, 'visit')) !== null,
      );
      for (const id of ids) {
        // Visited a year and a half ago: due long before today at B's half-yearly cadence.
        await logged(id, 'visit', '2025-06-02');
        const expected = await expectedAfterChange(id, 'visit', 'C', 'B');
        await overrideTierAsRead(ctx, id, { tier: 'B', reason: 'Promoted by hand' });
        const after = await openTouches(id, 'visit');
        expect(after).toEqual(expected);
        expect(after.length).toBeGreaterThanOrEqual(2);
        expect((after[0] as string) >= TODAY).toBe(true);
      }
    });

    it('leaves an account without planned touches as it is, and re-plans nothing when the tier stays', async () => {
      const created = await createAccount(ctx, makeAccountInput({ ownerId: repId }));
      // In the market as C, added after the plan was committed: it has no planned touch.
      await db()
        .updateTable('accounts')
        .set({ in_market: 1, tier: 'C' })
        .where('id', '=', created.id)
        .execute();
      await overrideTierAsRead(ctx, created.id, { tier: 'A', reason: 'Key account' });
      expect(await openTouches(created.id, 'call')).toEqual([]);
      expect(await openTouches(created.id, 'visit')).toEqual([]);
      expect((await auditAfter(created.id)).after.replanned).toBeUndefined();

      // A new reason for the same tier changes no touch.
      const accountId = cAccounts[3] as string;
      await overrideTierAsRead(ctx, accountId, { tier: 'C', reason: 'Stays C' });
      const calls = await openTouches(accountId, 'call');
      await overrideTierAsRead(ctx, accountId, { tier: 'C', reason: 'Stays C, really' });
      expect(await openTouches(accountId, 'call')).toEqual(calls);
      expect((await auditAfter(accountId)).after.replanned).toBeUndefined();
    });

    it('a bulk override re-plans each account whose tier changes', async () => {
      const ids = cAccounts.slice(4, 16);
      const before = new Map<string, string>();
      for (const id of ids) before.set(id, (await nextOpen(id, 'call')) as string);
      const result = await bulkOverrideTier(ctx, { ids, tier: 'B', reason: 'Promoted together' });
      expect(result.changed).toBe(12);
      // Changed with the anchor rule (every next call was expected in the B window from today): a next call within
      // 1.2 B intervals of today stays, a later one comes forward into that window; none moves later.
      const b = await intervalOf('B', 'call');
      const [lo, hi] = await nextWindow(TODAY, 'B', 'call');
      const calendar = await calendarFor(db(), await readWorkspaceSettings(db()), repId);
      let nextWorkingDay = shiftDate(TODAY, 1);
      while (!calendar.isWorkingDay(nextWorkingDay)) nextWorkingDay = shiftDate(nextWorkingDay, 1);
      for (const id of ids) {
        const next = before.get(id) as string;
        const calls = await openTouches(id, 'call');
        // A call already overdue (missed): as early as possible from today.
        if (next < TODAY) expect(calls[0] === TODAY || calls[0] === nextWorkingDay).toBe(true);
        else if (next <= shiftDate(TODAY, Math.floor(1.2 * b))) expect(calls[0]).toBe(next);
        else expect((calls[0] as string) >= lo && (calls[0] as string) <= hi).toBe(true);
        expect((calls[0] as string) <= (next < TODAY ? nextWorkingDay : next)).toBe(true);
        const audit = await auditAfter(id);
        expect(audit.after.replanned.call.next).toBe(calls[0]);
      }
    });
  });
}
