import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan, commitTeamPlans, previewPlan, previewTeamPlans } from '../../src/services/plan.ts';
import { teamPlanHealth } from '../../src/services/plan-health.ts';
import { newId } from '../../src/storage/ids.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { demoUserId, openDemoWorkspace } from '../helpers/demo.ts';

// Friday 2026-11-27, 10:00 in Shanghai; the demo's two reps (one team, one manager) work plans committed four weeks
// back, and a wider market brings in accounts no plan covers.
const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

/*
 * Re-planning several reps at once (services/plan.ts, previewTeamPlans and commitTeamPlans over planAllReps and
 * saveRepPlans): a manager only their team's active reps, a rep refused; the preview says per rep what the single
 * rep's preview says; a commit saves what commitPlan saves rep by rep, refuses (saving nothing) while a rep's plan
 * does not fit unless that rep's overload is accepted, is audited, and leaves those reps' plans in step.
 */
for (const dialect of DIALECTS) {
  describe(`re-planning several reps on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let liNa: string;
    let mate: string;
    let managerId: string;
    let adminId: string;
    let outsider: string;
    const as = (userId: string, role: 'admin' | 'manager' | 'rep') =>
      makeContext(tdb.db, { userId, role }, () => NOW);

    /** Open planned touches from today on of one rep's accounts, as comparable keys. */
    const openTouches = async (repId: string) =>
      (
        await tdb.db.kysely
          .selectFrom('planned_touches')
          .select(['account_id', 'rep_id', 'channel', 'due_on'])
          .where('status', '=', 'planned')
          .where('due_on', '>=', TODAY)
          .where('account_id', 'in', (eb) =>
            eb.selectFrom('accounts').select('id').where('owner_id', '=', repId),
          )
          .execute()
      )
        .map((t) => `${t.account_id} ${t.rep_id} ${t.channel} ${t.due_on}`)
        .sort();
    const planIds = async () =>
      (await tdb.db.kysely.selectFrom('plans').select('id').orderBy('id').execute()).map((p) => p.id);
    const setVisitsPerDay = (repId: string, perDay: number | null) =>
      tdb.db.kysely.updateTable('users').set({ visits_per_day: perDay }).where('id', '=', repId).execute();

    beforeAll(async () => {
      ({ tdb, ctx } = await openDemoWorkspace(dialect, NOW));
      const k = tdb.db.kysely;
      liNa = await demoUserId(tdb);
      const users = await k.selectFrom('users').select(['id', 'role']).execute();
      mate = users.find((u) => u.role === 'rep' && u.id !== liNa)?.id as string;
      managerId = users.find((u) => u.role === 'manager')?.id as string;
      adminId = users.find((u) => u.role === 'admin')?.id as string;
      // A rep of another team, none of the manager's.
      const at = NOW.toISOString();
      const otherTeam = newId();
      await k
        .insertInto('teams')
        .values({ id: otherTeam, name: 'Other team', manager_id: null, created_at: at, updated_at: at })
        .execute();
      outsider = newId();
      await k
        .insertInto('users')
        .values({
          id: outsider,
          email: `${outsider}@test.local`,
          name: 'Outsider',
          role: 'rep',
          team_id: otherTeam,
          password_hash: null,
          locale: 'en',
          calls_per_day: null,
          visits_per_day: null,
          disabled_at: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      // A wider market: accounts come in that no rep's plan covers.
      const saved = await saveMarket(ctx, { criteria: { minEmployees: 0 }, widen: true });
      expect(saved.plan.entered).toBeGreaterThan(0);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it("previews a manager's team (its active reps only), each rep as the single rep's preview says", async () => {
      const manager = as(managerId, 'manager');
      const team = await previewTeamPlans(manager, {});
      expect(team).toMatchObject({ from: TODAY, to: '2027-11-27', months: 12, committed: false });
      expect(team.reps.map((r) => r.repId).sort()).toEqual([liNa, mate].sort());
      for (const row of team.reps) {
        const one = await previewPlan(ctx, { repId: row.repId });
        expect(row).toEqual({
          repId: row.repId,
          name: expect.any(String),
          fits: one.fits,
          accounts: one.accounts,
          touches: one.touches,
          unplaced: one.unplaced,
          overbooked: 0,
          overdue: one.overdue,
          required: {
            call: one.required.call?.perWorkingDay,
            visit: one.required.visit?.perWorkingDay,
          },
          capacity: { callsPerDay: one.capacity.call?.perDay, visitsPerDay: one.capacity.visit?.perDay },
          acceptedOverload: false,
          planId: null,
        });
        expect(row.accounts).toBeGreaterThan(0);
      }
      // Named reps only.
      const one = await previewTeamPlans(manager, { repIds: [mate] });
      expect(one.reps.map((r) => r.repId)).toEqual([mate]);
      // An admin plans any active rep, the other team's too.
      const admin = await previewTeamPlans(as(adminId, 'admin'), {});
      expect(admin.reps.map((r) => r.repId).sort()).toEqual([liNa, mate, outsider].sort());
    });

    it("refuses a rep, a manager naming another team's rep, and someone who is not an active rep", async () => {
      const before = await planIds();
      await expect(previewTeamPlans(as(liNa, 'rep'), {})).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        commitTeamPlans(as(liNa, 'rep'), { repIds: [liNa], acceptOverloadFor: [liNa] }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const manager = as(managerId, 'manager');
      // Out of reach: answered as an unknown user (ids do not leak), as resolveRep answers it.
      for (const repIds of [[outsider], [liNa, outsider], ['no-such-user']]) {
        await expect(previewTeamPlans(manager, { repIds })).rejects.toMatchObject({ code: 'not_found' });
        await expect(commitTeamPlans(manager, { repIds, acceptOverloadFor: repIds })).rejects.toMatchObject({
          code: 'not_found',
        });
      }
      // In reach but not a rep (the manager themselves): plans on their own.
      await expect(previewTeamPlans(manager, { repIds: [managerId] })).rejects.toMatchObject({
        code: 'unprocessable',
        details: { repIds: [managerId] },
      });
      expect(await planIds()).toEqual(before);
    });

    it("commits what commitPlan commits rep by rep, audited, and leaves those reps' plans in step", async () => {
      const manager = as(managerId, 'manager');
      // Out of step after the wider market (the mate's plan is the demo's, four weeks old).
      const before = await teamPlanHealth(manager);
      expect(before.reps.find((r) => r.repId === mate)?.inStep).toBe(false);

      const preview = await previewTeamPlans(manager, { repIds: [liNa, mate] });
      const over = preview.reps.filter((r) => !r.fits).map((r) => r.repId);
      const committed = await commitTeamPlans(manager, { repIds: [mate, liNa], acceptOverloadFor: over });
      expect(committed.reps.map((r) => r.repId).sort()).toEqual([liNa, mate].sort());
      const together = new Map<string, string[]>();
      for (const row of committed.reps) {
        const seen = preview.reps.find((r) => r.repId === row.repId);
        // The preview's figures; a plan committed over capacity places its touches over it (none unplaced).
        const { touches, unplaced, overbooked, acceptedOverload, planId, ...figures } = row;
        const {
          touches: t,
          unplaced: u,
          overbooked: o,
          acceptedOverload: a,
          planId: p,
          ...previewed
        } = seen ?? row;
        expect(figures).toEqual(previewed);
        expect({ touches, unplaced, overbooked, acceptedOverload, planId: p }).toEqual(
          row.fits
            ? { touches: t, unplaced: u, overbooked: o, acceptedOverload: a, planId: null }
            : {
                touches: expect.any(Number),
                unplaced: 0,
                overbooked: expect.any(Number),
                acceptedOverload: true,
                planId: null,
              },
        );
        expect(row.planId).not.toBeNull();
        const stored = await tdb.db.kysely
          .selectFrom('planned_touches')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('plan_id', '=', row.planId)
          .executeTakeFirstOrThrow();
        expect(Number(stored.n)).toBe(row.touches);
        together.set(row.repId, await openTouches(row.repId));
      }

      // Who committed whose plans: one entry for the commit, one per plan.
      const audits = await tdb.db.kysely
        .selectFrom('audit_log')
        .select(['user_id', 'entity_id', 'action', 'after'])
        .where('entity', '=', 'plan')
        .where('user_id', '=', managerId)
        .orderBy('id')
        .execute();
      const entry = audits.find(
        (a) =>
          a.action === 'commit-reps' && (a.after as string).includes(committed.reps[0]?.planId as string),
      );
      expect(entry?.entity_id).toBeNull();
      expect(JSON.parse(entry?.after as string)).toEqual({
        from: TODAY,
        months: 12,
        reps: committed.reps
          .map((r) => ({ repId: r.repId, planId: r.planId, acceptedOverload: r.acceptedOverload }))
          .sort((a, b) => (a.repId < b.repId ? -1 : 1)),
      });
      for (const row of committed.reps)
        expect(audits.some((a) => a.entity_id === row.planId && a.action.startsWith('commit'))).toBe(true);

      // In step, both of them.
      const after = await teamPlanHealth(manager);
      for (const repId of [liNa, mate]) {
        expect(after.reps.find((r) => r.repId === repId)).toMatchObject({
          inStep: true,
          affected: 0,
          plan: { scope: 'rep', from: TODAY, id: committed.reps.find((r) => r.repId === repId)?.planId },
        });
      }

      // Committing rep by rep replaces each plan with the very same touches.
      for (const repId of [liNa, mate]) {
        const single = await commitPlan(ctx, { repId, acceptOverload: true });
        const row = committed.reps.find((r) => r.repId === repId);
        expect({ fits: single.fits, touches: single.touches }).toEqual({
          fits: row?.fits,
          touches: row?.touches,
        });
        expect(await openTouches(repId)).toEqual(together.get(repId));
      }
    });
    it('refuses a commit while a rep does not fit, saving nothing, until that rep’s overload is accepted', async () => {
      const manager = as(managerId, 'manager');
      // Li Na has no visits a day: her plan cannot fit.
      await setVisitsPerDay(liNa, 0);
      try {
        const preview = await previewTeamPlans(manager, {});
        const hers = preview.reps.find((r) => r.repId === liNa);
        expect(hers).toMatchObject({ fits: false, capacity: { visitsPerDay: 0 } });
        expect(hers?.required.visit).toBeGreaterThan(0);
        const mateFits = preview.reps.find((r) => r.repId === mate)?.fits;

        const plans = await planIds();
        const touches = { liNa: await openTouches(liNa), mate: await openTouches(mate) };
        for (const acceptOverloadFor of [undefined, [], [mate]]) {
          const refused = commitTeamPlans(manager, { ...(acceptOverloadFor ? { acceptOverloadFor } : {}) });
          await expect(refused).rejects.toMatchObject({
            code: 'conflict',
            details: {
              reps: expect.arrayContaining([
                expect.objectContaining({
                  repId: liNa,
                  name: hers?.name,
                  fits: false,
                  required: hers?.required,
                  capacity: { callsPerDay: hers?.capacity.callsPerDay, visitsPerDay: 0 },
                  unplaced: hers?.unplaced,
                }),
              ]),
            },
          });
          await refused.catch((error: Error) => expect(error.message).toContain(hers?.name));
        }
        // Nothing saved, not even the plan of the rep that fits.
        expect(await planIds()).toEqual(plans);
        expect(await openTouches(liNa)).toEqual(touches.liNa);
        expect(await openTouches(mate)).toEqual(touches.mate);

        const committed = await commitTeamPlans(manager, {
          acceptOverloadFor: mateFits ? [liNa] : [liNa, mate],
        });
        expect(committed.committed).toBe(true);
        const row = committed.reps.find((r) => r.repId === liNa);
        expect(row).toMatchObject({ fits: false, acceptedOverload: true, unplaced: 0 });
        expect(row?.overbooked).toBeGreaterThan(0);
        const saved = await tdb.db.kysely
          .selectFrom('plans')
          .select(['rep_id', 'accepted_overload', 'created_by'])
          .where('id', '=', row?.planId as string)
          .executeTakeFirstOrThrow();
        expect(saved).toEqual({ rep_id: liNa, accepted_overload: 1, created_by: managerId });
      } finally {
        await setVisitsPerDay(liNa, null);
      }
    });
  });
}
