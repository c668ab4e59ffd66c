import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext } from '../../src/services/context.ts';
import { retier, saveMarket } from '../../src/services/market.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// The API side of the shared checks: the market's live count beside the count at save time, a minimum above its
// maximum, values no account has, team names, one capacity limit and an effectiveness period the wrong way round.

for (const dialect of DIALECTS) {
  describe(`market, teams and people over the API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Session;
    let manager: Session;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      admin = await signIn(app, people.admin);
      manager = await signIn(app, people.manager);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('answers the market with how many accounts are in it now, beside `matching` at save time', async () => {
      const ctx = makeContext(tdb.db, { userId: null, role: 'system' }, fixedClock);
      await createAccount(ctx, makeAccountInput({ employeesMin: 200, employeesMax: 200 }));
      await saveMarket(ctx, { version: null, criteria: { minEmployees: 100 } });
      await createAccount(ctx, makeAccountInput({ employeesMin: 300, employeesMax: 300 }));
      await retier(ctx);

      const market = await app.inject({ method: 'GET', url: '/api/market', headers: manager.headers });
      expect(market.statusCode).toBe(200);
      expect(market.json()).toMatchObject({ current: { version: 1, matching: 1 }, inMarket: 2 });
    });

    it('refuses a minimum above its maximum naming both fields, and names values no account has', async () => {
      const inverted = await app.inject({
        method: 'POST',
        url: '/api/market/preview',
        headers: { ...admin.headers, 'accept-language': 'zh-CN' },
        payload: { minAnnualSales: 2e8, maxAnnualSales: 1e8 },
      });
      expect(inverted.statusCode).toBe(400);
      const issue = inverted.json().error.details.issues[0];
      expect(issue.path).toBe('body.minAnnualSales');
      expect(issue.message).toContain('maxAnnualSales');
      expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
      const save = await app.inject({
        method: 'POST',
        url: '/api/market',
        headers: admin.headers,
        payload: { version: 1, criteria: { minEmployees: 500, maxEmployees: 100 } },
      });
      expect(save.statusCode).toBe(400);

      const preview = await app.inject({
        method: 'POST',
        url: '/api/market/preview',
        headers: admin.headers,
        payload: { provinces: ['Guangdong', 'Atlantis'], industries: ['电子', 'nothing'] },
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({
        matching: 2,
        unknownValues: [
          { field: 'provinces', value: 'Atlantis' },
          { field: 'industries', value: 'nothing' },
        ],
      });
    });

    it('refuses a team name another team has with 409', async () => {
      const first = await app.inject({
        method: 'POST',
        url: '/api/teams',
        headers: admin.headers,
        payload: { name: 'East Sales' },
      });
      expect(first.statusCode).toBe(201);
      const again = await app.inject({
        method: 'POST',
        url: '/api/teams',
        headers: { ...admin.headers, 'accept-language': 'zh-CN' },
        payload: { name: 'ＥＡＳＴ sales' },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toMatchObject({
        code: 'conflict',
        details: { field: 'name', existing: { id: first.json().id, name: 'East Sales' } },
      });
      expect(again.json().error.message).toContain('已经有名为');
    });

    it('takes a rep’s calls per day up to the limit a plan may try', async () => {
      const read = await app.inject({
        method: 'GET',
        url: `/api/users/${people.rep.id}`,
        headers: admin.headers,
      });
      const saved = await app.inject({
        method: 'PATCH',
        url: `/api/users/${people.rep.id}`,
        headers: admin.headers,
        payload: { callsPerDay: 800, visitsPerDay: 80, version: read.json().version },
      });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({ callsPerDay: 800, visitsPerDay: 80 });
      const over = await app.inject({
        method: 'PATCH',
        url: `/api/users/${people.rep.id}`,
        headers: admin.headers,
        payload: { callsPerDay: 1001, version: saved.json().version },
      });
      expect(over.statusCode).toBe(400);
    });

    it('refuses an effectiveness period that ends before it starts', async () => {
      const swapped = await app.inject({
        method: 'GET',
        url: '/api/objections/effectiveness?from=2026-12-01&to=2026-11-01',
        headers: manager.headers,
      });
      expect(swapped.statusCode).toBe(400);
      expect(swapped.json().error.details.issues[0].path).toMatch(/^query(string)?\.from$/);
      const oneDay = await app.inject({
        method: 'GET',
        url: '/api/objections/effectiveness?from=2026-11-01&to=2026-11-01',
        headers: manager.headers,
      });
      expect(oneDay.statusCode).toBe(200);
    });
  });
}
