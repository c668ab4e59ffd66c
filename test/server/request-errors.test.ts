import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { createApiToken } from '../../src/services/auth.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// What an integrator's script meets when it sends something wrong: a 4xx in the one error shape, naming the
// field and the reason, in the language asked for; never a 5xx, never a request left unanswered, never a wrong
// value taken as "not given".

const HAN = /[\u4e00-\u9fff]/;

/** Rejects when the app has not answered within `ms` (an upload the server waits on forever). */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

for (const dialect of DIALECTS)
  describe(`refusals of bad requests on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Record<string, string>;
    let rep: Record<string, string>;

    const call = (headers: Record<string, string>, options: InjectOptions) =>
      app.inject({ ...options, headers: { ...headers, ...(options.headers as Record<string, string>) } });
    const errorOf = (res: LightMyRequestResponse) =>
      res.json() as {
        error: { code: string; message: string; details?: { issues?: { path: string; message: string }[] } };
      };
    const issuePaths = (res: LightMyRequestResponse) =>
      (errorOf(res).error.details?.issues ?? []).map((i) => i.path);

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      const ctxOf = (user: People['admin']) =>
        makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);
      admin = {
        authorization: `Bearer ${(await createApiToken(ctxOf(people.admin), { name: 'a', access: 'write' })).token}`,
      };
      rep = {
        authorization: `Bearer ${(await createApiToken(ctxOf(people.rep), { name: 'r', access: 'write' })).token}`,
      };
      const system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      for (let i = 0; i < 3; i++)
        await createAccount(system, makeAccountInput({ ownerId: people.rep.id, province: '广东省' }));
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('refuses an empty repId on a plan commit (400 naming body.repId) instead of failing with a 500', async () => {
      const res = await call(admin, { method: 'POST', url: '/api/plan/commit', payload: { repId: '' } });
      expect(res.statusCode, res.body).toBe(400);
      expect(issuePaths(res)).toEqual(['body.repId']);
      const plans = await tdb.db.kysely.selectFrom('plans').select('id').execute();
      expect(plans).toEqual([]);
    });

    it('refuses an empty repId rather than reading it as every rep (preview, agenda, goals, plan, export)', async () => {
      const preview = await call(admin, { method: 'POST', url: '/api/plan/preview', payload: { repId: '' } });
      expect(preview.statusCode, preview.body).toBe(400);
      expect(issuePaths(preview)).toEqual(['body.repId']);
      for (const url of [
        '/api/agenda?repId=',
        '/api/goals?repId=',
        '/api/plan/committed?repId=',
        '/api/plan/export?format=csv&repId=',
        '/api/calendar/days-off?repId=',
        '/api/objections/effectiveness?userId=',
      ]) {
        const res = await call(admin, { method: 'GET', url });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(issuePaths(res)[0], url).toMatch(/^querystring\.(repId|userId)$/);
      }
    });

    it('refuses an empty id in every filter that takes one, naming it, rather than leaving the filter out', async () => {
      // `ownerId=` answered 200 with every account (the unfiltered total), as if no owner had been given.
      const all = (await call(admin, { method: 'GET', url: '/api/accounts?pageSize=1' })).json().total;
      expect(all).toBe(3);
      for (const [url, parameter] of [
        ['/api/accounts?pageSize=1&ownerId=', 'ownerId'],
        ['/api/accounts?sourceId=', 'sourceId'],
        ['/api/accounts?objectionId=', 'objectionId'],
        ['/api/accounts?touchedFrom=2026-01-01&byRep=', 'byRep'],
        ['/api/accounts/export?format=csv&ownerId=', 'ownerId'],
        ['/api/accounts/export?format=csv&byRep=', 'byRep'],
        ['/api/audit?entityId=', 'entityId'],
        ['/api/audit?userId=', 'userId'],
        ['/api/objections/effectiveness?objectionId=', 'objectionId'],
        ['/api/objections/effectiveness?teamId=', 'teamId'],
        ['/api/skills/history?skillId=', 'skillId'],
        ['/api/practice/team?teamId=', 'teamId'],
        ['/api/dashboard?repId=', 'repId'],
      ] as const) {
        const res = await call(admin, { method: 'GET', url, headers: { 'accept-language': 'zh-CN' } });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(issuePaths(res), url).toEqual([`querystring.${parameter}`]);
        expect(errorOf(res).error.message).toMatch(HAN);
      }
    });

    it('names the field of a touch refused for its objection (details.field), and refuses an empty one', async () => {
      const account = (await call(rep, { method: 'GET', url: '/api/accounts?pageSize=1' })).json()
        .items[0] as { id: string };
      const log = (payload: Record<string, unknown>) =>
        call(rep, {
          method: 'POST',
          url: `/api/accounts/${account.id}/touches`,
          payload: { channel: 'call', outcome: 'reached', ...payload },
        });
      const unknown = await log({ objectionId: 'no-such-objection' });
      expect(unknown.statusCode, unknown.body).toBe(422);
      expect(errorOf(unknown).error).toMatchObject({
        code: 'validation_failed',
        details: { field: 'objectionId', value: 'no-such-objection' },
      });
      const responseOnly = await log({ responseId: 'some-response' });
      expect(responseOnly.statusCode, responseOnly.body).toBe(422);
      expect(errorOf(responseOnly).error.details).toMatchObject({ field: 'objectionId' });
      const wrongResponse = await log({ objectionId: 'no-budget', responseId: 'no-such-response' });
      expect(wrongResponse.statusCode, wrongResponse.body).toBe(422);
      expect(errorOf(wrongResponse).error.details).toEqual({
        field: 'responseId',
        value: 'no-such-response',
      });
      // An empty id is not "no objection met".
      for (const field of ['objectionId', 'responseId']) {
        const empty = await log({ objectionId: 'no-budget', [field]: '' });
        expect(empty.statusCode, empty.body).toBe(400);
        expect(issuePaths(empty)).toEqual([`body.${field}`]);
      }
      const logged = await tdb.db.kysely.selectFrom('activities').select('id').execute();
      expect(logged).toEqual([]);
    });

    it('refuses a date that does not exist, naming the field, wherever a date is taken', async () => {
      for (const [url, field] of [
        ['/api/plan/export?format=csv&from=2026-02-30', 'querystring.from'],
        ['/api/objections/effectiveness?to=2026-02-30', 'querystring.to'],
        ['/api/agenda?date=2026-02-30', 'querystring.date'],
        ['/api/goals?date=2026-13-01', 'querystring.date'],
        ['/api/plan/committed?from=2026-02-30&to=2026-03-10', 'querystring.from'],
        ['/api/calendar/days?from=2026-02-29&to=2026-03-10', 'querystring.from'],
      ] as const) {
        const res = await call(admin, { method: 'GET', url, headers: { 'accept-language': 'zh-CN' } });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(issuePaths(res), url).toEqual([field]);
        expect(errorOf(res).error.message).toMatch(HAN);
      }
      const preview = await call(admin, {
        method: 'POST',
        url: '/api/plan/preview',
        payload: { from: '2026-02-30' },
      });
      expect(issuePaths(preview)).toEqual(['body.from']);
    });

    it("answers Fastify's own refusals (content type, broken or empty JSON) in the language asked, with details", async () => {
      const cases: [InjectOptions, number, string, Record<string, unknown>][] = [
        [
          {
            method: 'POST',
            url: '/api/accounts',
            payload: '<a/>',
            headers: { 'content-type': 'application/xml' },
          },
          415,
          'application/xml',
          { contentType: 'application/xml', accepted: ['application/json'] },
        ],
        [
          // Read as a string by Fastify's default text parser, it was refused as "expected object" (400).
          {
            method: 'POST',
            url: '/api/accounts',
            payload: 'name=大数有限公司',
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          },
          415,
          'text/plain',
          { contentType: 'text/plain', accepted: ['application/json'] },
        ],
        [
          {
            method: 'POST',
            url: '/api/accounts',
            payload: '{"name":',
            headers: { 'content-type': 'application/json' },
          },
          400,
          'JSON',
          { position: 8, line: 1, column: 9 },
        ],
        [
          // Where a JSON body stops being JSON, also on a later line.
          {
            method: 'POST',
            url: '/api/accounts',
            payload: '{\n  "name": "大数有限公司",\n  "city": 苏州\n}',
            headers: { 'content-type': 'application/json' },
          },
          400,
          'JSON',
          { position: 32, line: 3, column: 11 },
        ],
        [
          {
            method: 'POST',
            url: '/api/accounts',
            payload: '',
            headers: { 'content-type': 'application/json' },
          },
          400,
          'JSON',
          { position: 0, line: 1, column: 1 },
        ],
      ];
      for (const [request, status, named, details] of cases) {
        for (const lang of ['en', 'zh-CN']) {
          const res = await call(
            { ...admin, 'accept-language': lang },
            {
              ...request,
              headers: { ...(request.headers as Record<string, string>), 'accept-language': lang },
            },
          );
          expect(res.statusCode, res.body).toBe(status);
          const { message, code } = errorOf(res).error;
          expect(code).toBe('bad_request');
          expect(message).toContain(named);
          expect(errorOf(res).error.details, res.body).toEqual(details);
          if ('line' in details && status === 400 && (request.payload as string).length > 0)
            expect(message).toContain(lang === 'en' ? `line ${details.line}` : `第 ${details.line} 行`);
          if (lang === 'zh-CN') expect(message).toMatch(HAN);
          else expect(message).not.toMatch(HAN);
        }
      }
    });

    it('answers a broken percent-encoding or an over-long id in the path in the error shape, with the usual headers', async () => {
      for (const url of ['/api/accounts/%E0%A4%A', `/api/accounts/${'x'.repeat(200)}`]) {
        const res = await call(
          { ...admin, 'accept-language': 'zh-CN' },
          { method: 'GET', url, headers: { 'accept-language': 'zh-CN' } },
        );
        expect(res.statusCode, url).toBe(400);
        expect(res.json()).toEqual({
          error: { code: 'bad_request', message: expect.stringMatching(HAN), details: expect.any(Object) },
        });
        expect(res.headers['x-request-id']).toBeTruthy();
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      }
    });

    it('says a JSON body is required when there is none, naming the body, not "body."', async () => {
      const account = (await call(rep, { method: 'GET', url: '/api/accounts?pageSize=1' })).json()
        .items[0] as { id: string };
      const res = await call(rep, { method: 'PUT', url: `/api/accounts/${account.id}/tier-override` });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).error.details?.issues).toEqual([
        { path: 'body', message: 'a JSON object is required (send it with Content-Type: application/json)' },
      ]);
    });

    it('names a missing field as required in English, and a value over a limit once', async () => {
      const missing = await call(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: { province: '广东省' },
      });
      expect(errorOf(missing).error.details?.issues).toEqual([{ path: 'body.name', message: 'required' }]);
      const huge = await call(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: { name: '大数有限公司', annualSales: 1e308 },
      });
      expect(huge.statusCode).toBe(400);
      expect(issuePaths(huge)).toEqual(['body.annualSales']);
      const notNumber = await call(admin, { method: 'GET', url: '/api/accounts?page=abc' });
      expect(errorOf(notNumber).error.details?.issues).toEqual([
        { path: 'querystring.page', message: 'expected a number' },
      ]);
    });

    it('answers an upload whose multipart body ends inside the file part (400), instead of never answering', async () => {
      const boundary = '----tierline-cut';
      for (const tail of ['', '\r\n', `\r\n--${boundary}`]) {
        const res = await within(
          10_000,
          call(
            { ...rep, 'accept-language': 'zh-CN' },
            {
              method: 'POST',
              url: '/api/imports',
              headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
              payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.csv"\r\nContent-Type: text/csv\r\n\r\n企业名称,所属城市\r\n截断测试有限公司,深圳市${tail}`,
            },
          ),
        );
        expect(res.statusCode, res.body).toBe(400);
        expect(errorOf(res).error.message).toMatch(HAN);
      }
      const jobs = await tdb.db.kysely.selectFrom('import_jobs').select('id').execute();
      expect(jobs).toEqual([]);
    });

    it('answers an unknown calendar feed in the language asked', async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/cal/${'a'.repeat(24)}.ics`,
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).error).toEqual({
        code: 'not_found',
        message: expect.stringMatching(HAN),
        details: {},
      });
    });

    it('names the time zone of the days in goals and in the committed plan', async () => {
      for (const url of ['/api/goals', '/api/plan/committed']) {
        const res = await call(rep, { method: 'GET', url });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().timeZone, url).toBe('Asia/Shanghai');
      }
    });
  });
