import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { daysBetween } from '../../src/domain/calendar/local-date.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { getDaysOff, setDaysOff } from '../../src/services/calendar.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { calendarFor, readCadenceRules } from '../../src/services/plan.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';
import { signIn } from '../helpers/session.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's reps work plans committed four weeks back, some touches missed.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

interface Touch {
  id: string;
  account_id: string;
  channel: 'call' | 'visit';
  due_on: string;
  rep_id: string | null;
  tier: 'A' | 'B' | 'C' | null;
}

/*
 * Nothing lands on a rep's non-working day (method §3): setting days off (or another holiday schedule) moves the rep's
 * open planned touches due from today on the days now off to working days, in the same save, each on the planner's
 * choice within its window (at least 0.8 intervals from the touches around it); every other touch stays, overdue
 * ones too, and the answer says how many moved.
 */
for (const dialect of DIALECTS) {
  describe(`days off move the touches planned on them on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let liNa: string;
    let app: AppInstance;

    /** Every open planned touch, with its account's tier. */
    const openTouches = async (): Promise<Touch[]> =>
      (await tdb.db.kysely
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select(['t.id', 't.account_id', 't.channel', 't.due_on', 't.rep_id', 'a.tier'])
        .where('t.status', '=', 'planned')
        .orderBy('t.due_on')
        .orderBy('t.id')
        .execute()) as Touch[];

    /** Li Na's open touches from today on, per day. */
    const busiestDays = async (n: number, from: string, to: string) => {
      const perDay = new Map<string, number>();
      for (const t of await openTouches())
        if (t.rep_id === liNa && t.due_on >= from && t.due_on < to)
          perDay.set(t.due_on, (perDay.get(t.due_on) ?? 0) + 1);
      return [...perDay].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
    };

    /** Every moved touch lies at least 0.8 intervals from the open touches before and after it on its channel. */
    async function expectSpaced(moved: readonly Touch[]) {
      const cadence = resolveCadence(await readCadenceRules(tdb.db.kysely));
      const all = await openTouches();
      for (const t of moved) {
        if (!t.tier) continue;
        const interval = intervalDays(cadence[t.tier][t.channel] as number);
        const series = all.filter((o) => o.account_id === t.account_id && o.channel === t.channel);
        const i = series.findIndex((o) => o.id === t.id);
        for (const other of [series[i - 1], series[i + 1]]) {
          if (!other) continue;
          expect(Math.abs(daysBetween(other.due_on, t.due_on))).toBeGreaterThanOrEqual(
            Math.floor(0.8 * interval),
          );
        }
      }
    }

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      liNa = await demoUserId(tdb);
      app = await buildApp(tdb.db, { now: () => NOW, webRoot: '/nonexistent' });
    });
    afterAll(async () => {
      await app?.close();
      await tdb.cleanup();
    });

    it('moves the open touches planned on new days off to working days, the others staying, overdue ones too', async () => {
      const days = (await busiestDays(2, '2026-12-01', '2026-12-12')).map(([day]) => day);
      expect(days).toHaveLength(2);
      const before = await openTouches();
      const onDays = before.filter((t) => t.rep_id === liNa && days.includes(t.due_on));
      expect(onDays.length).toBeGreaterThan(1);
      // A day in the past with a touch missed on it: overdue, it stays on Today.
      const overdue = before.find((t) => t.rep_id === liNa && t.due_on < TODAY) as Touch;
      expect(overdue).toBeDefined();

      const { version } = await getDaysOff(ctx, liNa);
      const saved = await setDaysOff(ctx, liNa, { dates: [overdue.due_on, ...days], version });
      expect(saved.moved).toBe(onDays.length);
      expect(saved.dates).toEqual([overdue.due_on, ...days].sort());

      const after = await openTouches();
      expect(after.map((t) => t.id).sort()).toEqual(before.map((t) => t.id).sort());
      const moved = new Set(onDays.map((t) => t.id));
      const settings = await readWorkspaceSettings(tdb.db.kysely);
      const calendar = await calendarFor(tdb.db.kysely, settings, liNa);
      const byId = new Map(before.map((t) => [t.id, t]));
      for (const t of after) {
        if (moved.has(t.id)) {
          expect(t.due_on >= TODAY).toBe(true);
          expect(calendar.isWorkingDay(t.due_on)).toBe(true);
          expect(t.rep_id).toBe(liNa);
        } else expect(t).toEqual(byId.get(t.id));
      }
      expect(after.filter((t) => t.rep_id === liNa && days.includes(t.due_on))).toEqual([]);
      await expectSpaced(after.filter((t) => moved.has(t.id)));

      // Recorded with the change.
      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select('after')
        .where('entity', '=', 'user')
        .where('entity_id', '=', liNa)
        .where('action', '=', 'days-off')
        .orderBy('at', 'desc')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(String(audit.after))).toMatchObject({ moved: onDays.length });
    });

    it('moves nothing when no touch is on a day off, and nothing back when days off are removed', async () => {
      const before = await openTouches();
      const { version, dates } = await getDaysOff(ctx, liNa);
      const kept = await setDaysOff(ctx, liNa, { dates, version });
      expect(kept.moved).toBe(0);
      const cleared = await setDaysOff(ctx, liNa, { dates: [], version: kept.version });
      expect(cleared.moved).toBe(0);
      expect(await openTouches()).toEqual(before);
    });

    it('moves the touches on the public holidays of another schedule the rep is given', async () => {
      // Hong Kong's holidays include 2026-12-25 and 2026-12-26 (Christmas), working days in mainland China.
      const { version } = await getDaysOff(ctx, liNa);
      const before = await openTouches();
      const settings = await readWorkspaceSettings(tdb.db.kysely);
      const saved = await setDaysOff(ctx, liNa, { dates: [], holidays: 'HK', version });
      const calendar = await calendarFor(tdb.db.kysely, settings, liNa);
      const offBefore = before.filter(
        (t) => t.rep_id === liNa && t.due_on >= TODAY && !calendar.isWorkingDay(t.due_on),
      );
      expect(offBefore.length).toBeGreaterThan(0);
      expect(saved.moved).toBe(offBefore.length);
      const after = await openTouches();
      expect(
        after.filter((t) => t.rep_id === liNa && t.due_on >= TODAY && !calendar.isWorkingDay(t.due_on)),
      ).toEqual([]);
      expect(after).toHaveLength(before.length);
    });

    it('moves a touch the planner has no window for (an account outside the market) to the next working day', async () => {
      const settings = await readWorkspaceSettings(tdb.db.kysely);
      const call = (await openTouches()).find(
        (t) => t.rep_id === liNa && t.channel === 'call' && t.due_on >= '2027-02-01',
      ) as Touch;
      expect(call).toBeDefined();
      await tdb.db.kysely
        .updateTable('accounts')
        .set({ in_market: 0, tier: null })
        .where('id', '=', call.account_id)
        .execute();
      const { version, dates } = await getDaysOff(ctx, liNa);
      const saved = await setDaysOff(ctx, liNa, { dates: [...dates, call.due_on], version });
      const calendar = await calendarFor(tdb.db.kysely, settings, liNa);
      const next = calendar.nextWorkingDay(call.due_on);
      const calls = (await openTouches()).filter((t) => t.rep_id === liNa && t.channel === 'call');
      expect(saved.moved).toBeGreaterThanOrEqual(1);
      // The day after has room for one more call (40 a day): the touch is there.
      expect(calls.filter((t) => t.due_on === next).length).toBeLessThanOrEqual(40);
      expect(calls.find((t) => t.id === call.id)?.due_on).toBe(next);
    });

    it('answers the API with the calendar saved and how many touches moved', async () => {
      const [day] = (await busiestDays(1, '2027-01-04', '2027-01-16')).map(([d]) => d);
      const n = (await openTouches()).filter((t) => t.rep_id === liNa && t.due_on === day).length;
      expect(n).toBeGreaterThan(0);
      const session = await signIn(app, 'manager@demo.tierline.local', 'tierline-demo');
      const { version, holidays } = await getDaysOff(ctx, liNa);
      const res = await app.inject({
        method: 'PUT',
        url: '/api/calendar/days-off',
        headers: session.headers,
        payload: { repId: liNa, dates: [day], version },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ repId: liNa, dates: [day], holidays, version: version + 1, moved: n });
      expect((await openTouches()).filter((t) => t.rep_id === liNa && t.due_on === day)).toEqual([]);
    });
  });
}
