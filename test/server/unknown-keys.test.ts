import Fastify, { type LightMyRequestResponse } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { handleError } from '../../src/server/errors.ts';
import { strictRequestValidatorCompiler } from '../../src/server/strict-requests.ts';
import { createApiToken } from '../../src/services/auth.ts';
import { makeContext } from '../../src/services/context.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { seedPeople } from '../helpers/session.ts';

// An integrator's misspelt key (`tierr`, `callsPerDy`) is refused with 400 naming it, never taken as "not given"
// with a 200: every request body and query string takes only the keys its schema declares, at any depth.

const HAN = /[\u4e00-\u9fff]/;
const UNKNOWN = 'zzNotAField';
const MISSING_ID = '01a2229e-0000-7000-8000-000000000000';
const UNKNOWN_FIELD_EN = 'unknown field; this request does not take it (check the spelling)';
const UNKNOWN_FIELD_ZH = '未知字段；这个请求不接受它（请检查拼写）';
const UNKNOWN_PARAMETER_EN = 'unknown parameter; this route does not take it (check the spelling)';

type JsonSchema = Record<string, unknown>;
interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
  components: { schemas: Record<string, JsonSchema> };
}
interface Issue {
  path: string;
  message: string;
}

const issuesOf = (res: LightMyRequestResponse): Issue[] =>
  (res.json() as { error?: { details?: { issues?: Issue[] } } }).error?.details?.issues ?? [];

/**
 * A body for a request schema with an unknown key in every object the document closes (`additionalProperties:
 * false`), nested objects and arrays filled in down to their leaves, discriminators set so that a union picks its
 * option; `unknownAt` collects where the unknown keys are. Other values are left out (their refusals do not matter
 * here).
 */
function bodyWithUnknownKeys(
  doc: OpenApiDoc,
  schema: JsonSchema | undefined,
  at: string[],
  unknownAt: string[][],
): unknown {
  if (!schema) return undefined;
  if (typeof schema.$ref === 'string')
    return bodyWithUnknownKeys(
      doc,
      doc.components.schemas[schema.$ref.split('/').pop() ?? ''],
      at,
      unknownAt,
    );
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (options) {
    const option = options.find((o) => o.type !== 'null');
    return bodyWithUnknownKeys(doc, option, at, unknownAt);
  }
  if (schema.type === 'array' && schema.items) {
    const item = bodyWithUnknownKeys(doc, schema.items as JsonSchema, [...at, '0'], unknownAt);
    return item === undefined ? undefined : [item];
  }
  if (schema.type !== 'object' && !schema.properties) return undefined;
  const value: Record<string, unknown> = {};
  for (const [key, property] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    if ('const' in property) value[key] = property.const;
    else {
      const nested = bodyWithUnknownKeys(doc, property, [...at, key], unknownAt);
      if (nested !== undefined) value[key] = nested;
    }
  }
  if (schema.additionalProperties === false) {
    value[UNKNOWN] = 1;
    unknownAt.push([...at, UNKNOWN]);
  }
  return value;
}

