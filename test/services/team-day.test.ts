import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTeamDay } from '../../src/schemas/team-day.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { getTeamDay } from '../../src/services/team-day.ts';
import { getAgenda, logTouch } from '../../src/services/touches.ts';
import { newId } from '../../src/storage/ids.ts';
import type { Channel, Tier } from '../../src/storage/tables.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';

/*
 * Each rep's day (services/team-day.ts) around FIXED_NOW, Friday 2026-11-27 10:00 in Shanghai (02:00 UTC):
 *
 *   rep       R1 call today, R2 call today, R3 visit today; R4 call 11-20 and visit 11-24 open (overdue).
 *             Logs (through logTouch): R1 call now, R2 call 00:30 today (11-26 16:30 UTC), R3 call 23:30
 *             yesterday (11-26 15:30 UTC; no call planned on R3).
 *   mate      M1 call today, M2 visit today, M1 visit 11-26 open; logged a call on M2 on 11-25, nothing since.
 *   otherRep  O1 call today, logged now.
 *   leaver    a disabled rep of team A with a call today: never listed.
 */

type Key = 'R1' | 'R2' | 'R3' | 'R4' | 'M1' | 'M2' | 'O1' | 'L1';

function row(day: TTeamDay, repId: string) {
  const rep = day.reps.find((r) => r.repId === repId);
  if (!rep) throw new Error(`no row for ${repId}`);
  return rep;
}

