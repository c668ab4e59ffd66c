import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTeamPlanHealth } from '../../src/schemas/plan-api.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan } from '../../src/services/plan.ts';
import { planHealth, teamPlanHealth } from '../../src/services/plan-health.ts';
import { newId } from '../../src/storage/ids.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's market is "at least 50 employees", its two reps (one team, one
// manager) each work a plan committed four weeks back.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/*
 * Each rep's plan health in one line (services/plan-health.ts, teamPlanHealth): after a wider market, the rep
 * re-planned since (on a plan of their own with a shorter horizon) is in step and the other has the accounts it
 * brought in unplanned; every rep's figures are exactly planHealth's for that rep, counted for all reps at once.
 */
for (const dialect of DIALECTS) {
  describe(`each rep's plan health on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let liNa: string;
    let mate: string;
    let managerId: string;
    let adminId: string;
    let outsider: string;
    let leaver: string;
    const as = (userId: string, role: 'admin' | 'manager' | 'rep') =>
      makeContext(tdb.db, { userId, role }, () => NOW);

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      const k = tdb.db.kysely;
      liNa = await demoUserId(tdb);
      const users = await k.selectFrom('users').select(['id', 'role', 'team_id']).execute();
      mate = users.find((u) => u.role === 'rep' && u.id !== liNa)?.id as string;
      managerId = users.find((u) => u.role === 'manager')?.id as string;
      adminId = users.find((u) => u.role === 'admin')?.id as string;
      const at = NOW.toISOString();
      // A rep of another team (none of the manager's), and a disabled rep of the manager's team.
      const otherTeam = newId();
      await k
        .insertInto('teams')
        .values({ id: otherTeam, name: 'Other team', manager_id: null, created_at: at, updated_at: at })
        .execute();
      const teamId = users.find((u) => u.id === liNa)?.team_id ?? null;
      outsider = newId();
      leaver = newId();
      for (const [id, team, disabled] of [
        [outsider, otherTeam, null],
        [leaver, teamId, at],
      ] as const) {
        await k
          .insertInto('users')
          .values({
            id,
            email: `${id}@test.local`,
            name: id === outsider ? 'Outsider' : 'Leaver',
            role: 'rep',
            team_id: team,
            password_hash: null,
            locale: 'en',
            calls_per_day: null,
            visits_per_day: null,
            disabled_at: disabled,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    /** The rows of the team health, each checked against planHealth(ctx, { repId }) for that rep. */
    async function teamHealth(as: ServiceContext): Promise<TTeamPlanHealth> {
      const team = await teamPlanHealth(as);
      expect(team.today).toBe(TODAY);
      for (const row of team.reps) {
        const one = await planHealth(ctx, { repId: row.repId });
        expect({ repId: row.repId, counts: row.counts, affected: row.affected, inStep: row.inStep }).toEqual({
          repId: one.repId,
          counts: one.counts,
          affected: one.affected,
          inStep: one.inStep,
        });
        expect(row.plan && { id: row.plan.id, from: row.plan.from, to: row.plan.to }).toEqual(
          one.plan && { id: one.plan.id, from: one.plan.from, to: one.plan.to },
        );
        // Accounts per finding: at least those of the channel with the most, at most the findings, at most affected.
        for (const reason of ['unplanned', 'behind', 'ahead'] as const) {
          const call = sum(row.counts[reason].call);
          const visit = sum(row.counts[reason].visit);
          expect(row.accounts[reason]).toBeGreaterThanOrEqual(Math.max(call, visit));
          expect(row.accounts[reason]).toBeLessThanOrEqual(Math.min(call + visit, row.affected));
        }
      }
      return team;
    }

    const rowOf = (team: TTeamPlanHealth, repId: string) => {
      const row = team.reps.find((r) => r.repId === repId);
      if (!row) throw new Error(`no row for ${repId}`);
      return row;
    };

    it('is every rep in step on the demo’s plans; no plan for a rep without one', async () => {
      const team = await teamHealth(as(adminId, 'admin'));
      expect(team.scope).toBe('workspace');
      expect(team.reps.map((r) => r.repId).sort()).toEqual([liNa, mate, outsider].sort());
      expect(rowOf(team, outsider)).toMatchObject({ plan: null, inStep: true, affected: 0 });
      expect(rowOf(team, liNa).plan).toMatchObject({ scope: 'rep' });
    });

    it('after a wider market: the rep re-planned is in step, the other has the accounts it brought in unplanned', async () => {
      const inMarket = async (owner: string) =>
        new Set(
          (
            await tdb.db.kysely
              .selectFrom('accounts')
              .select('id')
              .where('owner_id', '=', owner)
              .where('in_market', '=', 1)
              .execute()
          ).map((r) => r.id),
        );
      const before = await inMarket(mate);
      const saved = await saveMarket(ctx, { criteria: { minEmployees: 0 }, widen: true });
      expect(saved.plan.entered).toBeGreaterThan(0);
      const entered = [...(await inMarket(mate))].filter((id) => !before.has(id));
      expect(entered.length).toBeGreaterThan(0);
      // Li Na re-planned from today: her horizon ends four weeks after the mate's (committed four weeks back).
      await commitPlan(ctx, { repId: liNa, acceptOverload: true });

      const team = await teamHealth(as(adminId, 'admin'));
      const mine = rowOf(team, liNa);
      const theirs = rowOf(team, mate);
      expect(mine).toMatchObject({ inStep: true, affected: 0, plan: { scope: 'rep', from: TODAY } });
      expect(theirs.inStep).toBe(false);
      expect(theirs.plan?.from).not.toBe(TODAY);
      expect(theirs.plan?.to).not.toBe(mine.plan?.to);
      // Each account the wider market brought in is due on both channels within the plan.
      expect(sum(theirs.counts.unplanned.call)).toBe(entered.length);
      // Re-tiering with more accounts in the market may leave a few others' visits unplanned too.
      expect(theirs.accounts.unplanned).toBeGreaterThanOrEqual(entered.length);
      expect(theirs.affected).toBeGreaterThanOrEqual(entered.length);
      // The most out of step first.
      expect(team.reps[0]?.repId).toBe(mate);
    });

    it('judges each rep against their own plan’s horizon, then against a newer plan of every account', async () => {
      // A two-month plan, checked against its own horizon; the mate's horizon is another one.
      await commitPlan(ctx, { repId: liNa, months: 2, acceptOverload: true });
      let team = await teamHealth(as(adminId, 'admin'));
      expect(rowOf(team, liNa).plan).toMatchObject({ scope: 'rep', from: TODAY, to: '2027-01-27' });
      expect(rowOf(team, mate).plan?.to).not.toBe('2027-01-27');
      // In step: a fresh plan holds every touch due in it; the quarterly visits of accounts never visited are spread
      // over their first quarter, so those after its end are not missing (domain/plan/health.ts, neverTouchedDue).
      expect(rowOf(team, liNa).inStep).toBe(true);

      // A plan of every account committed since (a minute later) is the one in force for every rep.
      const later = makeContext(
        tdb.db,
        { userId: null, role: 'system' },
        () => new Date(NOW.getTime() + 60_000),
      );
      await commitPlan(later, { acceptOverload: true });
      team = await teamHealth(as(adminId, 'admin'));
      const workspacePlan = rowOf(team, liNa).plan;
      expect(workspacePlan).toMatchObject({ scope: 'workspace', from: TODAY });
      expect(rowOf(team, mate).plan).toEqual(workspacePlan);
      expect(rowOf(team, outsider).plan).toEqual(workspacePlan);
    });

    it('shows a manager their team’s active reps only, and refuses a rep', async () => {
      const team = await teamHealth(as(managerId, 'manager'));
      expect(team.scope).toBe('team');
      expect(team.reps.map((r) => r.repId).sort()).toEqual([liNa, mate].sort());
      expect(team.reps.map((r) => r.repId)).not.toContain(leaver);
      await expect(teamPlanHealth(as(liNa, 'rep'))).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
}
