import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTeamPlanResult } from '../../src/schemas/plan-api.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// POST /api/plan/team/preview and /commit: several reps' plans at once for a manager (their team) or an admin;
// a rep refused, another team's rep answered as unknown, CSRF on the commit, and the 409 naming the reps whose
// plans do not fit with their figures, nothing saved.

for (const dialect of DIALECTS) {
  describe(`re-planning several reps over HTTP on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let rep: Session;
    let manager: Session;
    let admin: Session;
    let system: ServiceContext;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, { userId: null, role: 'system' }, () => FIXED_NOW);
      for (const [i, owner] of [
        people.rep,
        people.rep,
        people.mate,
        people.mate,
        people.otherRep,
      ].entries()) {
        await createAccount(system, {
          name: `团队计划${i}有限公司`,
          city: owner === people.otherRep ? '南京市' : '广州市',
          province: owner === people.otherRep ? '江苏省' : '广东省',
          employeesMin: 100 + i,
          annualSales: 10_000_000 * (i + 1),
          ownerId: owner.id,
        });
      }
      await saveMarket(system, { criteria: { minEmployees: 50 } });
      rep = await signIn(app, people.rep);
      manager = await signIn(app, people.manager);
      admin = await signIn(app, people.admin);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    const post = (
      session: Session | null,
      what: 'preview' | 'commit',
      payload: object,
      headers: Record<string, string> = session?.headers ?? {},
    ) => app.inject({ method: 'POST', url: `/api/plan/team/${what}`, payload, headers });
    const plans = async () => (await tdb.db.kysely.selectFrom('plans').select('id').execute()).length;

    it("previews and commits a manager's team; the admin any rep", async () => {
      const preview = await post(manager, 'preview', {});
      expect(preview.statusCode, preview.body).toBe(200);
      const body = preview.json<TTeamPlanResult>();
      expect(body.committed).toBe(false);
      expect(body.reps.map((r) => r.repId).sort()).toEqual([people.rep.id, people.mate.id].sort());
      expect(body.reps.every((r) => r.planId === null && r.accounts === 2)).toBe(true);

      const committed = await post(manager, 'commit', {
        repIds: [people.rep.id],
        acceptOverloadFor: [people.rep.id],
      });
      expect(committed.statusCode, committed.body).toBe(200);
      const saved = committed.json<TTeamPlanResult>();
      expect(saved).toMatchObject({ committed: true, reps: [{ repId: people.rep.id, accounts: 2 }] });
      expect(typeof saved.reps[0]?.planId).toBe('string');

      const asAdmin = await post(admin, 'preview', { repIds: [people.otherRep.id] });
      expect(asAdmin.statusCode, asAdmin.body).toBe(200);
      expect(asAdmin.json<TTeamPlanResult>().reps.map((r) => r.repId)).toEqual([people.otherRep.id]);
    });

    it("refuses a rep (403), another team's rep (404), a commit without its CSRF header and unknown keys", async () => {
      const before = await plans();
      for (const what of ['preview', 'commit'] as const) {
        const asRep = await post(rep, what, { repIds: [people.rep.id] });
        expect(asRep.statusCode).toBe(403);
        expect(asRep.json().error.code).toBe('forbidden');
        const outside = await post(manager, what, { repIds: [people.otherRep.id] });
        expect(outside.statusCode).toBe(404);
        expect(outside.json().error.details).toEqual({ repId: people.otherRep.id });
        expect((await post(manager, what, { repIds: [] })).statusCode).toBe(400);
        expect((await post(manager, what, { repId: people.rep.id })).statusCode).toBe(400);
        expect((await post(null, what, {})).statusCode).toBe(401);
      }
      const noCsrf = await post(
        manager,
        'commit',
        { acceptOverloadFor: [people.rep.id, people.mate.id] },
        {
          cookie: manager.cookie,
        },
      );
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error).toMatchObject({ code: 'forbidden', details: { reason: 'csrf' } });
      expect(await plans()).toBe(before);
    });

    it('answers 409 naming the reps whose plans do not fit, with their figures, and saves nothing', async () => {
      await tdb.db.kysely
        .updateTable('users')
        .set({ visits_per_day: 0 })
        .where('id', '=', people.mate.id)
        .execute();
      try {
        const before = await plans();
        const refused = await post(manager, 'commit', { acceptOverloadFor: [people.rep.id] });
        expect(refused.statusCode, refused.body).toBe(409);
        const error = refused.json().error;
        expect(error.code).toBe('conflict');
        expect(error.message).toContain(people.mate.name);
        expect(error.details.reps).toEqual([
          expect.objectContaining({
            repId: people.mate.id,
            name: people.mate.name,
            fits: false,
            accounts: 2,
            capacity: expect.objectContaining({ visitsPerDay: 0 }),
            required: { call: expect.any(Number), visit: expect.any(Number) },
            planId: null,
          }),
        ]);
        expect(error.details.reps[0].required.visit).toBeGreaterThan(0);
        // In the caller's language.
        const zh = await post(manager, 'commit', {}, { ...manager.headers, 'accept-language': 'zh-CN' });
        expect(zh.statusCode).toBe(409);
        expect(zh.json().error.message).toContain('超出容量');
        expect(await plans()).toBe(before);

        const accepted = await post(manager, 'commit', {
          acceptOverloadFor: [people.mate.id, people.rep.id],
        });
        expect(accepted.statusCode, accepted.body).toBe(200);
        expect(accepted.json<TTeamPlanResult>().reps.find((r) => r.repId === people.mate.id)).toMatchObject({
          fits: false,
          acceptedOverload: true,
        });
        expect(await plans()).toBe(before + 2);
      } finally {
        await tdb.db.kysely
          .updateTable('users')
          .set({ visits_per_day: null })
          .where('id', '=', people.mate.id)
          .execute();
      }
    });
  });
}
