import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { shiftDate } from '../../src/domain/calendar/local-date.ts';
import { type BookedTouch, replanAccount } from '../../src/domain/plan/build-plan.ts';
import { SPACING_TOLERANCE } from '../../src/domain/plan/series.ts';
import type { TChannel } from '../../src/schemas/common.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { calendarFor, commitPlan, planHorizonEnd, readCadenceRules } from '../../src/services/plan.ts';
import { logTouch } from '../../src/services/touches.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const LOGGED_ON = '2026-11-27';

/*
 * logTouch re-plans the channel by rewriting the account's open touches in place (touches.ts, saveReplanned)
 * instead of deleting them and inserting the new series. What it stores must be exactly the series the planner
 * gives when it sees only the other accounts' touches, as the delete-first version stored.
 */
for (const dialect of DIALECTS) {
  describe(`re-planning after a logged touch on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let repId: string;

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      repId = await demoUserId(tdb);
      await commitPlan(ctx, { repId, from: '2026-11-30', acceptOverload: true });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** The series the planner gives from the stored state, leaving out the account's own open touches. */
    async function expectedSeries(accountId: string, channel: TChannel): Promise<string[]> {
      const db = tdb.db.kysely;
      const account = await db
        .selectFrom('accounts')
        .select(['tier', 'city', 'district', 'potential_score', 'owner_id'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      const settings = await readWorkspaceSettings(db);
      const rep = await db
        .selectFrom('users')
        .select(['calls_per_day', 'visits_per_day'])
        .where('id', '=', repId)
        .executeTakeFirstOrThrow();
      const cadence = await readCadenceRules(db);
      const tier = account.tier ?? 'C';
      const interval = intervalDays(resolveCadence(cadence)[tier][channel] ?? 1);
      // logTouch reads the others' touches where the next one can land (0.8 to 1.25 intervals after the log).
      const windowFrom = shiftDate(LOGGED_ON, Math.floor(interval * (1 - SPACING_TOLERANCE)) - 1);
      const windowTo = shiftDate(LOGGED_ON, Math.ceil(interval * 1.25) + 1);
      const others = await db
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select(['t.due_on', 'a.city', 'a.district'])
        .where('t.rep_id', '=', repId)
        .where('t.channel', '=', channel)
        .where('t.status', '=', 'planned')
        .where('t.account_id', '!=', accountId)
        .where('t.due_on', '>', windowFrom)
        .where('t.due_on', '<=', windowTo)
        .execute();
      const byDay = new Map<string, BookedTouch[]>();
      for (const o of others) {
        const list = byDay.get(o.due_on) ?? [];
        list.push(
          channel === 'visit' ? { city: o.city, district: o.district } : { city: null, district: null },
        );
        byDay.set(o.due_on, list);
      }
      const until = await planHorizonEnd(db, repId);
      if (!until) throw new Error('expected a committed plan');
      const own = channel === 'call' ? rep.calls_per_day : rep.visits_per_day;
      const { touches } = replanAccount({
        account: {
          id: accountId,
          tier: account.tier,
          city: account.city,
          district: account.district,
          score: account.potential_score,
        },
        channel,
        loggedOn: LOGGED_ON,
        until,
        calendar: await calendarFor(db, settings, repId),
        cadence,
        capacityPerDay:
          own ?? (channel === 'call' ? settings.capacity.callsPerDay : settings.capacity.visitsPerDay),
        bookedOn: (date) => byDay.get(date) ?? [],
        overflow: 'overbook',
      });
      return touches.map((t) => t.dueOn);
    }

    async function openTouches(accountId: string, channel: TChannel) {
      return tdb.db.kysely
        .selectFrom('planned_touches')
        .select(['id', 'due_on', 'rep_id', 'plan_id', 'due_time', 'created_at'])
        .where('account_id', '=', accountId)
        .where('channel', '=', channel)
        .where('status', '=', 'planned')
        .orderBy('due_on')
        .execute();
    }

    for (const channel of ['call', 'visit'] as const) {
      it(`stores the planner's new ${channel} series over the old open touches`, async () => {
        // An A account (the most touches) of the rep with open touches on the channel.
        const account = await tdb.db.kysely
          .selectFrom('planned_touches as t')
          .innerJoin('accounts as a', 'a.id', 't.account_id')
          .select('a.id')
          .where('t.rep_id', '=', repId)
          .where('t.channel', '=', channel)
          .where('t.status', '=', 'planned')
          .where('a.tier', '=', 'A')
          .orderBy('a.id')
          .limit(1)
          .executeTakeFirstOrThrow();
        const before = await openTouches(account.id, channel);
        expect(before.length).toBeGreaterThan(1);

        // The first open touch is completed by the log; the planner then sees the others' touches only.
        const completedId = before[0]?.id;
        const rest = before.slice(1);
        // Due on the log date, so that it stays the earliest open one (the one the log completes) below.
        await tdb.db.kysely
          .updateTable('planned_touches')
          .set({ due_on: LOGGED_ON })
          .where('id', '=', completedId as string)
          .execute();
        await tdb.db.kysely
          .updateTable('planned_touches')
          .set({ status: 'done' })
          .where('id', '=', completedId as string)
          .execute();
        // One call and one visit a day, and the account's own old touches moved onto the days of the new series:
        // counted as booked there (as if the old rows were still in the way), those days would look full and the
        // series would land elsewhere.
        await tdb.db.kysely
          .updateTable('users')
          .set({ calls_per_day: 1, visits_per_day: 1 })
          .where('id', '=', repId)
          .execute();
        const expected = await expectedSeries(account.id, channel);
        for (const [k, old] of rest.entries()) {
          const day = expected[k];
          if (!day) break;
          await tdb.db.kysely
            .updateTable('planned_touches')
            .set({ due_on: day })
            .where('id', '=', old.id)
            .execute();
        }
        expect(await expectedSeries(account.id, channel)).toEqual(expected);
        await tdb.db.kysely
          .updateTable('planned_touches')
          .set({ status: 'planned' })
          .where('id', '=', completedId as string)
          .execute();

        const result = await logTouch(ctx, account.id, {
          channel,
          outcome: 'reached',
          at: '2026-11-27T01:30:00.000Z',
        });
        expect(result.completedTouchId).toBe(completedId);
        expect(result.nextTouches.map((t) => t.dueOn)).toEqual(expected);

        const after = await openTouches(account.id, channel);
        expect(after.map((t) => t.due_on)).toEqual(expected);
        expect(after.map((t) => t.id).sort()).toEqual(result.nextTouches.map((t) => t.id).sort());
        // Stored as a new touch of the re-plan would be: the rep's, outside any committed plan, created now.
        for (const t of after) {
          expect(t).toMatchObject({
            rep_id: repId,
            plan_id: null,
            due_time: null,
            created_at: NOW.toISOString(),
          });
        }
        // The old rows were reused (as many as the new series needs); none is left over.
        const reused = Math.min(rest.length, expected.length);
        expect(after.filter((t) => rest.some((r) => r.id === t.id))).toHaveLength(reused);
      });
    }
  });
}
