import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// Garbage in every API route that takes a body (and random query strings in every GET): the answer is always a
// 2xx or a 4xx, never a 5xx, never a hang, every 4xx has the error shape { error: { code, message, details } },
// and every status is one the OpenAPI document lists for the route (test/server/openapi-contract.test.ts).
// Routes are enumerated from the app itself, so new routes are covered without editing this file.

const HOSTILE_STRINGS = [
  '',
  ' ',
  "' or 1=1 --",
  '"; drop table accounts; --',
  '%',
  '_',
  '\\',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\ufeff',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u0024{7*7}',
  '__proto__',
  'constructor',
  '9'.repeat(400),
  '深'.repeat(5000),
  'NaN',
  '-0',
  '1e309',
  '2026-02-30',
  '2026-13-01T25:61:00Z',
];
const FIELD_NAMES = [
  'name',
  'version',
  'city',
  'province',
  'channel',
  'outcome',
  'note',
  'at',
  'email',
  'role',
  'teamId',
  'repId',
  'from',
  'months',
  'criteria',
  'items',
  'q',
  'password',
  'currentPassword',
  'newPassword',
  'acceptOverload',
  'option',
  'code',
  'zh',
  'en',
  'responses',
  'access',
  'source',
  'mapping',
  'kind',
  'cost',
  'ids',
  'ownerId',
  'accountIds',
  'days',
  'dates',
  'capacity',
  'callsPerDay',
  'visitsPerDay',
  'tier',
  'reason',
  'rating',
  'stage',
  'annualSales',
  'employeesMin',
  'employeesMax',
  'uscc',
  'website',
  'phone',
  'preferred',
  'responseId',
  'objectionId',
  'locale',
  'timeZone',
  'horizonMonths',
  'cadence',
  'intervalMonths',
  '__proto__',
  'constructor',
];

const leaf = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 0.5, -0.0000001),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), tie('object')),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 8 })), tie('node'), {
    maxKeys: 6,
  }),
})).node;

/** A request body: JSON of any shape, near-miss objects, or bytes that are not JSON at all. */
const body = fc.oneof(
  { arbitrary: value.map((v) => ({ json: v })), weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ json: v })), weight: 2 },
  {
    arbitrary: fc
      .constantFrom(
        '{"a":',
        '{',
        ']',
        'null',
        '"just a string"',
        '{"__proto__":{"isAdmin":true}}',
        '{"constructor":{"prototype":{"isAdmin":true}}}',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
        `{"name":"${'x'.repeat(200_000)}"}`,
        '\u0000',
        '{"version": 1e999}',
      )
      .map((raw) => ({ raw })),
    weight: 1,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw })), weight: 1 },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
);

/** Rejects when the app has not answered within `ms`. */
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

/** The statuses the OpenAPI document lists for each route (`GET /api/accounts/:id` → ['200', '400', …]). */
type DocumentedStatuses = (method: string, url: string) => string[];

function expectSane(res: LightMyRequestResponse, what: string, documented?: string[]): void {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 400)}`).toBeLessThan(500);
  if (documented)
    expect(documented, `${what} → ${res.statusCode}, not in the OpenAPI document`).toContain(
      String(res.statusCode),
    );
  if (res.statusCode >= 400) {
    const json = res.json() as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    expect(json.error, `${what}: error shape of ${res.body.slice(0, 200)}`).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
      // Always there, an object ({} when the message says it all).
      details: expect.any(Object),
    });
    expect(Array.isArray(json.error?.details), `${what}: details of ${res.body.slice(0, 200)}`).toBe(false);
    expect(Object.keys(json.error ?? {}).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
  }
}

for (const dialect of DIALECTS)
  describe(`hostile request bodies and query strings on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Session;
    let rep: Session;
    let accountId: string;
    let documented: DocumentedStatuses;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      documented = (method, url) =>
        Object.keys(doc.paths[url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()]?.responses ?? {});
      people = await seedPeople(tdb.db);
      admin = await signIn(app, people.admin);
      rep = await signIn(app, people.rep);
      const created = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        headers: admin.headers,
        payload: makeAccountInput({ ownerId: people.rep.id }),
      });
      accountId = created.json().id;
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    const routes = () =>
      app.routeCatalog.filter(
        (r) =>
          r.url.startsWith('/api/') &&
          !r.url.startsWith('/api/docs') &&
          r.method !== 'HEAD' &&
          // These end the session the test works with; they take no body.
          !['/api/auth/sign-out', '/api/auth/sign-out-everywhere'].includes(r.url),
      );

    const pathFor = (url: string, id: string) =>
      url.replace(/:[A-Za-z]+/g, encodeURIComponent(id.replace(/[\ud800-\udfff]/g, '\ufffd')));
    const ids = () =>
      fc.constantFrom(accountId, 'x', 'no-budget', people.rep.id, ...HOSTILE_STRINGS.slice(1, 12));

    it('answers every POST, PUT, PATCH and DELETE with garbage bodies with a 2xx or a clear 4xx', async () => {
      const withBody = routes().filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
      expect(withBody.length).toBeGreaterThan(20);
      for (const route of withBody) {
        await fc.assert(
          fc.asyncProperty(body, contentType, ids(), fc.boolean(), async (payload, type, id, asRep) => {
            const session = asRep ? rep : admin;
            const request: InjectOptions = {
              method: route.method as 'POST',
              url: pathFor(route.url, id),
              headers: { ...session.headers, 'content-type': type },
              payload: 'json' in payload ? JSON.stringify(payload.json) : payload.raw,
            };
            const res = await within(15_000, app.inject(request));
            expectSane(
              res,
              `${route.method} ${route.url} ${String(request.payload).slice(0, 200)}`,
              documented(route.method, route.url),
            );
          }),
          { numRuns: 25 },
        );
      }
      // The sessions the fuzzing used are still good (no route was tricked into ending them).
      expect(
        (await app.inject({ method: 'GET', url: '/api/auth/status', headers: admin.headers })).json(),
      ).toMatchObject({
        user: { id: people.admin.id },
      });
    }, 300_000);

    it('answers every GET with random query strings with a 2xx or a clear 4xx', async () => {
      const gets = routes().filter((r) => r.method === 'GET');
      const query = fc.dictionary(
        fc.oneof(
          fc.constantFrom(...FIELD_NAMES, 'page', 'pageSize', 'sort', 'order', 'search', 'limit', 'date'),
          fc.string({ maxLength: 6 }),
        ),
        fc.oneof(
          fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 1000)),
          fc.string({ maxLength: 20 }),
          fc.integer().map(String),
        ),
        { maxKeys: 5 },
      );
      for (const route of gets) {
        await fc.assert(
          fc.asyncProperty(query, ids(), async (params, id) => {
            const search = new URLSearchParams(params).toString();
            const url = `${pathFor(route.url, id)}${search ? `?${search}` : ''}`;
            const res = await within(15_000, app.inject({ method: 'GET', url, headers: admin.headers }));
            expectSane(res, `GET ${url}`, documented('GET', route.url));
          }),
          { numRuns: 15 },
        );
      }
    }, 300_000);

    it('answers a JSON body over the limit with 413 and a clear message', async () => {
      const big = JSON.stringify({ ...makeAccountInput(), notes: 'x'.repeat(1024 * 1024 + 10) });
      const res = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        payload: big,
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({
        code: 'payload_too_large',
        message: 'The request body is larger than this server accepts.',
      });
    });
  });
