import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlanHealth, TTeamPlanHealth } from '../../src/schemas/plan-api.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan } from '../../src/services/plan.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// GET /api/plan/health: the committed plan's scope and access (a rep their own, a manager their team's), strict
// query keys, and the accounts a plan misses: here one added after the plan was committed.

for (const dialect of DIALECTS) {
  describe(`plan health over HTTP on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let rep: Session;
    let otherRep: Session;
    let manager: Session;
    let admin: Session;
    let system: ServiceContext;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, { userId: null, role: 'system' }, () => FIXED_NOW);
      for (let i = 0; i < 6; i++) {
        await createAccount(system, {
          name: `健康测试${i}有限公司`,
          city: '广州市',
          province: '广东省',
          employeesMin: 100 + i,
          annualSales: 10_000_000 * (i + 1),
          ownerId: people.rep.id,
        });
      }
      await saveMarket(system, { criteria: { minEmployees: 50 } });
      await commitPlan(system, { repId: people.rep.id, acceptOverload: true });
      rep = await signIn(app, people.rep);
      otherRep = await signIn(app, people.otherRep);
      manager = await signIn(app, people.manager);
      admin = await signIn(app, people.admin);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    const get = (session: Session, query = '') =>
      app.inject({ method: 'GET', url: `/api/plan/health${query}`, headers: session.headers });

    it('answers in step after a commit, and counts an account added since as unplanned', async () => {
      const before = await get(rep);
      expect(before.statusCode, before.body).toBe(200);
      expect(before.json<TPlanHealth>()).toMatchObject({ repId: people.rep.id, inStep: true, affected: 0 });

      const added = await createAccount(system, {
        name: '健康测试新增有限公司',
        city: '广州市',
        province: '广东省',
        employeesMin: 500,
        annualSales: 900_000_000,
        ownerId: people.rep.id,
      });
      await saveMarket(system, { criteria: { minEmployees: 50 } });
      const after = await get(rep);
      expect(after.statusCode, after.body).toBe(200);
      const body = after.json<TPlanHealth>();
      expect(body.inStep).toBe(false);
      expect(body.affected).toBeGreaterThanOrEqual(1);
      expect(body.accounts).toContainEqual(
        expect.objectContaining({
          id: added.id,
          channel: 'call',
          reason: 'unplanned',
          nextDue: '2026-11-27',
        }),
      );
      expect(body.accounts).toContainEqual(
        expect.objectContaining({ id: added.id, channel: 'visit', reason: 'unplanned' }),
      );
      // The manager sees the rep's; the same answer.
      const asManager = await get(manager, `?repId=${people.rep.id}`);
      expect(asManager.statusCode).toBe(200);
      expect(asManager.json()).toEqual(body);
    });

    it('answers each rep’s health in one line for a manager (their team) and an admin, not for a rep', async () => {
      const team = (session: Session) =>
        app.inject({ method: 'GET', url: '/api/plan/health/team', headers: session.headers });
      const asManager = await team(manager);
      expect(asManager.statusCode, asManager.body).toBe(200);
      const body = asManager.json<TTeamPlanHealth>();
      expect(body.scope).toBe('team');
      expect(body.reps.map((r) => r.repId).sort()).toEqual([people.rep.id, people.mate.id].sort());
      // The rep with the account added since the plan: the same figures as their own health, listed first.
      const own = (await get(rep)).json<TPlanHealth>();
      expect(own.inStep).toBe(false);
      expect(body.reps[0]).toMatchObject({
        repId: people.rep.id,
        inStep: false,
        affected: own.affected,
        counts: own.counts,
        plan: { id: own.plan?.id, scope: 'rep', from: own.plan?.from, to: own.plan?.to },
      });
      expect(body.reps[0]?.accounts.unplanned).toBeGreaterThanOrEqual(1);
      expect(body.reps[1]).toMatchObject({ repId: people.mate.id, plan: null, inStep: true, affected: 0 });

      const asAdmin = (await team(admin)).json<TTeamPlanHealth>();
      expect(asAdmin.scope).toBe('workspace');
      expect(asAdmin.reps.map((r) => r.repId)).toContain(people.otherRep.id);
      expect((await team(rep)).statusCode).toBe(403);
      expect((await team(otherRep)).statusCode).toBe(403);
    });

    it('refuses another rep’s health and unknown query keys', async () => {
      expect((await get(otherRep, `?repId=${people.rep.id}`)).statusCode).toBe(403);
      expect((await get(rep, '?rep=x')).statusCode).toBe(400);
      expect((await get(rep, '?repId=')).statusCode).toBe(400);
      const anon = await app.inject({ method: 'GET', url: '/api/plan/health' });
      expect(anon.statusCode).toBe(401);
    });
  });
}
