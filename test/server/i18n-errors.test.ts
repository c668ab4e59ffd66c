import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localizedIssueMessage } from '../../src/schemas/issue-messages.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { localeOf } from '../../src/server/locale.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// The API's messages in the request's language (Accept-Language, as the web app sends it); English without one.
const ZH = { 'accept-language': 'zh-CN' };
const MISSING = '0190aaaa-0000-7000-8000-000000000000';

describe('localeOf', () => {
  it('takes the first tag that is Chinese or English, and English otherwise', () => {
    expect(localeOf(undefined)).toBe('en');
    expect(localeOf('')).toBe('en');
    expect(localeOf('zh-CN')).toBe('zh-CN');
    expect(localeOf('zh-TW,zh;q=0.9')).toBe('zh-CN');
    expect(localeOf('en')).toBe('en');
    expect(localeOf('en-US,zh-CN;q=0.8')).toBe('en');
    expect(localeOf('fr-FR, ZH;q=0.7, en;q=0.5')).toBe('zh-CN');
    expect(localeOf('de, fr')).toBe('en');
    expect(localeOf(['fr', 'zh-Hans'])).toBe('zh-CN');
  });
});

describe('localizedIssueMessage', () => {
  it("translates zod's own messages and ours, and leaves a custom message the catalog lacks", () => {
    const enumIssue = {
      keyword: 'invalid_value',
      message: 'Invalid option: expected one of "a"|"b"',
      params: { values: ['a', 'b'] },
    };
    expect(localizedIssueMessage(enumIssue, 'en')).toBe(enumIssue.message);
    expect(localizedIssueMessage(enumIssue, 'zh-CN')).toBe('无效选项：期望以下之一 "a"|"b"');
    const tooShort = {
      keyword: 'too_small',
      message: 'Too small: expected string to have >=1 characters',
      params: { origin: 'string', minimum: 1, inclusive: true },
    };
    expect(localizedIssueMessage(tooShort, 'zh-CN')).toBe('不能为空');
    const ours = {
      keyword: 'too_small',
      message: 'say why the tier is overridden',
      params: { origin: 'string', minimum: 1, inclusive: true },
    };
    expect(localizedIssueMessage(ours, 'zh-CN')).toBe('请说明调整分级的原因');
    const unknown = {
      keyword: 'too_small',
      message: 'a message nobody catalogued',
      params: { origin: 'string', minimum: 1, inclusive: true },
    };
    expect(localizedIssueMessage(unknown, 'zh-CN')).toBe('a message nobody catalogued');
    expect(localizedIssueMessage({ keyword: 'custom', message: 'free text' }, 'zh-CN')).toBe('free text');
    const missing = {
      keyword: 'invalid_type',
      message: 'Invalid input: expected string, received undefined',
      params: { expected: 'string' },
    };
    expect(localizedIssueMessage(missing, 'zh-CN')).toBe('必填');
  });
});

