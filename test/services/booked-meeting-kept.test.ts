import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalDays, resolveCadence } from '../../src/domain/cadence/cadence-rules.ts';
import { daysBetween } from '../../src/domain/calendar/local-date.ts';
import { getDaysOff, setDaysOff } from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { commitPlan, readCadenceRules } from '../../src/services/plan.ts';
import { logTouch } from '../../src/services/touches.ts';
import { newId } from '../../src/storage/ids.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';
import { overrideTierAsRead } from '../helpers/tier-override.ts';

/*
 * A booked meeting (a planned visit with its time, services/touches.ts bookMeeting) is fixed: a new plan commit keeps
 * it and continues the visit series from it (no second visit beside it), a day off set on its day leaves it there,
 * and a tier change's re-plan keeps it and plans the new cadence's visits from it (docs/figures.md, "Contacts,
 * retries and booked meetings"). Around FIXED_NOW, Friday 2026-11-27 10:00 in Shanghai.
 */

const MEETING_DAY = '2026-12-10';
const MEETING_TIME = '15:00';

for (const dialect of DIALECTS) {
  describe(`a booked meeting survives re-plans on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let accountId: string;
    let cadence: ReturnType<typeof resolveCadence>;
    const clock = () => FIXED_NOW;
    const asRep = (): ServiceContext =>
      makeContext(tdb.db, { userId: people.rep.id, role: 'rep', teamId: people.teamA }, clock);
    const asManager = (): ServiceContext =>
      makeContext(tdb.db, { userId: people.manager.id, role: 'manager', teamId: people.teamA }, clock);
    const db = () => tdb.db.kysely;

    /** The account's open visits, earliest first. */
    const visits = () =>
      db()
        .selectFrom('planned_touches')
        .select(['due_on', 'due_time'])
        .where('account_id', '=', accountId)
        .where('channel', '=', 'visit')
        .where('status', '=', 'planned')
        .orderBy('due_on')
        .orderBy('id')
        .execute();

    /** The meeting is there once, on its day at its time, first; the visits after it keep the tier's cadence. */
    async function expectMeetingKept(tier: 'A' | 'B') {
      const open = await visits();
      expect(open.filter((v) => v.due_time !== null)).toEqual([
        { due_on: MEETING_DAY, due_time: MEETING_TIME },
      ]);
      expect(open[0]).toEqual({ due_on: MEETING_DAY, due_time: MEETING_TIME });
      expect(open.filter((v) => v.due_on === MEETING_DAY)).toHaveLength(1);
      const interval = intervalDays(cadence[tier].visit as number);
      expect(open.length).toBeGreaterThan(1);
      for (let i = 1; i < open.length; i++) {
        const gap = daysBetween(open[i - 1]?.due_on as string, open[i]?.due_on as string);
        expect(gap).toBeGreaterThanOrEqual(Math.ceil(0.8 * interval - 1e-9));
        expect(gap).toBeLessThanOrEqual(Math.floor(1.2 * interval + 1e-9) + 1);
      }
    }

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      cadence = resolveCadence(await readCadenceRules(db()));
      accountId = newId();
      const created = FIXED_NOW.toISOString();
      await db()
        .insertInto('accounts')
        .values({
          id: accountId,
          name: '会面有限公司',
          normalized_name: '会面',
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
      await commitPlan(asRep(), { repId: people.rep.id, acceptOverload: true });
      const booked = await logTouch(asRep(), accountId, {
        channel: 'call',
        outcome: 'meeting_booked',
        meetingAt: `${MEETING_DAY}T${MEETING_TIME}`,
      });
      expect(booked.meeting).toMatchObject({ dueOn: MEETING_DAY, dueTime: MEETING_TIME });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('a new plan commit keeps the meeting, counts it in its day and plans the next visits from it', async () => {
      const result = await commitPlan(asRep(), { repId: people.rep.id, acceptOverload: true });
      await expectMeetingKept('A');
      expect(result.days.find((d) => d.date === MEETING_DAY)?.visits).toBe(1);
    });

    it('a day off on the meeting day leaves the meeting there, at its time', async () => {
      const { version } = await getDaysOff(asManager(), people.rep.id);
      await setDaysOff(asManager(), people.rep.id, { dates: [MEETING_DAY], version });
      await expectMeetingKept('A');
    });

    it("a tier change's re-plan keeps the meeting and plans the new cadence's visits from it", async () => {
      expect(cadence.B.visit).not.toBe(cadence.A.visit);
      await overrideTierAsRead(asManager(), accountId, { tier: 'B', reason: 'smaller than it looked' });
      await expectMeetingKept('B');
    });
  });
}
