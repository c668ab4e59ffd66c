import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { shiftDate, toDayNumber } from '../../src/domain/calendar/local-date.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { calendarFor, readCadenceRules } from '../../src/services/plan.ts';
import { logTouch } from '../../src/services/touches.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's plans run from 2026-10-30 for 12 months.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

/*
 * A touch logged with a back-dated `at` (CLI `log --at`, the API, the web form) re-plans its channel from the log
 * date, but nothing before today (the workspace's, in its time zone): a next touch the log date makes due in the
 * past is due on the first working day from today with room, and the series continues from there. A log dated
 * before another one already logged on the channel is history: it completes no planned touch and moves none.
 */
for (const dialect of DIALECTS) {
  describe(`a back-dated log re-plans nothing before today on ${dialect.name}`, () => {
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

    const db = () => tdb.db.kysely;

    /** The first working day of the rep from today on where the other accounts' open calls leave room. */
    async function firstDayWithRoom(accountId: string): Promise<string> {
      const settings = await readWorkspaceSettings(db());
      const calendar = await calendarFor(db(), settings, repId);
      const rep = await db()
        .selectFrom('users')
        .select('calls_per_day')
        .where('id', '=', repId)
        .executeTakeFirstOrThrow();
      const capacity = rep.calls_per_day ?? settings.capacity.callsPerDay;
      for (let day = TODAY; ; day = shiftDate(day, 1)) {
        if (!calendar.isWorkingDay(day)) continue;
        const row = await db()
          .selectFrom('planned_touches')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('rep_id', '=', repId)
          .where('channel', '=', 'call')
          .where('status', '=', 'planned')
          .where('due_on', '=', day)
          .where('account_id', '!=', accountId)
          .executeTakeFirstOrThrow();
        if (Number(row.n) < capacity) return day;
      }
    }

    /** The account's open planned calls, earliest first. */
    const openCalls = (accountId: string) =>
      db()
        .selectFrom('planned_touches')
        .select(['id', 'due_on', 'updated_at'])
        .where('account_id', '=', accountId)
        .where('channel', '=', 'call')
        .where('status', '=', 'planned')
        .orderBy('due_on')
        .execute();

    /** Consecutive days follow the cadence's interval within ±20%. */
    function expectCadenceGaps(days: readonly string[], interval: number) {
      for (let k = 1; k < days.length; k++) {
        const gap = toDayNumber(days[k] as string) - toDayNumber(days[k - 1] as string);
        expect(gap).toBeGreaterThanOrEqual(0.8 * interval);
        expect(gap).toBeLessThanOrEqual(1.2 * interval);
      }
    }

    /** An A account of the rep with open calls and no call logged on or after `since`: the first or last by id. */
    function aAccountWithOpenCalls(since: string, order: 'asc' | 'desc') {
      return db()
        .selectFrom('accounts as a')
        .select('a.id')
        .where('a.owner_id', '=', repId)
        .where('a.tier', '=', 'A')
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
                .selectFrom('activities as l')
                .select('l.id')
                .whereRef('l.account_id', '=', 'a.id')
                .where('l.channel', '=', 'call')
                .where('l.occurred_at', '>=', since),
            ),
          ),
        )
        .orderBy('a.id', order)
        .executeTakeFirstOrThrow();
    }

    it('a next call the log date makes due in the past is due on the first working day from today with room', async () => {
      // Logged 45 days ago: A's monthly call would have been due about two weeks ago.
      const at = shiftDate(TODAY, -45);
      // An A account with open calls and no call logged since that day (the re-plan continues from the latest log).
      const account = await aAccountWithOpenCalls(at, 'asc');
      const interval = intervalDays(resolveCadence(await readCadenceRules(db())).A.call as number);
      expect(toDayNumber(at) + 1.2 * interval < toDayNumber(TODAY)).toBe(true);
      const expectedFirst = await firstDayWithRoom(account.id);

      const result = await logTouch(ctx, account.id, { channel: 'call', outcome: 'reached', at });
      expect(result.activity.occurredAt.slice(0, 10)).toBe(at);
      const next = result.nextTouches.map((t) => t.dueOn);
      expect(next.length).toBeGreaterThan(0);
      expect(next[0]).toBe(expectedFirst);
      expect(next.every((d) => d >= TODAY)).toBe(true);
      // The calls after it follow the monthly cadence from where it landed (±20%).
      expectCadenceGaps(next, interval);
      // What is stored is what the log answered.
      expect((await openCalls(account.id)).map((r) => r.due_on)).toEqual(next);
    });

    it('a log back-dated before a newer log on the channel is history: it completes and moves nothing', async () => {
      // An A account with open calls and no call logged in the last 20 days (the other test's is the first by id).
      const account = await aAccountWithOpenCalls(shiftDate(TODAY, -20), 'desc');
      const interval = intervalDays(resolveCadence(await readCadenceRules(db())).A.call as number);
      // Today's call is logged first; then last week's paper notes, dated 20 days ago.
      await logTouch(ctx, account.id, { channel: 'call', outcome: 'reached' });
      const at = shiftDate(TODAY, -20);
      // From 20 days ago the next call's window would end before the window from today starts.
      expect(toDayNumber(at) + 1.2 * interval < toDayNumber(TODAY) + 0.8 * interval).toBe(true);

      const before = await openCalls(account.id);
      const result = await logTouch(ctx, account.id, { channel: 'call', outcome: 'no_answer', at });
      expect(result.activity.occurredAt.slice(0, 10)).toBe(at);
      // Recorded, but it fulfils no planned call (the next one was planned after today's call, for later) and
      // leaves every open call as it was: same rows, same days, not rewritten.
      expect(result.completedTouchId).toBeNull();
      expect(result.activity.plannedTouchId).toBeNull();
      expect(await openCalls(account.id)).toEqual(before);
      expect(result.nextTouches).toEqual(before.map((t) => ({ id: t.id, channel: 'call', dueOn: t.due_on })));
      const next = result.nextTouches.map((t) => t.dueOn);
      expect(next.length).toBeGreaterThan(0);
      // The next call falls in the window of A's monthly cadence (±20%) after today's call, not after the old one.
      const first = toDayNumber(next[0] as string) - toDayNumber(TODAY);
      expect(first).toBeGreaterThanOrEqual(Math.ceil(0.8 * interval));
      expect(first).toBeLessThanOrEqual(Math.floor(1.2 * interval));
      expectCadenceGaps(next, interval);
      expect((await openCalls(account.id)).map((r) => r.due_on)).toEqual(next);
    });
  });
}
