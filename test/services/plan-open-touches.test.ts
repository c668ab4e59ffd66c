import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { planAllReps, previewPlan } from '../../src/services/plan.ts';
import { newId } from '../../src/storage/ids.ts';
import { loadOpenTouchesBefore } from '../../src/storage/repositories/plan.ts';
import type { Channel } from '../../src/storage/tables.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// FIXED_NOW is Friday 2026-11-27 in Shanghai.
const TODAY = '2026-11-27';

/*
 * The open touches a plan keeps (due before its first day, overdue before today) are those of the workload's
 * accounts, whoever holds them: a commit replaces the open touches of the rep's accounts (by owner) from its first
 * day, so one rep's plan reads the same touches before it as the plan of every rep does (by account).
 *
 *   rep's X1: a call due 11-20 held by the mate, a visit due 12-10 (after), a call done 11-10 (not open)
 *   rep's X2: a visit due 11-24 held by nobody, a call due 11-25 held by the rep
 *   mate's Y: a call due 11-23 held by the rep
 */
for (const dialect of DIALECTS) {
  describe(`open touches before a plan's first day, by the rep's accounts, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    const ids = { X1: '', X2: '', Y: '' };

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      ids.X1 = (await createAccount(system, makeAccountInput({ ownerId: people.rep.id }))).id;
      ids.X2 = (await createAccount(system, makeAccountInput({ ownerId: people.rep.id }))).id;
      ids.Y = (await createAccount(system, makeAccountInput({ ownerId: people.mate.id }))).id;
      await tdb.db.kysely
        .updateTable('accounts')
        .set({ in_market: 1, tier: 'A' })
        .where('id', 'in', Object.values(ids))
        .execute();
      const at = fixedClock().toISOString();
      const touch = (
        account: string,
        channel: Channel,
        dueOn: string,
        repId: string | null,
        status: 'planned' | 'done' = 'planned',
      ) => ({
        id: newId(),
        account_id: account,
        rep_id: repId,
        plan_id: null,
        channel,
        due_on: dueOn,
        due_time: null,
        status,
        activity_id: null,
        created_at: at,
        updated_at: at,
      });
      await tdb.db.kysely
        .insertInto('planned_touches')
        .values([
          touch(ids.X1, 'call', '2026-11-20', people.mate.id),
          touch(ids.X1, 'visit', '2026-12-10', people.rep.id),
          touch(ids.X1, 'call', '2026-11-10', people.rep.id, 'done'),
          touch(ids.X2, 'visit', '2026-11-24', null),
          touch(ids.X2, 'call', '2026-11-25', people.rep.id),
          touch(ids.Y, 'call', '2026-11-23', people.rep.id),
        ])
        .execute();
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it("reads the open touches of the rep's accounts, whoever holds them", async () => {
      const rep = await loadOpenTouchesBefore(tdb.db.kysely, people.rep.id, TODAY);
      expect(Object.fromEntries(rep)).toEqual({ [ids.X1]: { call: 1 }, [ids.X2]: { visit: 1, call: 1 } });
      const mate = await loadOpenTouchesBefore(tdb.db.kysely, people.mate.id, TODAY);
      expect(Object.fromEntries(mate)).toEqual({ [ids.Y]: { call: 1 } });
      // As every rep's read gives them for those accounts.
      const all = await loadOpenTouchesBefore(tdb.db.kysely, null, TODAY);
      expect(all.get(ids.X1)).toEqual({ call: 1 });
      expect(all.get(ids.X2)).toEqual({ visit: 1, call: 1 });
      expect(all.get(ids.Y)).toEqual({ call: 1 });
      // A later first day keeps the visit due 12-10 too.
      const later = await loadOpenTouchesBefore(tdb.db.kysely, people.rep.id, '2026-12-11');
      expect(later.get(ids.X1)).toEqual({ call: 1, visit: 1 });
    });

    it("counts them as the rep's overdue touches in one rep's plan as in every rep's", async () => {
      const one = await previewPlan(system, { repId: people.rep.id, from: TODAY });
      expect(one.overdue).toEqual({ call: 2, visit: 1 });
      const every = await planAllReps(system, { from: TODAY });
      const rep = every.find((p) => p.repId === people.rep.id);
      expect(rep?.workload.overdue).toEqual({ call: 2, visit: 1 });
      expect((await previewPlan(system, { repId: people.mate.id, from: TODAY })).overdue).toEqual({
        call: 1,
        visit: 0,
      });
    });
  });
}
