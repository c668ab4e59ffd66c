import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignAccounts, previewHandOver } from '../../src/services/account-assignment.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { sessionUserOf } from '../../src/services/auth.ts';
import { getDaysOff, setDaysOff } from '../../src/services/calendar.ts';
import { type Actor, makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { peopleOverview } from '../../src/services/people-overview.ts';
import { getUser, updateUser } from '../../src/services/users.ts';
import { newId } from '../../src/storage/ids.ts';
import { findUserRow } from '../../src/storage/repositories/people.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';

// FIXED_NOW is 2026-11-27 10:00 in Shanghai: "today" on the Team page is 2026-11-27.
const TODAY = '2026-11-27';

for (const dialect of DIALECTS) {
  describe(`Team page overview and hand-over preview on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    const as = (user: SeededUser): ServiceContext =>
      makeContext(
        tdb.db,
        { userId: user.id, role: user.role, teamId: user.teamId } satisfies Actor,
        fixedClock,
      );

    /** Open planned touches for a rep: due on the given dates, plus one already done (never counted). */
    async function plan(repId: string, accountId: string, dates: string[]): Promise<void> {
      const at = FIXED_NOW.toISOString();
      const planId = newId();
      await tdb.db.kysely
        .insertInto('plans')
        .values({
          id: planId,
          rep_id: repId,
          starts_on: '2026-11-02',
          months: 6,
          accepted_overload: 1,
          created_by: null,
          created_at: at,
        })
        .execute();
      await tdb.db.kysely
        .insertInto('planned_touches')
        .values(
          [...dates, '2026-11-20'].map((due, i) => ({
            id: newId(),
            account_id: accountId,
            rep_id: repId,
            plan_id: planId,
            channel: 'call' as const,
            due_on: due,
            due_time: null,
            status: i === dates.length ? ('done' as const) : ('planned' as const),
            activity_id: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
    }

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      const owned = [];
      for (let i = 0; i < 3; i++) {
        owned.push(await createAccount(system, makeAccountInput({ ownerId: people.rep.id })));
      }
      await createAccount(system, makeAccountInput({ ownerId: people.otherRep.id, province: '江苏省' }));
      // Two overdue, three ahead (today counts as ahead).
      await plan(people.rep.id, owned[0]?.id ?? '', [
        '2026-11-20',
        '2026-11-26',
        TODAY,
        '2026-12-01',
        '2026-12-15',
      ]);
      await setDaysOff(system, people.rep.id, {
        dates: ['2026-11-02', '2026-12-24', '2026-12-31'],
        version: (await getDaysOff(system, people.rep.id)).version,
      });
      const mate = await getUser(system, people.mate.id);
      await updateUser(system, people.mate.id, { callsPerDay: 25, visitsPerDay: 2, version: mate.version });
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('shows an admin everyone with their numbers: accounts, open plan, overdue, days off from today', async () => {
      const overview = await peopleOverview(as(people.admin));
      expect(overview.today).toBe(TODAY);
      expect(overview.items.map((p) => p.id).sort()).toEqual(
        Object.values(people)
          .filter((v): v is SeededUser => typeof v === 'object' && v !== null && 'role' in v)
          .map((u) => u.id)
          .sort(),
      );
      const rep = overview.items.find((p) => p.id === people.rep.id);
      expect(rep?.teamName).toMatch(/^Team A /);
      expect(rep?.territories.map((t) => t.id)).toEqual([people.territoryA]);
      expect(rep?.capacity).toEqual({ callsPerDay: 40, visitsPerDay: 4, fromWorkspace: true });
      expect(rep?.work).toEqual({
        accountCount: 3,
        plannedAhead: 3,
        overdue: 2,
        daysOff: ['2026-12-24', '2026-12-31'],
        holidays: null,
        lastPlan: {
          id: expect.any(String),
          scope: 'rep',
          createdAt: FIXED_NOW.toISOString(),
          startsOn: '2026-11-02',
          months: 6,
          acceptedOverload: true,
        },
      });
      const mate = overview.items.find((p) => p.id === people.mate.id);
      expect(mate?.capacity).toEqual({ callsPerDay: 25, visitsPerDay: 2, fromWorkspace: false });
      expect(mate?.work).toMatchObject({ accountCount: 0, plannedAhead: 0, overdue: 0, lastPlan: null });
      expect(overview.items.find((p) => p.id === people.otherRep.id)?.work?.accountCount).toBe(1);
    });

    it('shows a manager only their team, and a rep their team with only their own numbers and territory', async () => {
      const managerView = await peopleOverview(as(people.manager));
      expect(managerView.items.map((p) => p.id).sort()).toEqual(
        [people.manager.id, people.rep.id, people.mate.id].sort(),
      );
      expect(managerView.items.every((p) => p.work !== null)).toBe(true);

      const repView = await peopleOverview(as(people.mate));
      expect(repView.items.map((p) => p.id).sort()).toEqual(
        [people.manager.id, people.rep.id, people.mate.id].sort(),
      );
      for (const person of repView.items) {
        if (person.id === people.mate.id) expect(person.work).not.toBeNull();
        else {
          expect(person.work).toBeNull();
          expect(person.territories).toEqual([]);
        }
      }
    });

    it('previews a hand-over with the counts the hand-over then moves; only managers of the team and admins', async () => {
      await expect(previewHandOver(as(people.rep), people.rep.id)).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(previewHandOver(as(people.otherManager), people.rep.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      const preview = await previewHandOver(as(people.manager), people.rep.id);
      expect(preview).toEqual({
        userId: people.rep.id,
        accounts: 3,
        plannedTouches: 5,
        territories: [expect.objectContaining({ id: people.territoryA })],
      });
      const result = await assignAccounts(as(people.manager), {
        fromUserId: people.rep.id,
        toUserId: people.mate.id,
      });
      expect(result).toEqual({ accounts: preview.accounts, plannedTouches: preview.plannedTouches });
      expect(await previewHandOver(as(people.manager), people.rep.id)).toMatchObject({
        accounts: 0,
        plannedTouches: 0,
      });
      const after = await peopleOverview(as(people.manager));
      expect(after.items.find((p) => p.id === people.mate.id)?.work).toMatchObject({
        accountCount: 3,
        plannedAhead: 3,
        overdue: 2,
      });
    });

    it('keeps each user’s language: anyone may set their own, not a team mate’s', async () => {
      const chosen = async (id: string) => {
        const row = await findUserRow(tdb.db.kysely, id);
        return row ? sessionUserOf(row).localeChosen : null;
      };
      // Never chosen: the web app follows the browser until the user picks a language.
      expect(await chosen(people.mate.id)).toBe(false);
      const saved = await updateUser(as(people.mate), people.mate.id, { locale: 'zh-CN' });
      expect(saved.locale).toBe('zh-CN');
      expect((await getUser(system, people.mate.id)).locale).toBe('zh-CN');
      await updateUser(as(people.mate), people.mate.id, { locale: 'en' });
      expect((await getUser(system, people.mate.id)).locale).toBe('en');
      expect(await chosen(people.mate.id)).toBe(true);
      await expect(updateUser(as(people.mate), people.rep.id, { locale: 'zh-CN' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      expect(await chosen(people.rep.id)).toBe(false);
    });
  });
}
