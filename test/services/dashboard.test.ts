import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAccountListInput } from '../../src/schemas/account.ts';
import type { TDashboard } from '../../src/schemas/dashboard.ts';
import { findAccounts } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { getDashboard } from '../../src/services/dashboard.ts';
import { getGoals } from '../../src/services/goals.ts';
import { type DashboardFixture, seedDashboardFixture } from '../fixtures/dashboard.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';

// The figures of test/fixtures/dashboard.ts (see the table there), as an admin, the manager of team A, a rep and
// the manager looking at one rep; and every figure's drill-down (the accounts list filter) counting the same.

const zeroWeek = { planned: { calls: 0, visits: 0 }, done: { calls: 0, visits: 0 } };
const MONDAYS = ['10-05', '10-12', '10-19', '10-26', '11-02', '11-09', '11-16', '11-23'].map(
  (d) => `2026-${d}`,
);

function week(d: TDashboard, monday: string) {
  const w = d.weeks.find((x) => x.from === `2026-${monday}`);
  return w && { planned: w.planned, done: w.done };
}

function coverage(d: TDashboard) {
  return Object.fromEntries(d.coverage.map((c) => [`${c.tier}.${c.channel}`, [c.covered, c.accounts]]));
}

function funnel(d: TDashboard) {
  return Object.fromEntries(d.funnel.map((f) => [f.stage, f.accounts]));
}

