import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

const ZH = { 'accept-language': 'zh-CN' };

for (const dialect of DIALECTS) {
  describe(`duplicate accounts and touch dates through the API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Session;
    let rep: Session;
    const call = (who: Session, options: InjectOptions) =>
      app.inject({ ...options, headers: { ...who.headers, ...(options.headers ?? {}) } });

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      admin = await signIn(app, people.admin);
      rep = await signIn(app, people.rep);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('answers a retried create with 409 duplicate_account naming the existing account, in both languages', async () => {
      const payload = makeAccountInput({ name: '厦门金龙汽车有限公司', uscc: makeUscc(11), city: '厦门市' });
      const created = await call(admin, { method: 'POST', url: '/api/accounts', payload });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;

      const retried = await call(admin, { method: 'POST', url: '/api/accounts', payload });
      expect(retried.statusCode).toBe(409);
      const error = retried.json().error;
      expect(error).toMatchObject({
        code: 'duplicate_account',
        details: { key: 'uscc', existing: { id, name: '厦门金龙汽车有限公司' }, allowSimilarName: false },
      });
      expect(error.message).toContain('unified social credit code');
      const zh = await call(admin, { method: 'POST', url: '/api/accounts', payload, headers: ZH });
      expect(zh.statusCode).toBe(409);
      expect(zh.json().error.message).toBe(
        `已有统一社会信用代码相同的客户：厦门金龙汽车有限公司（${id}）。请打开已有的客户，不要重复添加。`,
      );
      const list = await call(admin, {
        method: 'GET',
        url: `/api/accounts?search=${encodeURIComponent('金龙')}`,
      });
      expect(list.json().total).toBe(1);
    });

    it('accepts a same-name company in the same city only with allowSimilarName', async () => {
      const payload = makeAccountInput({ name: 'Xiamen Golden Dragon Trading Co., Ltd.', city: '厦门市' });
      expect((await call(admin, { method: 'POST', url: '/api/accounts', payload })).statusCode).toBe(201);
      const similar = { ...payload, name: 'XIAMEN GOLDEN DRAGON TRADING LIMITED' };
      const refused = await call(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: similar,
        headers: ZH,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({
        code: 'duplicate_account',
        details: { key: 'name', allowSimilarName: true },
      });
      expect(refused.json().error.message).toContain('同一城市已有同名客户');
      const accepted = await call(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: { ...similar, allowSimilarName: true },
      });
      expect(accepted.statusCode).toBe(201);
    });

    it('tells a rep that an account outside their scope exists, without its id or name', async () => {
      const hidden = await call(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({
          name: '南通隐身纺织有限公司',
          website: 'yinshen-nt.cn',
          province: '江苏省',
          city: '南通市',
          ownerId: people.otherRep.id,
        }),
      });
      expect(hidden.statusCode).toBe(201);
      const refused = await call(rep, {
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({
          name: '我的客户',
          website: 'http://www.yinshen-nt.cn',
          province: '广东省',
        }),
      });
      expect(refused.statusCode).toBe(409);
      const error = refused.json().error;
      expect(error.details).toEqual({ key: 'domain', existing: null, allowSimilarName: false });
      expect(refused.body).not.toContain(hidden.json().id);
      expect(refused.body).not.toContain('隐身');
      expect(error.message).toMatch(/website domain.*manager or an administrator/);
    });

    it('answers a PATCH to a credit code another account has with 409 duplicate_account', async () => {
      const holder = (
        await call(admin, {
          method: 'POST',
          url: '/api/accounts',
          payload: makeAccountInput({ uscc: makeUscc(21) }),
        })
      ).json();
      const other = (
        await call(admin, { method: 'POST', url: '/api/accounts', payload: makeAccountInput() })
      ).json();
      const res = await call(admin, {
        method: 'PATCH',
        url: `/api/accounts/${other.id}`,
        payload: { version: other.version, uscc: makeUscc(21) },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({
        code: 'duplicate_account',
        details: { key: 'uscc', existing: { id: holder.id } },
      });
      const unchanged = await call(admin, { method: 'GET', url: `/api/accounts/${other.id}` });
      expect(unchanged.json()).toMatchObject({ uscc: null, version: other.version });
    });

    it('answers a PATCH onto the domain, or the name and city, of another account with 409 duplicate_account', async () => {
      const create = async (payload: Record<string, unknown>) => {
        const res = await call(admin, { method: 'POST', url: '/api/accounts', payload });
        expect(res.statusCode).toBe(201);
        return res.json() as { id: string; version: number };
      };
      const holder = await create(
        makeAccountInput({ name: '福州新大陆电脑有限公司', city: '福州市', website: 'newland-fz.cn' }),
      );
      const other = await create(makeAccountInput({ name: '福州新大陆软件有限公司', city: '福州市' }));
      const onDomain = await call(admin, {
        method: 'PATCH',
        url: `/api/accounts/${other.id}`,
        payload: { version: other.version, website: 'http://www.newland-fz.cn' },
      });
      expect(onDomain.statusCode).toBe(409);
      expect(onDomain.json().error).toMatchObject({
        code: 'duplicate_account',
        details: { key: 'domain', existing: { id: holder.id }, allowSimilarName: false },
      });
      const rename = { version: other.version, name: '福州新大陆电脑股份有限公司' };
      const onName = await call(admin, {
        method: 'PATCH',
        url: `/api/accounts/${other.id}`,
        payload: rename,
        headers: ZH,
      });
      expect(onName.statusCode).toBe(409);
      expect(onName.json().error).toMatchObject({
        code: 'duplicate_account',
        details: { key: 'name', existing: { id: holder.id }, allowSimilarName: true },
      });
      expect(onName.json().error.message).toContain('allowSimilarName: true');
      expect(onName.json().error.message).toContain('同一城市已有同名客户');
      const unchanged = await call(admin, { method: 'GET', url: `/api/accounts/${other.id}` });
      expect(unchanged.json()).toMatchObject({
        name: '福州新大陆软件有限公司',
        website: null,
        version: other.version,
      });
      const accepted = await call(admin, {
        method: 'PATCH',
        url: `/api/accounts/${other.id}`,
        payload: { ...rename, allowSimilarName: true },
      });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({
        name: '福州新大陆电脑股份有限公司',
        version: other.version + 1,
      });
      // Now both share a name and city: the other fields stay editable.
      const phone = await call(admin, {
        method: 'PATCH',
        url: `/api/accounts/${other.id}`,
        payload: { version: other.version + 1, name: '福州新大陆电脑股份有限公司', phone: '0591-66880001' },
      });
      expect(phone.statusCode).toBe(200);
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      expect(doc.paths['/api/accounts/{id}'].patch.responses['409'].description).toMatch(/name \+ city/);
      expect(JSON.stringify(doc.components.schemas.AccountUpdateInput)).toContain('allowSimilarName');
    });

    it('documents the 409 of a create', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      const post = doc.paths['/api/accounts'].post;
      expect(post.responses['409'].description).toMatch(/duplicate_account/);
      expect(JSON.stringify(post.requestBody)).toContain('AccountCreate');
      expect(JSON.stringify(doc.components.schemas.AccountCreateInput)).toContain('allowSimilarName');
    });

    it('names the field and the accepted forms when a touch has a bad date, in both languages', async () => {
      const account = (
        await call(admin, {
          method: 'POST',
          url: '/api/accounts',
          payload: makeAccountInput({ ownerId: people.rep.id, province: '广东省' }),
        })
      ).json();
      for (const at of ['2026-13-01', 'yesterday', '2026-10-05T25:00:00+08:00']) {
        const en = await call(admin, {
          method: 'POST',
          url: `/api/accounts/${account.id}/touches`,
          payload: { channel: 'call', outcome: 'reached', at },
        });
        expect(en.statusCode, at).toBe(400);
        expect(en.json().error.details.issues, at).toEqual([
          {
            path: 'body.at',
            message:
              'expected a date as YYYY-MM-DD or an ISO date-time with offset (e.g. 2026-10-05T14:30:00+08:00)',
          },
        ]);
        expect(en.json().error.message).toContain(
          'body.at: expected a date as YYYY-MM-DD or an ISO date-time',
        );
        const zh = await call(admin, {
          method: 'POST',
          url: `/api/accounts/${account.id}/touches`,
          payload: { channel: 'call', outcome: 'reached', at },
          headers: ZH,
        });
        expect(zh.json().error.message, at).toBe(
          '请求无效：body.at: 应为 YYYY-MM-DD 格式的日期，或带时区偏移的 ISO 日期时间（如 2026-10-05T14:30:00+08:00）',
        );
      }
    });
  });
}