for (const dialect of DIALECTS)
  describe(`unknown keys in requests on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let doc: OpenApiDoc;
    let admin: Record<string, string>;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      const people = await seedPeople(tdb.db);
      const ctx = makeContext(
        tdb.db,
        { userId: people.admin.id, role: people.admin.role, teamId: people.admin.teamId },
        fixedClock,
      );
      admin = {
        authorization: `Bearer ${(await createApiToken(ctx, { name: 'a', access: 'write' })).token}`,
      };
      doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('refuses an unknown key in every object of every JSON body with 400 naming it, and the document closes each of them', async () => {
      const problems: string[] = [];
      let routes = 0;
      let deepest = 0;
      for (const [path, item] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(item)) {
          const schema = op.requestBody?.content?.['application/json']?.schema;
          if (!schema) continue;
          routes += 1;
          const key = `${method.toUpperCase()} ${path}`;
          const unknownAt: string[][] = [];
          const payload = bodyWithUnknownKeys(doc, schema, [], unknownAt);
          if (unknownAt.length === 0) {
            problems.push(`${key}: the document leaves the body open (no additionalProperties: false)`);
            continue;
          }
          const res = await app.inject({
            method: method.toUpperCase() as 'POST',
            url: path.replace(/\{\w+\}/g, MISSING_ID),
            payload: JSON.stringify(payload),
            headers: { ...admin, 'content-type': 'application/json' },
          });
          if (res.statusCode !== 400) {
            problems.push(`${key}: answered ${res.statusCode} to ${JSON.stringify(payload)}`);
            continue;
          }
          const named = new Map(issuesOf(res).map((issue) => [issue.path, issue.message]));
          for (const where of unknownAt) {
            deepest = Math.max(deepest, where.length);
            const field = ['body', ...where].join('.');
            if (named.get(field) !== UNKNOWN_FIELD_EN)
              problems.push(`${key}: ${field} not refused as unknown (issues: ${res.body.slice(0, 300)})`);
          }
        }
      expect(problems).toEqual([]);
      expect(routes).toBeGreaterThan(30);
      // Nested objects were reached too (the settings' tiering cut, a log's objections, …).
      expect(deepest).toBeGreaterThanOrEqual(3);
    });

    it('refuses a body with keys on every change that takes no body, and still takes none or {}', async () => {
      // Routes enumerated from the app: a change without a body schema was not validated at all, so
      // `POST /api/calendar-feeds {"name": "phone"}` made a feed and dropped the name without a word.
      const problems: string[] = [];
      const withoutBody: string[] = [];
      for (const route of app.routeCatalog) {
        if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) || !route.url.startsWith('/api/'))
          continue;
        const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
        const schema = op?.requestBody?.content?.['application/json']?.schema;
        // The upload reads multipart/form-data, which says what it takes.
        if (op?.requestBody?.content?.['multipart/form-data'] || route.url === '/api/imports') continue;
        if (!schema) problems.push(`${route.method} ${route.url}: no JSON body documented`);
        // Routes with a body of their own are walked by the test above.
        if (!(typeof schema?.$ref === 'string' && schema.$ref.includes('NoBody'))) continue;
        withoutBody.push(`${route.method} ${route.url}`);
        const res = await app.inject({
          method: route.method as 'POST',
          url: route.url.replace(/:\w+/g, MISSING_ID),
          payload: JSON.stringify({ name: 'phone' }),
          headers: { ...admin, 'content-type': 'application/json' },
        });
        if (res.statusCode !== 400 || !issuesOf(res).some((issue) => issue.path === 'body.name'))
          problems.push(`${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
      expect(withoutBody).toContain('POST /api/calendar-feeds');
      expect(withoutBody.length).toBeGreaterThan(8);
      const feeds = async () =>
        (await app.inject({ method: 'GET', url: '/api/calendar-feeds', headers: admin })).json() as unknown[];
      expect(await feeds()).toEqual([]);
      // Such a change still takes no body at all, or an empty object.
      for (const payload of [undefined, '{}']) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/calendar-feeds',
          headers: payload ? { ...admin, 'content-type': 'application/json' } : admin,
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      expect(await feeds()).toHaveLength(2);
      // The document says the body may be left out.
      expect(
        (doc.paths['/api/calendar-feeds']?.post?.requestBody as { required?: boolean } | undefined)?.required,
      ).toBe(false);
    });

    it('refuses an unknown parameter on every route with a query string, naming it', async () => {
      const problems: string[] = [];
      let routes = 0;
      for (const [path, item] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(item)) {
          if (!(op.parameters ?? []).some((p) => p.in === 'query')) continue;
          routes += 1;
          const res = await app.inject({
            method: method.toUpperCase() as 'GET',
            url: `${path.replace(/\{\w+\}/g, MISSING_ID)}?${UNKNOWN}=1`,
            headers: admin,
          });
          const issue = issuesOf(res).find((i) => i.path === `querystring.${UNKNOWN}`);
          if (res.statusCode !== 400 || issue?.message !== UNKNOWN_PARAMETER_EN)
            problems.push(`${method.toUpperCase()} ${path}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      expect(problems).toEqual([]);
      expect(routes).toBeGreaterThan(20);
    });

    it('names each misspelt key by its path, in English and in Chinese, and changes nothing', async () => {
      const settings = async () =>
        (await app.inject({ method: 'GET', url: '/api/settings', headers: admin })).json() as Record<
          string,
          unknown
        >;
      const before = await settings();
      const payload = {
        // The version read, where settings keep one.
        ...(before.version === undefined ? {} : { version: before.version }),
        tierr: 'A',
        capacity: { callsPerDy: 99 },
        horizonMonths: 6,
      };
      for (const [lang, message, whole] of [
        ['en', UNKNOWN_FIELD_EN, `Invalid request: body.capacity.callsPerDy: ${UNKNOWN_FIELD_EN}`],
        ['zh-CN', UNKNOWN_FIELD_ZH, `请求无效：body.capacity.callsPerDy: ${UNKNOWN_FIELD_ZH}`],
      ] as const) {
        const res = await app.inject({
          method: 'PATCH',
          url: '/api/settings',
          payload,
          headers: { ...admin, 'accept-language': lang },
        });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json()).toEqual({
          error: {
            code: 'bad_request',
            message: whole,
            details: {
              issues: [
                { path: 'body.capacity.callsPerDy', message },
                { path: 'body.tierr', message },
              ],
            },
          },
        });
      }
      expect(await settings()).toEqual(before);

      const query = await app.inject({
        method: 'GET',
        url: '/api/accounts?pageSize=1&tierr=A',
        headers: { ...admin, 'accept-language': 'zh-CN' },
      });
      expect(query.statusCode).toBe(400);
      expect(issuesOf(query)).toEqual([{ path: 'querystring.tierr', message: expect.stringMatching(HAN) }]);
      expect(issuesOf(query)[0]?.message).toContain('未知参数');
    });

    it('still takes what a schema leaves open: the other filters of a saved view query', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/saved-views',
        payload: { name: 'Guangdong', query: { province: ['广东省'], touchedFrom: '2026-01-01' } },
        headers: admin,
      });
      expect(res.statusCode, res.body).toBe(201);
    });
  });

describe('strict request schemas', () => {
  /** A small app validating and answering as the server does, for shapes no route of ours has (yet). */
  async function appWithBody(body: z.ZodType) {
    const app = Fastify();
    app.setValidatorCompiler(strictRequestValidatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler(handleError);
    app.post('/echo', { schema: { body } }, async (request) => ({ body: request.body }));
    await app.ready();
    return app;
  }

  it('reaches objects in unions, records, tuples, intersections, pipes and recursive shapes', async () => {
    interface Node {
      name: string;
      children?: Node[];
    }
    const ZNode: z.ZodType<Node> = z.lazy(() =>
      z.object({ name: z.string(), children: z.array(ZNode).optional() }),
    );
    const app = await appWithBody(
      z.object({
        choice: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]),
        either: z.union([z.object({ a: z.string().optional() }), z.object({ b: z.number().optional() })]),
        byKey: z.record(z.string(), z.object({ n: z.number() })),
        pair: z.tuple([z.object({ x: z.number() }), z.string()]),
        both: z.intersection(z.object({ left: z.number() }), z.object({ right: z.number() })),
        piped: z.object({ v: z.string() }).pipe(z.object({ v: z.string().min(1) })),
        tree: ZNode,
        open: z.looseObject({ known: z.string().optional() }),
      }),
    );
    const good = {
      choice: { b: 1 },
      either: { b: 1 },
      byKey: { k: { n: 1 } },
      pair: [{ x: 1 }, 's'],
      both: { left: 1, right: 2 },
      piped: { v: 'v' },
      tree: { name: 'root', children: [{ name: 'leaf' }] },
      open: { known: 'k', other: true },
    };
    expect((await app.inject({ method: 'POST', url: '/echo', payload: good })).json()).toEqual({
      body: good,
    });
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: {
        ...good,
        choice: { b: 1, c: 2 },
        either: { b: 1, c: 2 },
        byKey: { k: { n: 1, m: 2 } },
        pair: [{ x: 1, y: 2 }, 's'],
        both: { left: 1, right: 2, middle: 3 },
        piped: { v: 'v', w: 'w' },
        tree: { name: 'root', children: [{ name: 'leaf', leaves: 3 }] },
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(
      issuesOf(res)
        .map((i) => i.path)
        .sort(),
    ).toEqual(
      [
        'body.choice.c',
        'body.either.c',
        'body.byKey.k.m',
        'body.pair.0.y',
        'body.both.middle',
        'body.piped.w',
        'body.tree.children.0.leaves',
      ].sort(),
    );
    await app.close();
  });
});
