import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { ACCOUNT_EXPORT_HEADERS } from '../../src/services/account-export.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople, signIn } from '../helpers/session.ts';

for (const dialect of DIALECTS) {
  describe(`account export on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      const system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      await createAccount(
        system,
        makeAccountInput({
          name: '=HYPERLINK("http://evil","点我")',
          province: '广东省',
          ownerId: people.rep.id,
          phone: '+44 20 7946 0958',
        }),
      );
      await createAccount(
        system,
        makeAccountInput({ name: '广州安全有限公司', province: '广东省', ownerId: people.rep.id }),
      );
      await createAccount(
        system,
        makeAccountInput({ name: '苏州别队有限公司', province: '江苏省', ownerId: people.otherRep.id }),
      );
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('streams only the caller’s accounts as CSV with BOM, neutralised formulas and the list’s filters', async () => {
      const rep = await signIn(app, people.rep);
      const res = await app.inject({
        method: 'GET',
        url: '/api/accounts/export?format=csv&sort=name&lang=zh-CN',
        headers: rep.headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="accounts-2026-11-27.csv"');
      const body = res.body;
      expect(body.charCodeAt(0)).toBe(0xfeff);
      const lines = body.slice(1).split('\r\n').filter(Boolean);
      expect(lines[0]?.startsWith('ID,企业名称,统一社会信用代码')).toBe(true);
      expect(lines).toHaveLength(3);
      expect(body).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
      // Stored normalised as the import does (+ and digits), still a formula character first.
      expect(body).toContain("'+442079460958");
      expect(body).not.toContain('苏州别队');

      const filtered = await app.inject({
        method: 'GET',
        url: `/api/accounts/export?format=csv&lang=en&search=${encodeURIComponent('安全')}`,
        headers: rep.headers,
      });
      const rows = filtered.body.slice(1).split('\r\n').filter(Boolean);
      expect(rows[0]?.startsWith('ID,Company,USCC')).toBe(true);
      expect(rows).toHaveLength(2);

      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'export')
        .where('user_id', '=', people.rep.id)
        .execute();
      expect(audit).toHaveLength(2);
    });

    it('streams Excel for the manager with every team account', async () => {
      const manager = await signIn(app, people.manager);
      const res = await app.inject({
        method: 'GET',
        url: '/api/accounts/export?format=xlsx',
        // Without `lang`, in the request's language (as the web app's own requests carry it).
        headers: { ...manager.headers, 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      expect(sheet?.rowCount).toBe(3);
      const names = [2, 3].map((r) => String(sheet?.getRow(r).getCell(2).value));
      expect(names).toEqual(
        expect.arrayContaining([`'=HYPERLINK("http://evil","点我")`, '广州安全有限公司']),
      );
      // Owner and territory by name, not id.
      expect(sheet?.getRow(1).getCell(20).value).toBe('负责人');
      expect(sheet?.getRow(2).getCell(20).value).toBe(people.rep.name);
      expect(String(sheet?.getRow(2).getCell(21).value)).toMatch(/^广东/);
    });

    it('heads the file in `lang`, else in the request’s language, else in English', async () => {
      const rep = await signIn(app, people.rep);
      const header = async (query: string, acceptLanguage?: string) => {
        const res = await app.inject({
          method: 'GET',
          url: `/api/accounts/export?format=csv${query}`,
          headers: acceptLanguage ? { ...rep.headers, 'accept-language': acceptLanguage } : rep.headers,
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.body.slice(1).split('\r\n')[0] ?? '';
      };
      const zh = `${ACCOUNT_EXPORT_HEADERS.id[0]},${ACCOUNT_EXPORT_HEADERS.name[0]},`;
      const en = `${ACCOUNT_EXPORT_HEADERS.id[1]},${ACCOUNT_EXPORT_HEADERS.name[1]},`;
      expect(await header('')).toMatch(new RegExp(`^${en}`));
      expect(await header('', 'zh-CN,zh;q=0.9')).toMatch(new RegExp(`^${zh}`));
      expect(await header('', 'en-US,en;q=0.9,zh;q=0.8')).toMatch(new RegExp(`^${en}`));
      expect(await header('&lang=en', 'zh-CN')).toMatch(new RegExp(`^${en}`));
      expect(await header('&lang=zh-CN', 'en-US')).toMatch(new RegExp(`^${zh}`));
    });

    it('refuses an unknown format and anonymous callers', async () => {
      const admin = await signIn(app, people.admin);
      expect(
        (await app.inject({ method: 'GET', url: '/api/accounts/export?format=pdf', headers: admin.headers }))
          .statusCode,
      ).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/api/accounts/export' })).statusCode).toBe(401);
    });

    it('answers a filter the database refuses before the file starts, not with a cut-off download', async () => {
      // A NUL character: PostgreSQL refuses it in text (22021); the fuzz test of test/hostile found the export
      // destroying its response mid-stream for it. SQLite takes it and finds nothing.
      const admin = await signIn(app, people.admin);
      for (const format of ['csv', 'xlsx']) {
        const res = await app.inject({
          method: 'GET',
          url: `/api/accounts/export?format=${format}&objectionId=a%00b`,
          headers: admin.headers,
        });
        if (dialect.name === 'postgres') {
          expect(res.statusCode, format).toBe(400);
          expect(res.json().error.message).toContain('NUL character');
        } else {
          expect(res.statusCode, format).toBe(200);
        }
      }
      // In the reader's language, like every other refusal.
      const zh = await app.inject({
        method: 'GET',
        url: '/api/accounts/export?format=csv&objectionId=a%00b',
        headers: { ...admin.headers, 'accept-language': 'zh-CN,zh;q=0.9' },
      });
      if (dialect.name === 'postgres') expect(zh.json().error.message).toContain('NUL 字符');
    });
  });
}
