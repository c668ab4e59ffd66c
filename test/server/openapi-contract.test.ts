import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { createApiToken } from '../../src/services/auth.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// The OpenAPI document (/api/docs/json) is the API's contract for integrators: every route is in it, every
// status a route answers is listed for it, with the one error schema for every 4xx and 5xx, and what the route
// sends matches what the document says. The document is read as a client would read it, and every route the app
// registers is called the ways a demanding script would (no credentials, a read-only token on a change, a cookie
// without its CSRF header, ids that do not exist, broken JSON, other content types, values of the wrong type,
// out of range and empty), in both languages; each answer is checked against the document.

interface Operation {
  path: string;
  method: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  security?: unknown[];
}
type JsonSchema = Record<string, unknown>;
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Omit<Operation, 'path' | 'method'>>>;
  components: { schemas: Record<string, JsonSchema> };
}

const ERROR_REF = '#/components/schemas/Error';
const HAN = /[\u4e00-\u9fff]/;
const MISSING_ID = '01a2229e-0000-7000-8000-000000000000';
const SAFE = new Set(['GET', 'HEAD']);
/** Content types no route reads (JSON routes take application/json, the upload multipart/form-data): 415. */
const OTHER_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded'];
/** Query parameters that name a record (an id, or where the route says so a code or an e-mail). */
const ID_PARAMETER = /Id$|^byRep$/;

/** `/api/accounts/:id` as the document writes it, `/api/accounts/{id}`. */
const docPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ ...op, path, method: method.toUpperCase() })),
  );
}

/** Compiles the document's schemas (JSON Schema 2020-12, as OpenAPI 3.1 has them) to check answers with. */
function schemaChecker(doc: OpenApiDoc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const rebase = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/', '"openapi#/components/')) as JsonSchema;
  ajv.addSchema({ $id: 'openapi', components: rebase(doc.components) });
  const compiled = new Map<string, ValidateFunction>();
  return (schema: JsonSchema, data: unknown): string | null => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rebase(schema));
      compiled.set(key, validate);
    }
    return validate(data) ? null : ajv.errorsText(validate.errors);
  };
}

describe('the OpenAPI document', () => {
  let tdb: TestDatabase;
  let app: AppInstance;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    tdb = await (DIALECTS[0] as (typeof DIALECTS)[number]).open();
    app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
    doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
  });
  afterAll(async () => {
    await app.close();
    await tdb.cleanup();
  });

  it('documents every API route the app registers, the calendar feed too, and nothing else', () => {
    const registered = app.routeCatalog
      .filter((r) => r.method !== 'HEAD' && /^\/(api|cal)\//.test(r.url) && !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${docPath(r.url)}`)
      .sort();
    const documented = operationsOf(doc)
      .map((op) => `${op.method} ${op.path}`)
      .sort();
    expect(documented).toEqual(registered);
  });

  it('lists, for every route, the 4xx and 5xx it can answer, each with the error schema and a description', () => {
    const problems: string[] = [];
    for (const op of operationsOf(doc)) {
      const key = `${op.method} ${op.path}`;
      const route = app.routeCatalog.find((r) => r.method === op.method && docPath(r.url) === op.path);
      const codes = Object.keys(op.responses);
      const hasQuery = (op.parameters ?? []).some((p) => p.in === 'query');
      const hasParams = op.path.includes('{');
      const changes = !SAFE.has(op.method);
      const expected = new Set(['500', '503']);
      if (route?.access === 'user') expected.add('401');
      if (route?.access === 'user' && changes) expected.add('403');
      if (hasQuery || hasParams || changes || op.requestBody) expected.add('400');
      if (hasParams) expected.add('404');
      if (changes || op.requestBody) for (const c of ['413', '415']) expected.add(c);
      for (const code of expected)
        if (!codes.includes(code)) problems.push(`${key}: ${code} not listed (has ${codes.join(',')})`);
      for (const [code, response] of Object.entries(op.responses)) {
        if (Number(code) < 400) continue;
        const schema = response.content?.['application/json']?.schema;
        if (schema?.$ref !== ERROR_REF) problems.push(`${key}: ${code} is not the error schema`);
        if (!response.description || response.description === 'Default Response')
          problems.push(`${key}: ${code} has no description`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names the content types of the downloads, not JSON', () => {
    const types = (path: string) => Object.keys(doc.paths[path]?.get?.responses['200']?.content ?? {}).sort();
    expect(types('/api/plan/export')).toEqual(['text/calendar', 'text/csv']);
    expect(types('/api/accounts/export')).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
    ]);
    expect(types('/api/imports/{id}/rejects')).toEqual(['text/csv']);
    expect(types('/cal/{file}')).toEqual(['text/calendar']);
    // The feed authenticates by the secret in its URL, not by a session or an API token.
    expect(doc.paths['/cal/{file}']?.get?.security).toEqual([]);
  });
});

