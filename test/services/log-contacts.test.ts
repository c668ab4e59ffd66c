import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { shiftDate, toDayNumber } from '../../src/domain/calendar/local-date.ts';
import type { WorkingCalendar } from '../../src/domain/calendar/working-calendar.ts';
import { isAppError } from '../../src/domain/errors.ts';
import type { TLogTouch } from '../../src/schemas/plan-api.ts';
import { findAccounts } from '../../src/services/accounts.ts';
import { exportPlan } from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { getDashboard } from '../../src/services/dashboard.ts';
import { getGoals } from '../../src/services/goals.ts';
import { calendarFor, readCadenceRules } from '../../src/services/plan.ts';
import { planHealth } from '../../src/services/plan-health.ts';
import { getAgenda, logTouch } from '../../src/services/touches.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { newId } from '../../src/storage/ids.ts';
import { loadLastTouchesOf } from '../../src/storage/repositories/plan.ts';
import type { Channel, Outcome } from '../../src/storage/tables.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

/*
 * What a log does besides completing its planned touch (services/touches.ts, docs/figures.md "Contacts"), around
 * FIXED_NOW, Friday 2026-11-27 10:00 in Shanghai, for the rep of a plan running from 2026-10-01 for 12 months (A:
 * a call a month, a visit a quarter):
 *
 * - a call nobody answered is a call made but no contact: its retry is two working days on, coverage does not count
 *   it, and after the third unanswered call in a row the next one is a whole interval later;
 * - a meeting booked with `meetingAt` is a visit planned on that day at that time in place of the account's next
 *   visit, the visit cadence continuing from it; logging that visit completes it;
 * - a visit that reached someone covers the account's calls due by its day (skipped with the visit, not calls made).
 */

const TODAY = '2026-11-27';
const MINUTE = 60_000;
const at = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);