for (const dialect of DIALECTS) {
  describe(`each rep's day on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let leaver: string;
    const accounts = {} as Record<Key, string>;
    const as = (user: SeededUser): ServiceContext =>
      makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      const k = tdb.db.kysely;
      const at = FIXED_NOW.toISOString();
      leaver = newId();
      await k
        .insertInto('users')
        .values({
          id: leaver,
          email: `leaver-${leaver}@test.local`,
          name: 'Leaver',
          role: 'rep',
          team_id: people.teamA,
          password_hash: null,
          locale: 'en',
          calls_per_day: null,
          visits_per_day: null,
          disabled_at: at,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const owners: [Key, string, Tier, string][] = [
        ['R1', people.rep.id, 'A', '广东省'],
        ['R2', people.rep.id, 'B', '广东省'],
        ['R3', people.rep.id, 'B', '广东省'],
        ['R4', people.rep.id, 'C', '广东省'],
        ['M1', people.mate.id, 'B', '广东省'],
        ['M2', people.mate.id, 'C', '湖南省'],
        ['O1', people.otherRep.id, 'A', '江苏省'],
        ['L1', leaver, 'A', '湖南省'],
      ];
      for (const [key, owner, tier, province] of owners) {
        accounts[key] = newId();
        await k
          .insertInto('accounts')
          .values({
            id: accounts[key],
            name: `日视图客户${key}有限公司`,
            normalized_name: `日视图客户${key.toLowerCase()}`,
            province,
            in_market: 1,
            tier,
            stage: 'prospect',
            owner_id: owner,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      // The plan: what each rep's agenda holds.
      const planned: [Key, string, Channel, string][] = [
        ['R1', people.rep.id, 'call', '2026-11-27'],
        ['R2', people.rep.id, 'call', '2026-11-27'],
        ['R3', people.rep.id, 'visit', '2026-11-27'],
        ['R4', people.rep.id, 'call', '2026-11-20'],
        ['R4', people.rep.id, 'visit', '2026-11-24'],
        ['M1', people.mate.id, 'call', '2026-11-27'],
        ['M2', people.mate.id, 'visit', '2026-11-27'],
        ['M1', people.mate.id, 'visit', '2026-11-26'],
        ['O1', people.otherRep.id, 'call', '2026-11-27'],
        ['L1', leaver, 'call', '2026-11-27'],
      ];
      for (const [key, rep, channel, dueOn] of planned) {
        await k
          .insertInto('planned_touches')
          .values({
            id: newId(),
            account_id: accounts[key],
            rep_id: rep,
            channel,
            due_on: dueOn,
            status: 'planned',
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      // The mate's last log, two days ago (no planned touch: straight into the log).
      await k
        .insertInto('activities')
        .values({
          id: newId(),
          account_id: accounts.M2,
          user_id: people.mate.id,
          channel: 'call',
          occurred_at: '2026-11-25T03:00:00.000Z',
          outcome: 'reached',
          created_at: '2026-11-25T03:00:00.000Z',
        })
        .execute();
      // Logged as the reps do it: each completes the account's planned touch on the channel.
      const rep = as(people.rep);
      await logTouch(rep, accounts.R3, { channel: 'call', outcome: 'reached', at: '2026-11-26T15:30:00Z' });
      await logTouch(rep, accounts.R2, { channel: 'call', outcome: 'reached', at: '2026-11-26T16:30:00Z' });
      await logTouch(rep, accounts.R1, { channel: 'call', outcome: 'no_answer' });
      await logTouch(as(people.otherRep), accounts.O1, { channel: 'call', outcome: 'reached' });
    });
    afterAll(async () => {
      await tdb?.cleanup();
    });

    it("gives a manager their team's reps, furthest behind first", async () => {
      const day = await getTeamDay(as(people.manager));
      expect(day).toMatchObject({ date: '2026-11-27', today: '2026-11-27', scope: 'team' });
      expect(day.reps.map((r) => r.repId)).toEqual([people.mate.id, people.rep.id]);
      expect(row(day, people.mate.id)).toEqual({
        repId: people.mate.id,
        name: people.mate.name,
        planned: { calls: 1, visits: 1 },
        done: { calls: 0, visits: 0 },
        remaining: 2,
        overdue: 1,
        lastLoggedAt: '2026-11-25T03:00:00.000Z',
        lastLoggedOn: '2026-11-25',
        status: 'not_started',
      });
      // 00:30 local counts for today, 23:30 the day before does not.
      expect(row(day, people.rep.id)).toEqual({
        repId: people.rep.id,
        name: people.rep.name,
        planned: { calls: 2, visits: 1 },
        done: { calls: 2, visits: 0 },
        remaining: 1,
        overdue: 2,
        lastLoggedAt: FIXED_NOW.toISOString(),
        lastLoggedOn: '2026-11-27',
        status: 'under_way',
      });
      expect(day.totals).toEqual({
        planned: { calls: 3, visits: 2 },
        done: { calls: 2, visits: 0 },
        remaining: 3,
        overdue: 3,
      });
    });

    it("agrees with each rep's own agenda", async () => {
      for (const date of ['2026-11-26', '2026-11-27', '2026-11-28']) {
        const day = await getTeamDay(as(people.admin), { date });
        for (const user of [people.rep, people.mate, people.otherRep]) {
          const agenda = await getAgenda(as(user), { date });
          const rep = row(day, user.id);
          expect([rep.planned, rep.done, rep.overdue], `${user.name} on ${date}`).toEqual([
            agenda.goal,
            agenda.done,
            agenda.counts.overdue,
          ]);
        }
      }
    });

    it('gives an admin every active rep, and another day as it was', async () => {
      const day = await getTeamDay(as(people.admin));
      expect(day.scope).toBe('workspace');
      expect(day.reps.map((r) => r.repId)).toEqual([people.mate.id, people.rep.id, people.otherRep.id]);
      expect(row(day, people.otherRep.id)).toMatchObject({
        planned: { calls: 1, visits: 0 },
        done: { calls: 1, visits: 0 },
        remaining: 0,
        status: 'complete',
      });

      const yesterday = await getTeamDay(as(people.admin), { date: '2026-11-26' });
      expect(row(yesterday, people.rep.id)).toMatchObject({
        planned: { calls: 0, visits: 0 },
        done: { calls: 1, visits: 0 },
        overdue: 2,
        lastLoggedAt: '2026-11-26T15:30:00.000Z',
        lastLoggedOn: '2026-11-26',
        status: 'nothing_planned',
      });
      expect(row(yesterday, people.mate.id)).toMatchObject({
        planned: { calls: 0, visits: 1 },
        done: { calls: 0, visits: 0 },
        overdue: 0,
        status: 'not_started',
      });

      const monday = await getTeamDay(as(people.admin), { date: '2026-11-30' });
      expect(monday.reps.map((r) => r.status)).toEqual(['upcoming', 'upcoming', 'upcoming']);
    });

    it('gives a rep only their own row, and another manager only their team', async () => {
      const own = await getTeamDay(as(people.rep));
      expect(own.scope).toBe('rep');
      expect(own.reps.map((r) => r.repId)).toEqual([people.rep.id]);
      const other = await getTeamDay(as(people.otherManager));
      expect(other.reps.map((r) => r.repId)).toEqual([people.otherRep.id]);
      expect(other.totals.planned).toEqual({ calls: 1, visits: 0 });
    });

    it('refuses an anonymous caller and a date that is not one', async () => {
      const anonymous = makeContext(tdb.db, { userId: null, role: 'anonymous' }, fixedClock);
      await expect(getTeamDay(anonymous)).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(getTeamDay(as(people.admin), { date: '2026-02-30' })).rejects.toThrow();
    });
  });
}
