import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// The API side of versioned edits (test/services/record-versions.test.ts has each record): two managers read the
// same version; the second save answers 409 version_conflict with the record as it is now in error.details.current,
// in the request's language, and a save without the version is refused before anything changes.

for (const dialect of DIALECTS) {
  describe(`versioned edits over the API on ${dialect.name}`, () => {
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

    it('answers a stale settings save with 409 and the settings as they are now, in Chinese when asked', async () => {
      const read = (await app.inject({ method: 'GET', url: '/api/settings', headers: admin.headers })).json();
      const first = await app.inject({
        method: 'PATCH',
        url: '/api/settings',
        headers: manager.headers,
        payload: { country: 'HK', version: read.version },
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ country: 'HK', version: read.version + 1 });

      const second = await app.inject({
        method: 'PATCH',
        url: '/api/settings',
        headers: { ...admin.headers, 'accept-language': 'zh-CN' },
        payload: { country: 'US', timeZone: 'America/New_York', version: read.version },
      });
      expect(second.statusCode).toBe(409);
      const body = second.json();
      expect(body.error.code).toBe('version_conflict');
      expect(body.error.message).toContain('工作区设置已被别人修改');
      expect(body.error.details.current).toEqual(first.json());
      const now = (await app.inject({ method: 'GET', url: '/api/settings', headers: admin.headers })).json();
      expect(now).toEqual(first.json());

      const missing = await app.inject({
        method: 'PATCH',
        url: '/api/settings',
        headers: admin.headers,
        payload: { country: 'US' },
      });
      expect(missing.statusCode).toBe(400);
      expect(
        (await app.inject({ method: 'GET', url: '/api/settings', headers: admin.headers })).json(),
      ).toEqual(now);
    });

    it('answers a stale territory save with 409 and the territory as it is now', async () => {
      const url = `/api/territories/${people.territoryA}`;
      const first = await app.inject({
        method: 'PATCH',
        url,
        headers: manager.headers,
        payload: { cities: ['深圳市'], version: 1 },
      });
      expect(first.statusCode).toBe(200);
      const second = await app.inject({
        method: 'PATCH',
        url,
        headers: admin.headers,
        payload: { cities: ['珠海市'], version: 1 },
      });
      expect(second.statusCode).toBe(409);
      expect(second.json().error).toMatchObject({
        code: 'version_conflict',
        details: { current: { id: people.territoryA, cities: ['深圳市'], version: 2 } },
      });
    });

    it('refuses a market save based on an older version than the current one', async () => {
      const save = (session: Session, version: number | null, minEmployees: number) =>
        app.inject({
          method: 'POST',
          url: '/api/market',
          headers: session.headers,
          payload: { version, criteria: { minEmployees } },
        });
      expect((await save(manager, null, 100)).statusCode).toBe(200);
      const stale = await save(admin, null, 300);
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({
        code: 'version_conflict',
        details: { current: { version: 1, criteria: { minEmployees: 100 } } },
      });
      expect((await save(admin, 1, 300)).json()).toMatchObject({ version: 2 });
      const market = (await app.inject({ method: 'GET', url: '/api/market', headers: admin.headers })).json();
      expect(market.current).toMatchObject({ version: 2, criteria: { minEmployees: 300 } });
      expect(market.versions).toHaveLength(2);
    });
  });
}