for (const dialect of DIALECTS) {
  describe(`what a log plans besides its own touch on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let now = FIXED_NOW;
    let calendar: WorkingCalendar;
    let callInterval: number;
    let visitInterval: number;
    const clock = () => now;
    const asRep = (): ServiceContext =>
      makeContext(tdb.db, { userId: people.rep.id, role: 'rep', teamId: people.teamA }, clock);
    const db = () => tdb.db.kysely;

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      const created = FIXED_NOW.toISOString();
      await db()
        .insertInto('plans')
        .values({
          id: newId(),
          rep_id: people.rep.id,
          starts_on: '2026-10-01',
          months: 12,
          settings: '{}',
          summary: '{}',
          accepted_overload: 0,
          created_by: null,
          created_at: created,
        })
        .execute();
      const settings = await readWorkspaceSettings(db());
      calendar = await calendarFor(db(), settings, people.rep.id);
      const cadence = resolveCadence(await readCadenceRules(db()));
      callInterval = intervalDays(cadence.A.call as number);
      visitInterval = intervalDays(cadence.A.visit as number);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** An A account of the rep in the market, with the given open touches and earlier logs. */
    async function account(
      name: string,
      touches: [Channel, string][],
      logs: [Channel, Outcome, string][] = [],
    ): Promise<{ id: string; touches: string[] }> {
      const id = newId();
      const created = FIXED_NOW.toISOString();
      await db()
        .insertInto('accounts')
        .values({
          id,
          name: `${name}有限公司`,
          normalized_name: name,
          province: '广东省',
          city: '深圳市',
          district: '南山区',
          in_market: 1,
          tier: 'A',
          stage: 'contacted',
          owner_id: people.rep.id,
          created_at: created,
          updated_at: created,
        })
        .execute();
      const ids: string[] = [];
      for (const [channel, dueOn] of touches) {
        const touchId = newId();
        ids.push(touchId);
        await db()
          .insertInto('planned_touches')
          .values({
            id: touchId,
            account_id: id,
            rep_id: people.rep.id,
            channel,
            due_on: dueOn,
            status: 'planned',
            created_at: created,
            updated_at: created,
          })
          .execute();
      }
      for (const [channel, outcome, occurredAt] of logs) {
        await db()
          .insertInto('activities')
          .values({
            id: newId(),
            account_id: id,
            user_id: people.rep.id,
            channel,
            occurred_at: new Date(occurredAt).toISOString(),
            outcome,
            objection_id: null,
            response_id: null,
            note: null,
            next_step: null,
            planned_touch_id: null,
            created_at: created,
          })
          .execute();
      }
      return { id, touches: ids };
    }

    const openTouches = (accountId: string, channel: Channel) =>
      db()
        .selectFrom('planned_touches')
        .select(['id', 'due_on', 'due_time'])
        .where('account_id', '=', accountId)
        .where('channel', '=', channel)
        .where('status', '=', 'planned')
        .orderBy('due_on')
        .execute();

    const log = (accountId: string, body: TLogTouch) => logTouch(asRep(), accountId, body);

    /** The refusal a log meets (an AppError's code and details), or null when it is logged. */
    async function refusal(accountId: string, body: TLogTouch) {
      try {
        await log(accountId, body);
        return null;
      } catch (error) {
        if (!isAppError(error)) throw error;
        return { code: error.code, field: (error.details as { field?: string } | undefined)?.field };
      }
    }

    const gap = (from: string, to: string) => toDayNumber(to) - toDayNumber(from);
    const secondWorkingDayAfter = (day: string) => calendar.nextWorkingDay(calendar.nextWorkingDay(day));

    it('retries a call nobody answered two working days on, counts it as a call made but not as a contact', async () => {
      now = FIXED_NOW;
      // Reached two months ago; the monthly call is 27 days overdue.
      const a = await account(
        '未接通客户',
        [
          ['call', '2026-10-31'],
          ['call', '2026-12-01'],
          ['call', '2026-12-31'],
        ],
        [['call', 'reached', '2026-09-30T10:00:00+08:00']],
      );
      const before = await getGoals(asRep(), { period: 'week' });
      const agendaBefore = await getAgenda(asRep(), {});

      const result = await log(a.id, { channel: 'call', outcome: 'no_answer' });
      expect(result.completedTouchId).toBe(a.touches[0]);
      expect(result.retry).toBe(true);
      const retry = secondWorkingDayAfter(TODAY);
      expect(retry).toBe('2026-12-01');
      const open = await openTouches(a.id, 'call');
      expect(open[0]?.due_on).toBe(retry);
      expect(result.nextTouches.map((t) => t.dueOn)).toEqual(open.map((t) => t.due_on));
      // The cadence goes on from the retry, as from a call made that day.
      const second = open[1]?.due_on as string;
      expect(gap(retry, second)).toBeGreaterThanOrEqual(Math.floor(0.8 * callInterval));
      expect(gap(retry, second)).toBeLessThanOrEqual(Math.ceil(1.2 * callInterval));

      // A call made (Today's and the goals' headline) …
      const agendaAfter = await getAgenda(asRep(), {});
      expect(agendaAfter.done.calls).toBe(agendaBefore.done.calls + 1);
      const after = await getGoals(asRep(), { period: 'week' });
      expect(after.actual.calls).toBe(before.actual.calls + 1);
      // … but not a contact: the account is no more covered than before, on the goals, the dashboard and its list.
      expect(after.coverage.A?.call.covered).toBe(before.coverage.A?.call.covered);
      const dashboard = await getDashboard(asRep(), {});
      const row = dashboard.coverage.find((c) => c.tier === 'A' && c.channel === 'call');
      expect(row?.covered).toBe(after.coverage.A?.call.covered);
      const uncovered = await findAccounts(asRep(), { uncovered: 'call', pageSize: 100 });
      expect(uncovered.items.map((x) => x.id)).toContain(a.id);
      // On the retry's day it is on the agenda.
      const onRetry = await getAgenda(asRep(), { date: retry });
      expect(onRetry.items.some((i) => i.accountId === a.id && i.channel === 'call')).toBe(true);
    });

    it('tries three times in a row, then calls again an interval later; a contact restarts the cadence from its day', async () => {
      now = FIXED_NOW;
      const a = await account('总不接客户', [
        ['call', '2026-11-20'],
        ['call', '2026-12-20'],
      ]);
      const first = await log(a.id, { channel: 'call', outcome: 'no_answer' });
      expect(first.retry).toBe(true);
      const retry1 = first.nextTouches[0]?.dueOn as string;
      expect(retry1).toBe(secondWorkingDayAfter(TODAY));

      now = at(retry1, '10:00');
      const second = await log(a.id, { channel: 'call', outcome: 'no_answer' });
      expect(second.retry).toBe(true);
      const retry2 = second.nextTouches[0]?.dueOn as string;
      expect(retry2).toBe(secondWorkingDayAfter(retry1));

      now = at(retry2, '10:00');
      const third = await log(a.id, { channel: 'call', outcome: 'no_answer' });
      // The round is over: the next call is the cadence's, about an interval after the third try.
      expect(third.retry).toBe(false);
      const next = third.nextTouches[0]?.dueOn as string;
      expect(gap(retry2, next)).toBeGreaterThanOrEqual(Math.floor(0.8 * callInterval));
      expect(gap(retry2, next)).toBeLessThanOrEqual(Math.ceil(1.2 * callInterval));

      // Reached earlier than planned (the next round's first call): the cadence continues from that day.
      const reachedOn = shiftDate(retry2, 7);
      now = at(reachedOn, '11:00');
      const reached = await log(a.id, { channel: 'call', outcome: 'reached' });
      expect(reached.retry).toBe(false);
      const after = reached.nextTouches[0]?.dueOn as string;
      expect(gap(reachedOn, after)).toBeGreaterThanOrEqual(Math.floor(0.8 * callInterval));
      expect(gap(reachedOn, after)).toBeLessThanOrEqual(Math.ceil(1.2 * callInterval));
      // And a no-answer after that contact starts a new round of tries.
      now = at(after, '10:00');
      const again = await log(a.id, { channel: 'call', outcome: 'no_answer' });
      expect(again.retry).toBe(true);
      expect(again.nextTouches[0]?.dueOn).toBe(secondWorkingDayAfter(after));
    });

    it('plans a booked meeting as a visit on its day and time in place of the next visit; logging it completes it', async () => {
      now = FIXED_NOW;
      const a = await account('约到会面客户', [
        ['call', '2026-11-10'],
        ['visit', '2026-12-10'],
        ['visit', '2027-03-10'],
        ['visit', '2027-06-10'],
      ]);
      const result = await log(a.id, {
        channel: 'call',
        outcome: 'meeting_booked',
        meetingAt: '2026-12-02T10:00',
      });
      expect(result.stage).toBe('meeting');
      expect(result.meeting).toEqual({
        id: expect.any(String),
        dueOn: '2026-12-02',
        dueTime: '10:00',
        day: { working: true, kind: 'workday', name: null },
      });
      const visits = await openTouches(a.id, 'visit');
      expect(visits[0]).toEqual({ id: result.meeting?.id, due_on: '2026-12-02', due_time: '10:00' });
      // The visit it replaced is gone (no second visit beside it); the cadence continues from the meeting.
      expect(visits.map((v) => v.id)).not.toContain(undefined);
      expect(visits.some((v) => v.due_on === '2026-12-10')).toBe(false);
      for (let k = 1; k < visits.length; k++) {
        const g = gap(visits[k - 1]?.due_on as string, visits[k]?.due_on as string);
        expect(g).toBeGreaterThanOrEqual(Math.floor(0.8 * visitInterval));
        expect(g).toBeLessThanOrEqual(Math.ceil(1.2 * visitInterval));
      }
      // On the agenda of that day and in the plan's export, with its time.
      const agenda = await getAgenda(asRep(), { date: '2026-12-02' });
      const item = agenda.items.find((i) => i.accountId === a.id && i.channel === 'visit');
      expect(item?.dueTime).toBe('10:00');
      const csv = await exportPlan(asRep(), 'csv', { from: '2026-12-02', to: '2026-12-03' });
      expect(csv.body).toContain(`2026-12-02,10:00,visit,${a.id}`);

      // Logging the visit that day completes it as any planned visit.
      now = at('2026-12-02', '11:30');
      const visit = await log(a.id, { channel: 'visit', outcome: 'reached' });
      expect(visit.completedTouchId).toBe(result.meeting?.id);
    });

    it('keeps a booked meeting when a visit is logged before its day, and books a meeting on a day off with its day said', async () => {
      now = FIXED_NOW;
      const a = await account('先拜访客户', [['visit', '2026-12-20']]);
      const booked = await log(a.id, {
        channel: 'call',
        outcome: 'meeting_booked',
        meetingAt: '2026-12-09T15:00',
      });
      const before = await openTouches(a.id, 'visit');
      // An unplanned visit today, before the meeting: it does not complete the meeting, which stays as booked.
      const visit = await log(a.id, { channel: 'visit', outcome: 'reached' });
      expect(visit.completedTouchId).toBeNull();
      const after = await openTouches(a.id, 'visit');
      expect(after[0]).toEqual({ id: booked.meeting?.id, due_on: '2026-12-09', due_time: '15:00' });
      expect(after).toEqual(before);

      // Saturday: allowed, and said to be a weekend.
      const b = await account('周末会面客户', [['visit', '2027-01-15']]);
      const weekend = await log(b.id, {
        channel: 'visit',
        outcome: 'meeting_booked',
        meetingAt: '2026-12-05',
      });
      expect(weekend.meeting).toMatchObject({
        dueOn: '2026-12-05',
        dueTime: null,
        day: { working: false, kind: 'weekend' },
      });
      expect((await openTouches(b.id, 'visit'))[0]?.due_on).toBe('2026-12-05');
    });

    it('refuses a meeting in the past, too far ahead or without the outcome meeting booked', async () => {
      now = FIXED_NOW;
      const a = await account('会面校验客户', [['visit', '2026-12-20']]);
      const open = await openTouches(a.id, 'visit');
      // 10:00 now: 09:30 today has passed, yesterday too.
      for (const meetingAt of ['2026-11-27T09:30', '2026-11-26', '2027-11-28']) {
        expect(await refusal(a.id, { channel: 'call', outcome: 'meeting_booked', meetingAt })).toEqual({
          code: 'validation_failed',
          field: 'meetingAt',
        });
      }
      expect(
        await refusal(a.id, { channel: 'call', outcome: 'reached', meetingAt: '2026-12-02T10:00' }),
      ).toEqual({ code: 'validation_failed', field: 'meetingAt' });
      // Nothing was logged or moved.
      expect(await openTouches(a.id, 'visit')).toEqual(open);
      const logs = await db().selectFrom('activities').select('id').where('account_id', '=', a.id).execute();
      expect(logs).toEqual([]);
      // Later today is fine.
      now = new Date(FIXED_NOW.getTime() + MINUTE);
      const today = await log(a.id, {
        channel: 'call',
        outcome: 'meeting_booked',
        meetingAt: '2026-11-27T16:00',
      });
      expect(today.meeting?.dueOn).toBe(TODAY);
    });

    it('lets a visit that reached someone cover the calls due by its day, without counting a call made', async () => {
      now = FIXED_NOW;
      const a = await account('拜访顶电话客户', [
        ['call', '2026-11-11'],
        ['call', '2026-12-11'],
        ['visit', TODAY],
      ]);
      const agendaBefore = await getAgenda(asRep(), {});
      expect(agendaBefore.items.some((i) => i.accountId === a.id && i.channel === 'call' && i.overdue)).toBe(
        true,
      );

      const result = await log(a.id, { channel: 'visit', outcome: 'reached' });
      expect(result.coveredCalls).toEqual([{ id: a.touches[0], dueOn: '2026-11-11' }]);
      const covered = await db()
        .selectFrom('planned_touches')
        .select(['status', 'activity_id'])
        .where('id', '=', a.touches[0] as string)
        .executeTakeFirstOrThrow();
      expect(covered).toEqual({ status: 'skipped', activity_id: result.activity.id });

      const agenda = await getAgenda(asRep(), {});
      expect(agenda.items.some((i) => i.accountId === a.id)).toBe(false);
      expect(agenda.counts.overdue).toBe(agendaBefore.counts.overdue - 1);
      expect(agenda.done).toEqual({ calls: agendaBefore.done.calls, visits: agendaBefore.done.visits + 1 });
      // The call cadence continues from the visit.
      const calls = await openTouches(a.id, 'call');
      const next = calls[0]?.due_on as string;
      expect(gap(TODAY, next)).toBeGreaterThanOrEqual(Math.floor(0.8 * callInterval));
      expect(gap(TODAY, next)).toBeLessThanOrEqual(Math.ceil(1.2 * callInterval));
      expect(calls.map((c) => c.id)).toContain(a.touches[1]);
      // The planner and plan health see the visit as the calls' last touch: the plan stays in step for the account
      // (the rep's accounts judged in memory, every account in SQL), and a new plan would go on from the visit too.
      expect((await loadLastTouchesOf(db(), [a.id])).get(a.id)?.call).toBe(result.activity.occurredAt);
      const system = makeContext(tdb.db, { userId: null, role: 'system' }, clock);
      for (const health of [await planHealth(asRep(), {}), await planHealth(system, {})]) {
        expect(health.plan).not.toBeNull();
        expect(health.accounts.filter((x) => x.id === a.id)).toEqual([]);
      }

      // Nobody met: the call stays due.
      const b = await account('拜访未见客户', [
        ['call', '2026-11-11'],
        ['visit', TODAY],
      ]);
      const missed = await log(b.id, { channel: 'visit', outcome: 'no_answer' });
      expect(missed.coveredCalls).toEqual([]);
      expect((await openTouches(b.id, 'call'))[0]?.due_on).toBe('2026-11-11');
    });
  });
}
