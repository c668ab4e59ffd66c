import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftDate } from '../../src/domain/calendar/local-date.ts';
import type { TChannel } from '../../src/schemas/common.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { AGENDA_ITEM_LIMIT, getAgenda } from '../../src/services/touches.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// The agenda lists at most AGENDA_ITEM_LIMIT open touches (the oldest due first), but its counts are of every open
// touch due by the day, and it says when the list was cut.
const DATE = '2026-11-27';

for (const dialect of DIALECTS) {
  describe(`an agenda longer than its list on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let rep: ServiceContext;
    let admin: ServiceContext;
    let accountId: string;
    /** What the first test planned for the mate. */
    let mates = { overdue: 0, calls: 0, visits: 0 };

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      rep = makeContext(tdb.db, { userId: people.rep.id, role: 'rep' }, fixedClock);
      admin = makeContext(tdb.db, { userId: people.admin.id, role: 'admin' }, fixedClock);
      const system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      accountId = (await createAccount(system, makeAccountInput({ ownerId: people.rep.id }))).id;
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** `n` open touches of `repId`, every third a visit, due from the date back over 400 days; their counts. */
    async function plan(repId: string, n: number, status: 'planned' | 'done' = 'planned') {
      const at = fixedClock().toISOString();
      const rows = Array.from({ length: n }, (_, i) => ({
        id: newId(),
        account_id: accountId,
        rep_id: repId,
        plan_id: null,
        channel: (i % 3 === 0 ? 'visit' : 'call') as TChannel,
        due_on: shiftDate(DATE, -(i % 400)),
        due_time: null,
        status,
        activity_id: null,
        created_at: at,
        updated_at: at,
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await tdb.db.kysely
          .insertInto('planned_touches')
          .values(rows.slice(i, i + 500))
          .execute();
      }
      return {
        overdue: rows.filter((r) => r.due_on < DATE).length,
        calls: rows.filter((r) => r.channel === 'call').length,
        visits: rows.filter((r) => r.channel === 'visit').length,
      };
    }
    const plus = (a: { overdue: number; calls: number; visits: number }, b: typeof a) => ({
      overdue: a.overdue + b.overdue,
      calls: a.calls + b.calls,
      visits: a.visits + b.visits,
    });

    it('counts what it lists when everything fits, and says nothing was cut', async () => {
      mates = await plan(people.mate.id, 40);
      const agenda = await getAgenda(admin, { date: DATE, repId: people.mate.id });
      expect(agenda.items).toHaveLength(40);
      expect(agenda.counts).toEqual(mates);
      expect(agenda.truncated).toBe(false);
    });

    it('counts every open touch in SQL when the list stops at its limit, and says it was cut', async () => {
      const planned = await plan(people.rep.id, AGENDA_ITEM_LIMIT + 321);
      // Done ones, and ones due later, are not open on the day.
      await plan(people.rep.id, 50, 'done');
      const agenda = await getAgenda(rep, { date: DATE });
      expect(agenda.items).toHaveLength(AGENDA_ITEM_LIMIT);
      expect(agenda.counts).toEqual(planned);
      expect(agenda.counts.calls + agenda.counts.visits).toBe(AGENDA_ITEM_LIMIT + 321);
      expect(agenda.truncated).toBe(true);

      // Everyone's agenda (an admin without a rep): the same, over both reps.
      const all = await getAgenda(admin, { date: DATE });
      expect(all.items).toHaveLength(AGENDA_ITEM_LIMIT);
      expect(all.counts).toEqual(plus(planned, mates));
      expect(all.truncated).toBe(true);
    });
  });
}