for (const dialect of DIALECTS) {
  describe(`API messages by language on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Session;
    let rep: Session;
    const as = (session: Session, options: InjectOptions) =>
      app.inject({ ...options, headers: { ...session.headers, ...(options.headers ?? {}) } });
    const errorOf = (res: { json: () => unknown }) =>
      (res.json() as { error: { code: string; message: string; details?: unknown } }).error;

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

    it('says an account does not exist in Chinese, and in English without the header', async () => {
      const zh = await as(admin, { method: 'GET', url: `/api/accounts/${MISSING}`, headers: ZH });
      expect(zh.statusCode).toBe(404);
      expect(errorOf(zh)).toEqual({
        code: 'not_found',
        message: `客户 ${MISSING} 不存在（或你无权查看）。`,
        details: { id: MISSING },
      });
      const en = await as(admin, { method: 'GET', url: `/api/accounts/${MISSING}` });
      expect(errorOf(en).message).toBe(`Account ${MISSING} does not exist (or you may not see it).`);
      const english = await as(admin, {
        method: 'GET',
        url: `/api/accounts/${MISSING}`,
        headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' },
      });
      expect(errorOf(english).message).toBe(errorOf(en).message);
    });

    it('gives the USCC check and the website check in Chinese inside the field message', async () => {
      const body = (uscc: string, website: string) => ({
        ...makeAccountInput({ name: '苏州测试有限公司' }),
        uscc,
        website,
      });
      const badUscc = await as(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: body('123', ''),
        headers: ZH,
      });
      expect(badUscc.statusCode).toBe(400);
      expect(errorOf(badUscc)).toMatchObject({
        code: 'bad_request',
        message: 'uscc: 统一社会信用代码无效（应为 18 位，实际 3 位（“123”））',
        details: { field: 'uscc' },
      });
      const en = await as(admin, { method: 'POST', url: '/api/accounts', payload: body('123', '') });
      expect(errorOf(en).message).toBe('uscc: must be 18 characters, got 3 ("123")');
      const badSite = await as(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: body('', 'info@example.com'),
        headers: ZH,
      });
      expect(errorOf(badSite).message).toBe('website: 网址无效（“info@example.com”是电子邮箱，不是网址）');
    });

    it("gives a saved view's refused query in Chinese, zod's words included", async () => {
      const payload = { name: 'Fax view', query: { covered: 'fax' } };
      const zh = await as(rep, { method: 'POST', url: '/api/saved-views', payload, headers: ZH });
      expect(zh.statusCode).toBe(422);
      expect(errorOf(zh).message).toMatch(/^query\.covered：无效/);
      const en = await as(rep, { method: 'POST', url: '/api/saved-views', payload });
      expect(errorOf(en).message).toMatch(/^query\.covered: Invalid option/);
    });

    it('refuses a rep a manager-only change in Chinese', async () => {
      const zh = await as(rep, {
        method: 'POST',
        url: '/api/teams',
        payload: { name: '新团队' },
        headers: ZH,
      });
      expect(zh.statusCode).toBe(403);
      expect(errorOf(zh)).toMatchObject({ code: 'forbidden', message: '只有管理员可以添加团队。' });
      const en = await as(rep, { method: 'POST', url: '/api/teams', payload: { name: '新团队' } });
      expect(errorOf(en).message).toBe('Only an admin can add teams.');

      // Two roles, and a refusal that names its field (the web app shows it under the field, without the prefix).
      const byManager = await as(admin, {
        method: 'POST',
        url: '/api/users',
        payload: {
          name: '重复',
          email: people.rep.email,
          role: 'rep',
          teamId: people.teamA,
          password: 'a-long-password',
        },
        headers: ZH,
      });
      expect(byManager.statusCode).toBe(409);
      expect(errorOf(byManager)).toMatchObject({
        code: 'conflict',
        message: `已经有用户使用邮箱 ${people.rep.email}。`,
        details: { field: 'email' },
      });
      const territories = await as(rep, {
        method: 'POST',
        url: '/api/territories',
        payload: { name: '华北', provinces: ['北京市'] },
        headers: ZH,
      });
      expect(territories.statusCode).toBe(403);
      expect(errorOf(territories).message).toBe('只有管理员或经理可以划定区域。');
    });

    it('reports a version conflict in Chinese', async () => {
      const created = await as(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({ name: '杭州远航机械有限公司' }),
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      const first = await as(admin, {
        method: 'PATCH',
        url: `/api/accounts/${id}`,
        payload: { version: 1, city: '杭州市' },
      });
      expect(first.statusCode).toBe(200);
      const stale = await as(admin, {
        method: 'PATCH',
        url: `/api/accounts/${id}`,
        payload: { version: 1, city: '宁波市' },
        headers: ZH,
      });
      expect(stale.statusCode).toBe(409);
      const error = errorOf(stale);
      expect(error.code).toBe('version_conflict');
      expect(error.message).toBe(
        `客户 ${id} 已被别人修改（你编辑的是第 1 版，现在是第 2 版）。请重新加载后再做一次修改。`,
      );
      expect(error.details).toMatchObject({ current: { city: '杭州市', version: 2 } });
      const en = await as(admin, {
        method: 'PATCH',
        url: `/api/accounts/${id}`,
        payload: { version: 1, city: '宁波市' },
      });
      expect(errorOf(en).message).toBe(
        `Account ${id} was changed by someone else (you edited version 1, it is now 2). Reload it and apply your change again.`,
      );
    });

    it("renders a schema's refusals in Chinese: our own messages and zod's", async () => {
      const payload = { ...makeAccountInput({ name: '' }), employeesMin: 'many' };
      const zh = await as(admin, { method: 'POST', url: '/api/accounts', payload, headers: ZH });
      expect(zh.statusCode).toBe(400);
      const error = errorOf(zh) as {
        code: string;
        message: string;
        details: { issues: { path: string; message: string }[] };
      };
      expect(error.code).toBe('bad_request');
      const byPath = Object.fromEntries(error.details.issues.map((i) => [i.path, i.message]));
      expect(byPath['body.name']).toBe('请填写公司名称');
      expect(byPath['body.employeesMin']).toBe('类型不对：应为数字，实际是文本');
      const first = error.details.issues[0];
      expect(error.message).toBe(`请求无效：${first?.path}: ${first?.message}`);

      const en = await as(admin, { method: 'POST', url: '/api/accounts', payload });
      const english = errorOf(en) as typeof error;
      const enByPath = Object.fromEntries(english.details.issues.map((i) => [i.path, i.message]));
      expect(enByPath['body.name']).toBe('company name is required');
      expect(enByPath['body.employeesMin']).toBe('Invalid input: expected number, received string');
      expect(english.message).toMatch(/^Invalid request: body\./);

      const big = await as(admin, { method: 'GET', url: '/api/accounts?pageSize=100000', headers: ZH });
      expect(big.statusCode).toBe(400);
      expect(errorOf(big).message).toBe('请求无效：querystring.pageSize: 不能大于 500');
      const enBig = await as(admin, { method: 'GET', url: '/api/accounts?pageSize=100000' });
      expect(errorOf(enBig).message).toBe(
        'Invalid request: querystring.pageSize: Too big: expected number to be <=500',
      );
    });

    it('refuses a wrong password and a missing session in Chinese', async () => {
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.mate.email, password: 'not the password' },
        headers: ZH,
      });
      expect(wrong.statusCode).toBe(401);
      expect(errorOf(wrong)).toMatchObject({ code: 'unauthenticated', message: '邮箱地址或密码不正确。' });
      const en = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.mate.email, password: 'not the password' },
      });
      expect(errorOf(en).message).toBe('The email address or the password is wrong.');

      const anonymous = await app.inject({ method: 'GET', url: '/api/accounts', headers: ZH });
      expect(anonymous.statusCode).toBe(401);
      expect(errorOf(anonymous).message).toBe('请先登录（你的会话可能已经结束）。');
      const noRoute = await as(admin, { method: 'GET', url: '/api/nothing-here', headers: ZH });
      expect(errorOf(noRoute).message).toBe('没有 GET /api/nothing-here 这个接口。');
    });
  });
}
