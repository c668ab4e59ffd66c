import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// The plan's CSV picks its header language as the accounts export and the import warnings do: `?lang=zh-CN|en`,
// which the web app sets to its language (and the CLI to en); without it, the request's Accept-Language, else
// English: the column keys, as API scripts have always read them.

for (const dialect of DIALECTS) {
  describe(`plan export over HTTP on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let rep: Session;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      rep = await signIn(app, people.rep);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    const header = async (query: string, acceptLanguage?: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/plan/export?format=csv&from=2026-12-01&to=2027-01-01${query}`,
        headers: acceptLanguage ? { ...rep.headers, 'accept-language': acceptLanguage } : rep.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body.charCodeAt(0)).toBe(0xfeff);
      return res.body.slice(1).split('\r\n')[0];
    };

    it('heads the CSV in the language asked for, the column keys without one', async () => {
      expect(await header('&lang=zh-CN')).toBe('日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID');
      const keys = 'date,time,channel,accountId,accountName,tier,city,district,status,repId';
      expect(await header('&lang=en')).toBe(keys);
      expect(await header('')).toBe(keys);
      const bad = await app.inject({
        method: 'GET',
        url: '/api/plan/export?format=csv&lang=fr',
        headers: rep.headers,
      });
      expect(bad.statusCode).toBe(400);
    });

    it('without `lang`, heads the CSV in the request’s language, as the accounts export does', async () => {
      const zh = '日期,时间,方式,客户ID,企业名称,分级,城市,区县,状态,销售员ID';
      const keys = 'date,time,channel,accountId,accountName,tier,city,district,status,repId';
      expect(await header('', 'zh-CN,zh;q=0.9,en;q=0.8')).toBe(zh);
      expect(await header('', 'en-GB,en;q=0.9')).toBe(keys);
      expect(await header('', 'fr-FR')).toBe(keys);
      expect(await header('&lang=en', 'zh-CN')).toBe(keys);
      expect(await header('&lang=zh-CN', 'en')).toBe(zh);
    });
  });
}
