import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { shiftDate } from '../../src/domain/calendar/local-date.ts';
import { todayIn } from '../../src/domain/calendar/time-zone.ts';
import { type BookedTouch, replanAccount } from '../../src/domain/plan/build-plan.ts';
import type { TChannel } from '../../src/schemas/common.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { calendarFor, commitPlan, planHorizonEnd, readCadenceRules } from '../../src/services/plan.ts';
import { logTouch } from '../../src/services/touches.ts';
import { readWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

/*
 * logTouch re-plans from the day loads counted per day and reads the places of the other accounts' visits only
 * for the days the planner could pick, one batch at a time (touches.ts, bookedInWindow). The series it stores
 * must be the one the planner gives from every other touch of the rep read with its account's place, as the
 * version that read them all gave: here with a crowded plan (full days, days with room, places spelt several
 * ways, accounts without a district or a city) and both channels.
 */

// Places as they come in real lists: the same city and district spelt with and without their suffixes.
const PLACES: readonly [string | undefined, string | undefined][] = [
  ['深圳市', '南山区'],
  ['深圳', '南山'],
  ['深圳市', '福田区'],
  ['深圳市', undefined],
  ['广州市', '天河区'],
  ['广州', '天河区'],
  ['广州市', '越秀区'],
  ['东莞市', '长安镇'],
  [undefined, undefined],
];
const ACCOUNTS = 180;

for (const dialect of DIALECTS) {
  describe(`re-planning reads only the places that matter, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    const accountIds: string[] = [];

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, SYSTEM_ACTOR, () => FIXED_NOW);
      for (let i = 0; i < ACCOUNTS; i++) {
        const [city, district] = PLACES[i % PLACES.length] as [string | undefined, string | undefined];
        const input = makeAccountInput({
          ownerId: people.rep.id,
          // Sales and headcount spread the accounts over tiers A, B and C.
          annualSales: 1_000_000 * (1 + ((i * 37) % 200)),
          employeesMin: 10 + ((i * 53) % 900),
          employeesMax: 2000,
        });
        accountIds.push((await createAccount(system, { ...input, city, district })).id);
      }
      await saveMarket(system, { criteria: { provinces: ['广东省'] } });
      // A crowded plan: few visits and calls a day, so that days are full, partly booked or empty.
      await tdb.db.kysely
        .updateTable('users')
        .set({ calls_per_day: 6, visits_per_day: 3 })
        .where('id', '=', people.rep.id)
        .execute();
      await commitPlan(system, { repId: people.rep.id, acceptOverload: true });
    }, 180_000);
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** The planner's series from every other touch of the rep in the window, each read with its account's place. */
    async function fromEveryRow(accountId: string, channel: TChannel, loggedOn: string): Promise<string[]> {
      const db = tdb.db.kysely;
      const account = await db
        .selectFrom('accounts')
        .select(['tier', 'city', 'district', 'potential_score', 'in_market'])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      if (account.in_market !== 1 || !account.tier) return [];
      const settings = await readWorkspaceSettings(db);
      const rep = await db
        .selectFrom('users')
        .select(['calls_per_day', 'visits_per_day'])
        .where('id', '=', people.rep.id)
        .executeTakeFirstOrThrow();
      const cadence = await readCadenceRules(db);
      const months = resolveCadence(cadence)[account.tier][channel];
      if (!months) return [];
      const interval = intervalDays(months);
      const others = await db
        .selectFrom('planned_touches as t')
        .innerJoin('accounts as a', 'a.id', 't.account_id')
        .select(['t.due_on', 'a.city', 'a.district'])
        .where('t.rep_id', '=', people.rep.id)
        .where('t.channel', '=', channel)
        .where('t.status', '=', 'planned')
        .where('t.account_id', '!=', accountId)
        // Visits: the whole calendar weeks around the first touch's window too (they are levelled by week).
        .where(
          't.due_on',
          '>',
          shiftDate(loggedOn, Math.floor(interval * 0.8) - (channel === 'visit' ? 8 : 1)),
        )
        .where(
          't.due_on',
          '<=',
          shiftDate(loggedOn, Math.ceil(interval * 1.25) + (channel === 'visit' ? 8 : 1)),
        )
        .execute();
      const byDay = new Map<string, BookedTouch[]>();
      for (const o of others) {
        const list = byDay.get(o.due_on) ?? [];
        list.push({ city: o.city, district: o.district });
        byDay.set(o.due_on, list);
      }
      const until = await planHorizonEnd(db, people.rep.id);
      if (!until) throw new Error('expected a committed plan');
      const { touches } = replanAccount({
        account: {
          id: accountId,
          tier: account.tier,
          city: account.city,
          district: account.district,
          score: account.potential_score,
        },
        channel,
        loggedOn,
        until,
        calendar: await calendarFor(db, settings, people.rep.id),
        cadence,
        capacityPerDay: (channel === 'call' ? rep.calls_per_day : rep.visits_per_day) as number,
        bookedOn: (date) => byDay.get(date) ?? [],
        overflow: 'overbook',
      });
      return touches.map((t) => t.dueOn);
    }

    it('stores the series the planner gives from every row, for calls and visits', async () => {
      let placedVisits = 0;
      const today = todayIn((await readWorkspaceSettings(tdb.db.kysely)).timeZone, FIXED_NOW);
      // The accounts in turn, each logged once on one channel; every log changes the loads the next one sees.
      // Logged on the last seven days, so that the windows start and end on every day of the week.
      for (const [i, accountId] of accountIds.entries()) {
        const channel: TChannel = i % 3 === 0 ? 'call' : 'visit';
        const loggedOn = shiftDate(today, -(i % 7));
        const expected = await fromEveryRow(accountId, channel, loggedOn);
        // 08:30 in Shanghai on that day (the clock stands at 10:00 of the last one).
        const at = `${loggedOn}T00:30:00.000Z`;
        const result = await logTouch(system, accountId, { channel, outcome: 'reached', at });
        expect(
          result.nextTouches.map((t) => t.dueOn),
          `${channel} of account ${i}`,
        ).toEqual(expected);
        if (channel === 'visit' && expected.length > 0) placedVisits++;
      }
      // The case this test is for: visits re-planned where places decide.
      expect(placedVisits).toBeGreaterThan(30);
    }, 180_000);
  });
}
