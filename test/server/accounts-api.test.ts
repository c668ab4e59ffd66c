import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type Session, seedPeople, signIn } from '../helpers/session.ts';

for (const dialect of DIALECTS) {
  describe(`accounts API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let session: Session;
    // Every call as the admin (who sees every account); access rules have their own tests.
    const api = (options: InjectOptions) =>
      app.inject({ ...options, headers: { ...session.headers, ...(options.headers ?? {}) } });

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      const people = await seedPeople(tdb.db);
      session = await signIn(app, people.admin);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('answers health', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', database: dialect.name });
    });

    it('creates, reads, lists, filters and sorts accounts', async () => {
      const created = await api({
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({
          name: '深圳市华信电子科技有限公司',
          website: 'https://www.HuaXin.com.cn/about',
          annualSales: 120_000_000,
        }),
      });
      expect(created.statusCode).toBe(201);
      const account = created.json();
      expect(account).toMatchObject({
        name: '深圳市华信电子科技有限公司',
        website: 'huaxin.com.cn',
        version: 1,
        inMarket: false,
        tier: null,
        stage: 'prospect',
      });
      await api({
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({
          name: 'Suzhou Bright Star Co., Ltd.',
          province: '江苏省',
          city: '苏州市',
          annualSales: 9_000_000,
        }),
      });

      const one = await api({ method: 'GET', url: `/api/accounts/${account.id}` });
      expect(one.statusCode).toBe(200);
      expect(one.json().id).toBe(account.id);

      const page = (await api({ method: 'GET', url: '/api/accounts?province=江苏省' })).json();
      expect(page.total).toBe(1);
      expect(page.items[0].name).toBe('Suzhou Bright Star Co., Ltd.');

      const searched = (
        await api({ method: 'GET', url: `/api/accounts?search=${encodeURIComponent('华信')}` })
      ).json();
      expect(searched.items.map((a: { name: string }) => a.name)).toEqual(['深圳市华信电子科技有限公司']);

      const sorted = (
        await api({ method: 'GET', url: '/api/accounts?sort=annualSales&order=desc&pageSize=1' })
      ).json();
      expect(sorted.items).toHaveLength(1);
      expect(sorted.total).toBe(2);
      expect(sorted.items[0].annualSales).toBe(120_000_000);

      const facets = (await api({ method: 'GET', url: '/api/accounts/facets' })).json();
      expect(facets.provinces).toEqual(
        expect.arrayContaining([
          { value: '江苏省', count: 1 },
          { value: '广东省', count: 1 },
        ]),
      );
    });

    it('updates with the current version and answers 409 with the current record when stale', async () => {
      const account = (
        await api({ method: 'POST', url: '/api/accounts', payload: makeAccountInput() })
      ).json();
      const ok = await api({
        method: 'PATCH',
        url: `/api/accounts/${account.id}`,
        payload: { version: 1, city: '广州市' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ city: '广州市', version: 2 });

      const stale = await api({
        method: 'PATCH',
        url: `/api/accounts/${account.id}`,
        payload: { version: 1, city: '东莞市' },
      });
      expect(stale.statusCode).toBe(409);
      const body = stale.json();
      expect(body.error.code).toBe('version_conflict');
      expect(body.error.details.current).toMatchObject({ city: '广州市', version: 2 });

      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('entity_id', '=', account.id)
        .orderBy('at')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
      expect(JSON.parse(audit[1]!.before!)).toMatchObject({ city: '深圳市' });
    });

    it('rejects bad input with the error shape and a reason', async () => {
      const missing = await api({
        method: 'POST',
        url: '/api/accounts',
        payload: { province: '上海市' },
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error).toMatchObject({ code: 'bad_request' });
      expect(missing.json().error.message).toContain('name');

      const badUscc = await api({
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({ uscc: '91350100M000100Y4A' }),
      });
      expect(badUscc.statusCode).toBe(400);
      expect(badUscc.json().error).toMatchObject({ code: 'bad_request', details: { field: 'uscc' } });
      expect(badUscc.json().error.message).toMatch(/uscc/i);

      const notFound = await api({ method: 'GET', url: '/api/accounts/does-not-exist' });
      expect(notFound.statusCode).toBe(404);
      expect(notFound.json().error.code).toBe('not_found');

      const badSort = await api({ method: 'GET', url: '/api/accounts?sort=password' });
      expect(badSort.statusCode).toBe(400);

      const unknownRoute = await api({ method: 'GET', url: '/api/nothing-here' });
      expect(unknownRoute.statusCode).toBe(404);
      expect(unknownRoute.json().error.code).toBe('not_found');
    });

    it('treats search text as data, not SQL', async () => {
      const res = await api({
        method: 'GET',
        url: `/api/accounts?search=${encodeURIComponent("' or 1=1 --")}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBe(0);
      const pct = await api({ method: 'GET', url: `/api/accounts?search=${encodeURIComponent('%')}` });
      expect(pct.json().total).toBe(0);
    });
  });
}

describe('OpenAPI', () => {
  it('documents the routes from the zod schemas', async () => {
    const tdb = await DIALECTS[0]!.open();
    const app = await buildApp(tdb.db, { webRoot: '/nonexistent' });
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/accounts', '/api/accounts/{id}', '/api/health']),
    );
    expect(doc.paths['/api/accounts'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['search', 'tier', 'province', 'sort', 'page']),
    );
    const html = await app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(html.statusCode);
    await app.close();
    await tdb.cleanup();
  });
});
