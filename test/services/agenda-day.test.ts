import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts.ts';
import { getDaysOff, setDaysOff } from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { getAgenda } from '../../src/services/touches.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// The agenda says whether its day is a working day on the rep's calendar, and why not (a weekend, a public holiday
// with its name, the rep's own day off), so Today can say "a day off" instead of "nothing planned"; the overdue
// touches are still listed on such a day.
for (const dialect of DIALECTS) {
  describe(`the agenda's day on the rep's calendar on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let rep: ServiceContext;
    let manager: ServiceContext;
    let admin: ServiceContext;

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      rep = makeContext(tdb.db, { userId: people.rep.id, role: 'rep' }, fixedClock);
      manager = makeContext(tdb.db, { userId: people.manager.id, role: 'manager' }, fixedClock);
      admin = makeContext(tdb.db, { userId: people.admin.id, role: 'admin' }, fixedClock);
      // The rep takes Tuesday 2026-12-01 off; the mate works under the US's public holidays.
      const { version } = await getDaysOff(manager, people.rep.id);
      await setDaysOff(manager, people.rep.id, { dates: ['2026-12-01'], version });
      const mate = await getDaysOff(manager, people.mate.id);
      await setDaysOff(manager, people.mate.id, { dates: [], holidays: 'US', version: mate.version });
      // One open call of the rep's, due on Thursday 2026-11-26.
      const system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      const account = await createAccount(system, makeAccountInput({ ownerId: people.rep.id }));
      const at = fixedClock().toISOString();
      await tdb.db.kysely
        .insertInto('planned_touches')
        .values({
          id: newId(),
          account_id: account.id,
          rep_id: people.rep.id,
          plan_id: null,
          channel: 'call',
          due_on: '2026-11-26',
          due_time: null,
          status: 'planned',
          activity_id: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('says a weekday is a working day, and the call due on it is open', async () => {
      const agenda = await getAgenda(rep, { date: '2026-11-26' });
      expect(agenda.day).toEqual({ working: true, kind: 'workday', name: null });
      expect(agenda.items.map((i) => i.overdue)).toEqual([false]);
    });

    it('says a weekend is a day off, and still lists the overdue call', async () => {
      const agenda = await getAgenda(rep, { date: '2026-11-28' });
      expect(agenda.day).toEqual({ working: false, kind: 'weekend', name: null });
      expect(agenda.items.map((i) => [i.dueOn, i.overdue])).toEqual([['2026-11-26', true]]);
      expect(agenda.counts.overdue).toBe(1);
    });

    it('names a public holiday, and the holiday a 调休 Saturday is worked for', async () => {
      expect((await getAgenda(rep, { date: '2026-10-01' })).day).toEqual({
        working: false,
        kind: 'holiday',
        name: '国庆节 National Day',
      });
      expect((await getAgenda(rep, { date: '2026-10-10' })).day).toEqual({
        working: true,
        kind: 'make-up-workday',
        name: '国庆节 National Day',
      });
    });

    it("says the rep's own day off, on their calendar only", async () => {
      const own = await getAgenda(rep, { date: '2026-12-01' });
      expect(own.day).toEqual({ working: false, kind: 'custom-day-off', name: null });
      expect(own.items).toHaveLength(1);
      // The manager looking at the rep's agenda sees the rep's calendar.
      expect((await getAgenda(manager, { date: '2026-12-01', repId: people.rep.id })).day.kind).toBe(
        'custom-day-off',
      );
      // The mate works that day, and so does everyone's agenda (the workspace's calendar).
      expect((await getAgenda(manager, { date: '2026-12-01', repId: people.mate.id })).day.working).toBe(
        true,
      );
      expect((await getAgenda(admin, { date: '2026-12-01' })).day).toEqual({
        working: true,
        kind: 'workday',
        name: null,
      });
    });

    it("follows a rep's own country's holidays instead of the workspace's", async () => {
      const thanksgiving = await getAgenda(manager, { date: '2026-11-26', repId: people.mate.id });
      expect(thanksgiving.day).toEqual({ working: false, kind: 'holiday', name: 'Thanksgiving Day' });
      expect((await getAgenda(manager, { date: '2026-10-01', repId: people.mate.id })).day.working).toBe(
        true,
      );
    });
  });
}