for (const dialect of DIALECTS)
  describe(`every route answers as the OpenAPI document says, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let doc: OpenApiDoc;
    let check: ReturnType<typeof schemaChecker>;
    let repSession: Session;
    const tokens = { admin: '', adminRead: '', manager: '', rep: '', repRead: '' };
    let accountId = '';

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      check = schemaChecker(doc);
      const ctxOf = (user: People['admin']) =>
        makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);
      tokens.admin = (await createApiToken(ctxOf(people.admin), { name: 'w', access: 'write' })).token;
      tokens.adminRead = (await createApiToken(ctxOf(people.admin), { name: 'r', access: 'read' })).token;
      tokens.manager = (await createApiToken(ctxOf(people.manager), { name: 'w', access: 'write' })).token;
      tokens.rep = (await createApiToken(ctxOf(people.rep), { name: 'w', access: 'write' })).token;
      tokens.repRead = (await createApiToken(ctxOf(people.rep), { name: 'r', access: 'read' })).token;
      repSession = await signIn(app, people.rep);
      const system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      accountId = (
        await createAccount(system, makeAccountInput({ ownerId: people.rep.id, province: '广东省' }))
      ).id;
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    /** Calls the app and checks the answer against the document; returns what did not match. */
    const isUserRoute = (op: Operation) =>
      app.routeCatalog.some(
        (r) => r.method === op.method && docPath(r.url) === op.path && r.access === 'user',
      );

    async function callAndCheck(
      op: Operation,
      request: InjectOptions,
      what: string,
    ): Promise<{ problems: string[]; status: number; res: LightMyRequestResponse }> {
      const res: LightMyRequestResponse = await app.inject(request);
      const key = `${op.method} ${op.path} ${what}`;
      const problems: string[] = [];
      const documented = op.responses[String(res.statusCode)];
      if (res.statusCode >= 500) problems.push(`${key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (!documented) {
        problems.push(`${key}: answered ${res.statusCode}, not documented: ${res.body.slice(0, 200)}`);
        return { problems, status: res.statusCode, res };
      }
      const type = String(res.headers['content-type'] ?? '').split(';')[0] ?? '';
      const content = documented.content ?? {};
      if (res.body.length > 0 && Object.keys(content).length > 0 && !(type in content))
        problems.push(
          `${key}: ${res.statusCode} sent ${type}, documented ${Object.keys(content).join(', ')}`,
        );
      const schema = content['application/json']?.schema;
      if (type === 'application/json' && schema) {
        const mismatch = check(schema, res.json());
        if (mismatch) problems.push(`${key}: ${res.statusCode} does not match its schema: ${mismatch}`);
      }
      if (res.statusCode >= 400) {
        const error = (res.json() as { error?: { code?: unknown; message?: unknown; details?: unknown } })
          .error;
        const lang = (request.headers as Record<string, string> | undefined)?.['accept-language'];
        if (lang === 'zh-CN' && !HAN.test(String(error?.message)))
          problems.push(`${key}: asked for Chinese, answered "${String(error?.message)}"`);
        // Every error carries its details, an object ({} when the message says it all).
        const details = error?.details;
        if (typeof details !== 'object' || details === null || Array.isArray(details))
          problems.push(`${key}: ${res.statusCode} without details: ${res.body.slice(0, 200)}`);
      }
      return { problems, status: res.statusCode, res };
    }

    /** The requests made of one route: each a label and the request. */
    function requestsFor(op: Operation, url: string): [string, InjectOptions][] {
      const method = op.method as 'GET';
      const changes = !SAFE.has(op.method);
      const bearer = (token: string, lang = 'zh-CN') => ({
        authorization: `Bearer ${token}`,
        'accept-language': lang,
      });
      const json = (payload: string, headers: Record<string, string>) => ({
        method,
        url,
        payload,
        headers: { ...headers, 'content-type': 'application/json' },
      });
      const out: [string, InjectOptions][] = [];
      for (const lang of ['en', 'zh-CN']) {
        out.push([`anonymous ${lang}`, { method, url, headers: { 'accept-language': lang } }]);
        out.push([`admin ${lang}`, { method, url, headers: bearer(tokens.admin, lang) }]);
        out.push([`rep ${lang}`, { method, url, headers: bearer(tokens.rep, lang) }]);
      }
      if (!changes) return out;
      const admin = bearer(tokens.admin);
      out.push(['read-only token', json('{}', bearer(tokens.repRead))]);
      out.push(['read-only admin token', json('{}', bearer(tokens.adminRead))]);
      out.push([
        'cookie without CSRF header',
        json('{}', { cookie: repSession.cookie, 'accept-language': 'zh-CN' }),
      ]);
      out.push([
        'cookie without the right CSRF header',
        json('{}', { cookie: repSession.cookie, 'x-csrf-token': 'nope', 'accept-language': 'zh-CN' }),
      ]);
      out.push(['empty object', json('{}', admin)]);
      out.push(['broken JSON', json('{"a":', admin)]);
      out.push(['empty JSON body', json('', admin)]);
      out.push(['array body', json('[1]', admin)]);
      out.push(['null body', json('null', admin)]);
      for (const type of OTHER_TYPES)
        out.push([type, { method, url, payload: 'a=1', headers: { ...admin, 'content-type': type } }]);
      const declared = op.requestBody?.content?.['application/json']?.schema;
      const bodySchema =
        typeof declared?.$ref === 'string'
          ? doc.components.schemas[declared.$ref.split('/').pop() ?? '']
          : declared;
      const props = Object.keys((bodySchema?.properties as Record<string, unknown> | undefined) ?? {});
      for (const prop of props)
        for (const bad of ['', 'x', -1, 1e308, 2 ** 64, true, [], { a: 1 }])
          out.push([`body.${prop}=${JSON.stringify(bad)}`, json(JSON.stringify({ [prop]: bad }), admin)]);
      return out;
    }

    function queryRequestsFor(op: Operation, url: string): [string, InjectOptions][] {
      const out: [string, InjectOptions][] = [];
      const headers = { authorization: `Bearer ${tokens.admin}`, 'accept-language': 'zh-CN' };
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query') continue;
        for (const bad of [
          '',
          'zz',
          '-1',
          '0',
          '1.5',
          '9007199254740991',
          '99999999999999999999999',
          '2026-02-30',
          'x'.repeat(3000),
        ])
          out.push([
            `query ${p.name}=${bad.slice(0, 12)}`,
            { method: op.method as 'GET', url: `${url}?${p.name}=${encodeURIComponent(bad)}`, headers },
          ]);
        if (p.name === 'repId' || p.name === 'userId')
          // Another team's rep, asked for by a rep and by a manager: not theirs to see.
          for (const who of ['rep', 'manager'] as const)
            out.push([
              `${who} asks for ${p.name} of another team`,
              {
                method: op.method as 'GET',
                url: `${url}?${p.name}=${people.otherRep.id}`,
                headers: { authorization: `Bearer ${tokens[who]}`, 'accept-language': 'zh-CN' },
              },
            ]);
      }
      return out;
    }

    /** Known ids, so that GETs answer their 200 as well (and their schema is checked). */
    function withKnownIds(path: string): string | null {
      const known: Record<string, string> = {
        '/api/accounts/{id}': accountId,
        '/api/users/{id}': people.rep.id,
        '/api/teams/{id}': people.teamA,
        '/api/territories/{id}': people.territoryA,
        '/api/objections/{id}': 'no-budget',
        '/api/practice/answer/{objectionId}': 'no-budget',
      };
      for (const [prefix, id] of Object.entries(known)) {
        const name = /\{(\w+)\}/.exec(prefix)?.[1] ?? 'id';
        if (path.startsWith(prefix)) return path.replace(`{${name}}`, id).replace(/\{\w+\}/g, MISSING_ID);
      }
      return null;
    }

    it('answers every request with a documented status, in the documented schema and language; refuses every change by a read-only token or a cookie without CSRF header', async () => {
      const problems: string[] = [];
      const ops = operationsOf(doc);
      expect(ops.length).toBeGreaterThan(90);
      for (const op of ops) {
        // These end the session or token the requests use; their refusals are still checked.
        const ends = op.path.startsWith('/api/auth/sign-out');
        const url = op.path.replace(/\{\w+\}/g, MISSING_ID);
        const requests = [...requestsFor(op, url), ...queryRequestsFor(op, url)];
        const known = SAFE.has(op.method) ? withKnownIds(op.path) : null;
        if (known) requests.push(...requestsFor(op, known), ...queryRequestsFor(op, known));
        for (const [what, request] of requests) {
          const auth = (request.headers as Record<string, string> | undefined)?.authorization;
          if (ends && (auth === `Bearer ${tokens.admin}` || auth === `Bearer ${tokens.rep}`)) continue;
          const { problems: found, status, res } = await callAndCheck(op, request, what);
          problems.push(...found);
          const key = `${op.method} ${op.path} ${what}`;
          // A body of a type the route does not read is refused as such (text/plain too, not read as a string).
          if (OTHER_TYPES.includes(what) && status !== 415)
            problems.push(`${key}: answered ${status}, not 415`);
          // An empty id is refused naming the parameter, never read as "not given" (which widens the answer).
          const emptyId = /^query (\w+)=$/.exec(what)?.[1];
          if (emptyId && ID_PARAMETER.test(emptyId)) {
            // A 200 may be a download (CSV), not JSON.
            const paths =
              status === 400
                ? (
                    (res.json() as { error?: { details?: { issues?: { path: string }[] } } }).error?.details
                      ?.issues ?? []
                  ).map((issue) => issue.path)
                : [];
            if (status !== 400 || !paths.includes(`querystring.${emptyId}`))
              problems.push(
                `${key}: answered ${status} ${res.body.slice(0, 160)}, not 400 naming querystring.${emptyId}`,
              );
          }
          // A read-only token cannot change anything, and a cookie session cannot without its CSRF header.
          const mustRefuse = what.startsWith('read-only') || what.startsWith('cookie without');
          if (mustRefuse && isUserRoute(op) && status !== 403)
            problems.push(`${op.method} ${op.path} ${what}: answered ${status}, not 403`);
        }
      }
      expect(problems).toEqual([]);
    }, 600_000);
  });