for (const dialect of DIALECTS) {
  describe(`dashboard on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let fx: DashboardFixture;
    const as = (user: SeededUser): ServiceContext =>
      makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      fx = await seedDashboardFixture(tdb.db, people);
    });
    afterAll(async () => {
      await tdb?.cleanup();
    });

    it('gives an admin the whole workspace', async () => {
      const d = await getDashboard(as(people.admin));
      expect(d.scope).toEqual({ kind: 'workspace', repId: null, repName: null });
      expect(d).toMatchObject({ today: '2026-11-27', from: '2026-10-05', to: '2026-11-29' });
      expect(d.weeks.map((w) => w.from)).toEqual(MONDAYS);
      expect(d.weeks.map((w) => w.to)[7]).toBe('2026-11-29');
      expect(week(d, '10-05')).toEqual({ planned: { calls: 1, visits: 0 }, done: { calls: 1, visits: 0 } });
      expect(week(d, '10-12')).toEqual(zeroWeek);
      expect(week(d, '11-16')).toEqual({ planned: { calls: 2, visits: 0 }, done: { calls: 1, visits: 0 } });
      // 11-22 16:30 UTC is Monday 00:30 in Shanghai: this week, not last.
      expect(week(d, '11-23')).toEqual({ planned: { calls: 1, visits: 2 }, done: { calls: 3, visits: 0 } });
      expect(coverage(d)).toEqual({
        'A.call': [2, 3],
        'A.visit': [0, 3],
        'B.call': [1, 3],
        'B.visit': [1, 3],
        'C.call': [1, 1],
        'C.visit': [0, 1],
      });
      expect(d.coverage.find((c) => c.tier === 'A' && c.channel === 'call')).toMatchObject({
        intervalMonths: 1,
        share: 2 / 3,
      });
      expect(funnel(d)).toEqual({
        prospect: 3,
        contacted: 1,
        meeting: 1,
        proposal: 1,
        won: 1,
        lost: 1,
        dormant: 0,
      });
      expect(d.overdue.accounts).toBe(4);
      expect(d.overdue.byRep).toEqual([
        { repId: people.rep.id, name: people.rep.name, accounts: 2 },
        ...[
          { repId: people.mate.id, name: people.mate.name, accounts: 1 },
          { repId: people.otherRep.id, name: people.otherRep.name, accounts: 1 },
        ].sort((a, b) => a.name.localeCompare(b.name)),
      ]);
      expect(d.objections.map((o) => [o.code, o.met, o.accounts])).toEqual([
        ['no-budget', 4, 3],
        ['price-too-high', 1, 1],
      ]);
      expect(d.objections[0]?.label.zh).toBeTruthy();
      expect(d.skills).toEqual({
        reps: 3,
        skills: fx.skills,
        stages: [
          { stage: 1, count: 3 * fx.skills - 4 },
          { stage: 2, count: 2 },
          { stage: 3, count: 1 },
          { stage: 4, count: 1 },
        ],
      });
      expect(d.reps.map((r) => r.id).sort()).toEqual(
        [people.rep.id, people.mate.id, people.otherRep.id].sort(),
      );
    });

    it('gives a manager only the team', async () => {
      const d = await getDashboard(as(people.manager));
      expect(d.scope.kind).toBe('team');
      expect(week(d, '10-05')).toEqual({ planned: { calls: 1, visits: 0 }, done: { calls: 1, visits: 0 } });
      expect(week(d, '11-16')).toEqual({ planned: { calls: 1, visits: 0 }, done: { calls: 1, visits: 0 } });
      expect(week(d, '11-23')).toEqual({ planned: { calls: 1, visits: 2 }, done: { calls: 2, visits: 0 } });
      expect(coverage(d)).toEqual({
        'A.call': [1, 2],
        'A.visit': [0, 2],
        'B.call': [1, 2],
        'B.visit': [1, 2],
        'C.call': [1, 1],
        'C.visit': [0, 1],
      });
      expect(funnel(d)).toEqual({
        prospect: 2,
        contacted: 1,
        meeting: 1,
        proposal: 1,
        won: 1,
        lost: 0,
        dormant: 0,
      });
      expect(d.overdue.accounts).toBe(3);
      expect(d.overdue.byRep.map((r) => [r.repId, r.accounts])).toEqual([
        [people.rep.id, 2],
        [people.mate.id, 1],
      ]);
      expect(d.objections.map((o) => [o.code, o.met, o.accounts])).toEqual([
        ['no-budget', 3, 2],
        ['price-too-high', 1, 1],
      ]);
      expect(d.skills.reps).toBe(2);
      expect(d.skills.stages.map((s) => s.count)).toEqual([2 * fx.skills - 3, 1, 1, 1]);
      expect(d.reps.map((r) => r.id).sort()).toEqual([people.rep.id, people.mate.id].sort());
    });

    it('gives a rep only their own figures, and refuses another rep', async () => {
      const d = await getDashboard(as(people.rep));
      expect(d.scope).toEqual({ kind: 'rep', repId: people.rep.id, repName: people.rep.name });
      expect(d.reps).toEqual([]);
      expect(week(d, '10-05')).toEqual(zeroWeek);
      expect(week(d, '11-16')).toEqual({ planned: { calls: 1, visits: 0 }, done: { calls: 1, visits: 0 } });
      expect(week(d, '11-23')).toEqual({ planned: { calls: 1, visits: 1 }, done: { calls: 2, visits: 0 } });
      expect(coverage(d)).toEqual({
        'A.call': [1, 2],
        'A.visit': [0, 2],
        'B.call': [1, 1],
        'B.visit': [1, 1],
        'C.call': [0, 0],
        'C.visit': [0, 0],
      });
      expect(d.coverage.find((c) => c.tier === 'C')?.share).toBeNull();
      expect(funnel(d)).toMatchObject({
        prospect: 1,
        contacted: 1,
        meeting: 1,
        won: 1,
        proposal: 0,
        lost: 0,
      });
      expect(d.overdue).toEqual({
        accounts: 2,
        byRep: [{ repId: people.rep.id, name: people.rep.name, accounts: 2 }],
      });
      expect(d.objections.map((o) => [o.code, o.met, o.accounts])).toEqual([
        ['no-budget', 2, 1],
        ['price-too-high', 1, 1],
      ]);
      expect(d.skills).toMatchObject({
        reps: 1,
        stages: [{ count: fx.skills - 2 }, { count: 1 }, { count: 1 }, { count: 0 }],
      });
      await expect(getDashboard(as(people.rep), { repId: people.mate.id })).rejects.toMatchObject({
        code: 'forbidden',
      });
    });

    it('narrows a manager to one rep of the team, and hides other teams’ reps', async () => {
      const d = await getDashboard(as(people.manager), { repId: people.mate.id });
      expect(d.scope).toEqual({ kind: 'rep', repId: people.mate.id, repName: people.mate.name });
      // Week 1 starts Monday 10-05 in Shanghai: the mate's call at 23:00 on Sunday 10-04 is before it.
      expect(week(d, '10-05')).toEqual({ planned: { calls: 1, visits: 0 }, done: { calls: 1, visits: 0 } });
      expect(week(d, '11-23')).toEqual({ planned: { calls: 0, visits: 1 }, done: { calls: 0, visits: 0 } });
      expect(coverage(d)).toMatchObject({ 'B.call': [0, 1], 'C.call': [1, 1], 'A.call': [0, 0] });
      expect(d.overdue.accounts).toBe(1);
      expect(funnel(d)).toMatchObject({ prospect: 1, proposal: 1 });
      await expect(getDashboard(as(people.manager), { repId: people.otherRep.id })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(getDashboard(as(people.admin), { repId: 'no-such-user' })).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('takes a shorter or earlier period', async () => {
      const d = await getDashboard(as(people.admin), { weeks: 2, to: '2026-11-22' });
      expect(d).toMatchObject({ from: '2026-11-09', to: '2026-11-22' });
      expect(d.weeks.map((w) => w.from)).toEqual(['2026-11-09', '2026-11-16']);
      // The objections of those two weeks only: the call of Monday 00:30 (Shanghai) is the next week.
      expect(d.objections.map((o) => [o.code, o.met, o.accounts])).toEqual([['no-budget', 1, 1]]);
      // Coverage and overdue stay as of today.
      expect(d.overdue.accounts).toBe(4);
    });

    it('takes a single week (Today shows a manager the team’s week from it)', async () => {
      const d = await getDashboard(as(people.admin), { weeks: 1 });
      expect(d).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
      expect(d.weeks.map((w) => ({ from: w.from, planned: w.planned, done: w.done }))).toEqual([
        { from: '2026-11-23', planned: { calls: 1, visits: 2 }, done: { calls: 3, visits: 0 } },
      ]);
    });

    it('measures coverage exactly as the goals do', async () => {
      for (const user of [people.rep, people.mate, people.otherRep]) {
        const goals = await getGoals(as(user), { period: 'week' });
        const d = await getDashboard(as(user));
        for (const c of d.coverage) {
          const g = goals.coverage[c.tier][c.channel];
          expect([c.tier, c.channel, c.covered, c.accounts]).toEqual([
            c.tier,
            c.channel,
            g.covered,
            g.accounts,
          ]);
        }
      }
    });

    it('drills every figure down to the accounts behind it', async () => {
      const manager = as(people.manager);
      const d = await getDashboard(manager);
      const total = async (filters: TAccountListInput) => (await findAccounts(manager, filters)).total;
      const names = async (filters: TAccountListInput) =>
        (await findAccounts(manager, { ...filters, pageSize: 100 })).items.map((a) => a.name).sort();

      for (const c of d.coverage) {
        const base = { tier: [c.tier], inMarket: true };
        expect(await total({ ...base, covered: c.channel })).toBe(c.covered);
        expect(await total({ ...base, uncovered: c.channel })).toBe(c.accounts - c.covered);
      }
      expect(await names({ tier: ['B'], inMarket: true, uncovered: 'call' })).toEqual(['看板客户M1有限公司']);
      for (const f of d.funnel) expect(await total({ stage: [f.stage] })).toBe(f.accounts);
      expect(await total({ overdue: true })).toBe(d.overdue.accounts);
      for (const r of d.overdue.byRep)
        expect(await total({ overdue: true, ownerId: r.repId })).toBe(r.accounts);
      for (const o of d.objections) {
        expect(await total({ objectionId: o.objectionId, touchedFrom: d.from, touchedTo: d.to })).toBe(
          o.accounts,
        );
      }
      const last = d.weeks.at(-1);
      expect(await names({ touchedFrom: last?.from, touchedTo: last?.to, channel: 'call' })).toEqual([
        '看板客户R1有限公司',
        '看板客户R3有限公司',
      ]);
      expect(await names({ plannedFrom: last?.from, plannedTo: last?.to, byRep: people.rep.id })).toEqual([
        '看板客户R2有限公司',
        '看板客户R3有限公司',
      ]);
      expect(await names({ plannedFrom: last?.from, plannedTo: last?.to, channel: 'visit' })).toEqual([
        '看板客户M1有限公司',
        '看板客户R3有限公司',
      ]);
      // The rep's own drill-down: touches they logged, on whoever's account.
      expect(await total({ touchedFrom: '2026-10-01', touchedTo: '2026-10-04', byRep: people.mate.id })).toBe(
        1,
      );
      await expect(
        findAccounts(manager, { touchedFrom: '2026-11-02', touchedTo: '2026-11-01' }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
      });
    });
  });
}
