import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftDate } from '../../src/domain/calendar/local-date.ts';
import { committedPlan } from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { loadDemoWorkspace } from '../../src/services/demo.ts';
import { commitPlan } from '../../src/services/plan.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

const NOW = new Date('2026-11-27T02:00:00.000Z');
const TODAY = '2026-11-27';

for (const dialect of DIALECTS) {
  describe(`the committed plan as the Plan page reads it on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let system: ServiceContext;
    let asRep: ServiceContext;
    let asManager: ServiceContext;
    const ids = { rep: '', otherRep: '', manager: '', admin: '' };

    beforeAll(async () => {
      tdb = await dialect.open();
      system = makeContext(tdb.db, { userId: null, role: 'system' }, () => NOW);
      await loadDemoWorkspace(system);
      const users = await tdb.db.kysely.selectFrom('users').select(['id', 'email']).execute();
      const idOf = (email: string) => users.find((u) => u.email === email)?.id ?? '';
      ids.rep = idOf('li.na@demo.tierline.local');
      ids.otherRep = idOf('david.zhang@demo.tierline.local');
      ids.manager = idOf('manager@demo.tierline.local');
      ids.admin = idOf('admin@demo.tierline.local');
      asRep = makeContext(tdb.db, { userId: ids.rep, role: 'rep' }, () => NOW);
      asManager = makeContext(tdb.db, { userId: ids.manager, role: 'manager' }, () => NOW);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it("gives a rep their own plan: summary, open touches ahead and overdue, each day's touches", async () => {
      const result = await committedPlan(asRep, {});
      expect(result.repId).toBe(ids.rep);
      expect(result.today).toBe(TODAY);
      const plan = result.plan;
      expect(plan).not.toBeNull();
      expect(plan?.scope).toBe('rep');
      // The demo commits each rep's plan four weeks back, as the system (nobody by name), over capacity.
      expect(plan?.from).toBe(shiftDate(TODAY, -28));
      expect(plan?.committedBy).toBeNull();
      expect(plan?.acceptedOverload).toBeTypeOf('boolean');
      expect(plan?.touches).toBeGreaterThan(0);
      expect(plan?.capacity?.callsPerDay).toBeGreaterThan(0);

      const open = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select(['due_on', 'status'])
        .where('rep_id', '=', ids.rep)
        .execute();
      const planned = open.filter((t) => t.status === 'planned');
      expect(result.open.overdue).toBe(planned.filter((t) => t.due_on < TODAY).length);
      expect(result.open.ahead).toBe(planned.filter((t) => t.due_on >= TODAY).length);
      expect(result.open.overdue).toBeGreaterThan(0);
      expect(result.open.ahead).toBeGreaterThan(0);

      // Every day of the horizon, with planned, done and overdue counts that add up to the stored touches.
      expect(result.days[0]?.date).toBe(plan?.from);
      expect(result.days.at(-1)?.date).toBe(shiftDate(plan?.to ?? '', -1));
      const inHorizon = open.filter(
        (t) =>
          (t.status === 'planned' || t.status === 'done') &&
          t.due_on >= (plan?.from ?? '') &&
          t.due_on < (plan?.to ?? ''),
      );
      const sum = (key: 'calls' | 'visits' | 'done' | 'overdue') =>
        result.days.reduce((n, d) => n + d[key], 0);
      expect(sum('calls') + sum('visits')).toBe(inHorizon.length);
      expect(sum('done')).toBe(inHorizon.filter((t) => t.status === 'done').length);
      expect(sum('done')).toBeGreaterThan(0);
      expect(sum('overdue')).toBe(result.open.overdue);
      expect(result.days.filter((d) => !d.working).every((d) => d.calls + d.visits === 0)).toBe(true);
      expect(result.byMonth.reduce((n, m) => n + m.calls + m.visits, 0)).toBe(inHorizon.length);
      expect(result.touches).toEqual([]);
      expect(result.replaces).toBeNull();
    });

    it('lists the touches of a week with done and overdue marked', async () => {
      const from = shiftDate(TODAY, -7);
      const to = shiftDate(TODAY, 7);
      const result = await committedPlan(asRep, { from, to });
      expect(result.touches.length).toBeGreaterThan(0);
      expect(result.touches.every((t) => t.repId === ids.rep && t.dueOn >= from && t.dueOn < to)).toBe(true);
      expect(result.touches.some((t) => t.status === 'done')).toBe(true);
      for (const t of result.touches) expect(t.overdue).toBe(t.status === 'planned' && t.dueOn < TODAY);
      const days = result.days.filter((d) => d.date >= from && d.date < to);
      expect(result.touches.length).toBe(days.reduce((n, d) => n + d.calls + d.visits, 0));
      expect(result.touches.filter((t) => t.overdue).length).toBe(days.reduce((n, d) => n + d.overdue, 0));
    });

    it('counts what a re-plan replaces, and shows the new plan with who committed it', async () => {
      const before = await committedPlan(asRep, { replanFrom: TODAY });
      expect(before.replaces?.from).toBe(TODAY);
      expect(before.replaces?.open).toBeGreaterThan(0);
      const committed = await commitPlan(asRep, { from: TODAY, acceptOverload: true });
      const audit = await tdb.db.kysely
        .selectFrom('plans')
        .select('summary')
        .where('id', '=', committed.planId ?? '')
        .executeTakeFirstOrThrow();
      expect((JSON.parse(audit.summary) as { removed: number }).removed).toBe(before.replaces?.open);

      const after = await committedPlan(asRep, {});
      expect(after.plan?.id).toBe(committed.planId);
      expect(after.plan?.from).toBe(TODAY);
      expect(after.plan?.committedBy).toEqual({ id: ids.rep, name: expect.any(String) });
      expect(after.plan?.touches).toBe(committed.touches);
      // Overdue touches from before the new start are kept (never lost).
      expect(after.open.overdue).toBe(before.open.overdue);
    });

    it("lets a rep read only their own plan, and a manager their team's", async () => {
      await expect(committedPlan(asRep, { repId: ids.otherRep })).rejects.toMatchObject({
        code: 'forbidden',
      });
      const team = await committedPlan(asManager, { repId: ids.otherRep });
      expect(team.repId).toBe(ids.otherRep);
      expect(team.plan?.scope).toBe('rep');
      await expect(committedPlan(asManager, { repId: ids.admin })).rejects.toMatchObject({
        code: 'not_found',
      });
      // The manager's own accounts: none, and no plan.
      const own = await committedPlan(asManager, {});
      expect(own.repId).toBe(ids.manager);
      expect(own.plan).toBeNull();
      expect(own.open).toEqual({ ahead: 0, overdue: 0 });
      expect(own.days).toEqual([]);
    });

    it('refuses a half-given or too long range of touches', async () => {
      await expect(committedPlan(asRep, { from: TODAY })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(committedPlan(asRep, { from: TODAY, to: shiftDate(TODAY, 63) })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(committedPlan(asRep, { from: TODAY, to: TODAY })).rejects.toMatchObject({
        code: 'validation_failed',
      });
    });

    it("gives an admin without a rep every account's touches", async () => {
      const admin = makeContext(tdb.db, { userId: ids.admin, role: 'admin' }, () => NOW);
      const all = await committedPlan(admin, {});
      expect(all.repId).toBeNull();
      const mine = await committedPlan(asRep, {});
      const other = await committedPlan(admin, { repId: ids.otherRep });
      expect(all.open.overdue).toBe(mine.open.overdue + other.open.overdue);
      // The reps' own plans are not a plan of every account: none was committed yet.
      expect(all.plan).toBeNull();
      const later = makeContext(tdb.db, admin.actor, () => new Date(NOW.getTime() + 60_000));
      const workspace = await commitPlan(later, { from: TODAY, months: 1, acceptOverload: true });
      const after = await committedPlan(admin, {});
      expect(after.plan).toMatchObject({ id: workspace.planId, scope: 'workspace', months: 1 });
      // It covers each rep's accounts too, being newer than their own plans.
      expect((await committedPlan(asRep, {})).plan?.id).toBe(workspace.planId);
    });
  });
}
