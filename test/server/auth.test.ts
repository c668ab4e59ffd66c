import type { InjectOptions } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { DEFAULT_AUTH_SETTINGS } from '../../src/services/auth.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn, TEST_PASSWORD } from '../helpers/session.ts';

const HOUR = 3600_000;

/** A clock the test moves by hand. */
function manualClock() {
  let current = FIXED_NOW.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    reset() {
      current = FIXED_NOW.getTime();
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`first run and setup on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: () => FIXED_NOW, webRoot: '/nonexistent' });
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('asks for setup while no user exists, creates the admin once, signs them in', async () => {
      const status = (await app.inject({ method: 'GET', url: '/api/auth/status' })).json();
      expect(status).toMatchObject({ setupNeeded: true, user: null, demo: null, passwordMinLength: 10 });

      const short = await app.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { email: 'boss@example.com', name: 'Boss', password: 'short' },
      });
      expect(short.statusCode).toBe(422);
      expect(short.json().error.message).toMatch(/at least 10 characters/);

      const anonymousList = await app.inject({ method: 'GET', url: '/api/accounts' });
      expect(anonymousList.statusCode).toBe(401);

      const setup = await app.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { email: 'Boss@Example.com', name: 'Boss', password: 'a long passphrase' },
      });
      expect(setup.statusCode).toBe(201);
      expect(setup.json().user).toMatchObject({ email: 'boss@example.com', role: 'admin' });
      const cookie = setup.cookies.find((c) => c.name === 'tierline_session');
      expect(cookie).toBeDefined();

      const headers = { cookie: `tierline_session=${cookie?.value}` };
      const me = (await app.inject({ method: 'GET', url: '/api/auth/status', headers })).json();
      expect(me).toMatchObject({
        setupNeeded: false,
        user: { email: 'boss@example.com' },
        authenticatedBy: 'session',
      });
      expect(me.csrfToken).toBe(setup.json().csrfToken);

      const again = await app.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { email: 'intruder@example.com', name: 'Intruder', password: 'another long one' },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('conflict');
    });
  });

  describe(`sessions, CSRF, tokens and throttling on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    const clock = manualClock();
    let ip = 0;
    // Each test signs in from its own address, so address-based throttling of one test does not leak into another.
    const nextAddress = () => `10.0.${Math.floor(++ip / 250)}.${ip % 250}`;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: clock.now, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
    });
    beforeEach(() => clock.reset());
    afterEach(async () => {
      await tdb.db.kysely.deleteFrom('sign_in_throttles').execute();
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    const get = (url: string, session?: Session, extra: InjectOptions = {}) =>
      app.inject({
        method: 'GET',
        url,
        ...extra,
        headers: { ...(session?.headers ?? {}), ...(extra.headers ?? {}) },
      });

    it('sets an HttpOnly, SameSite=Lax session cookie, Secure with __Host- behind an https proxy', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.rep.email, password: TEST_PASSWORD },
      });
      const header = String(res.headers['set-cookie']);
      expect(header).toMatch(
        /^tierline_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/,
      );
      expect(res.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const proxied = await buildApp(tdb.db, { now: clock.now, webRoot: '/nonexistent', trustProxy: true });
      const secure = await proxied.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.rep.email, password: TEST_PASSWORD },
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
      });
      expect(String(secure.headers['set-cookie'])).toMatch(
        /^__Host-tierline_session=.*; HttpOnly; SameSite=Lax; .*Secure$/,
      );
      const session = await tdb.db.kysely
        .selectFrom('sessions')
        .select(['ip', 'id_hash'])
        .orderBy('created_at', 'desc')
        .where('ip', '=', '203.0.113.7')
        .executeTakeFirst();
      expect(session?.ip).toBe('203.0.113.7');
      // Only the hash of the session id is stored.
      const token = secure.cookies[0]?.value ?? '';
      expect(session?.id_hash).not.toBe(token);
      expect(session?.id_hash).toMatch(/^[0-9a-f]{64}$/);
      await proxied.close();
    });

    it('gives a new session id at every sign-in and never adopts one chosen before (no fixation)', async () => {
      const planted = 'A'.repeat(43);
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.rep.email, password: TEST_PASSWORD },
        headers: { cookie: `tierline_session=${planted}` },
      });
      expect(res.statusCode).toBe(200);
      const issued = res.cookies.find((c) => c.name === 'tierline_session')?.value;
      expect(issued).toBeDefined();
      expect(issued).not.toBe(planted);
      expect(
        (await get('/api/accounts', undefined, { headers: { cookie: `tierline_session=${planted}` } }))
          .statusCode,
      ).toBe(401);

      const first = await signIn(app, people.rep);
      const second = await signIn(app, people.rep, TEST_PASSWORD, { cookie: first.cookie });
      expect(second.token).not.toBe(first.token);
      expect(second.csrf).not.toBe(first.csrf);
      // Signing in again from the same browser ends the session it had.
      expect((await get('/api/accounts', first)).statusCode).toBe(401);
      expect((await get('/api/accounts', second)).statusCode).toBe(200);
    });

    it('ends a session after 8 idle hours, and after 7 days whatever happens', async () => {
      const session = await signIn(app, people.rep);
      clock.advance(7 * HOUR + 59 * 60_000);
      expect((await get('/api/accounts', session)).statusCode).toBe(200);
      // Use slides the idle limit forward.
      clock.advance(7 * HOUR);
      expect((await get('/api/accounts', session)).statusCode).toBe(200);
      clock.advance(DEFAULT_AUTH_SETTINGS.idleTimeoutMs + 1000);
      const idle = await get('/api/accounts', session);
      expect(idle.statusCode).toBe(401);
      expect(String(idle.headers['set-cookie'])).toMatch(/Max-Age=0/);

      clock.reset();
      const busy = await signIn(app, people.rep);
      for (let hours = 0; hours < 7 * 24 - 4; hours += 4) {
        clock.advance(4 * HOUR);
        expect((await get('/api/accounts', busy)).statusCode, `after ${hours + 4} h`).toBe(200);
      }
      clock.advance(4 * HOUR);
      expect((await get('/api/accounts', busy)).statusCode).toBe(401);
    });

    it('rejects a change authenticated by cookie without the right x-csrf-token', async () => {
      const session = await signIn(app, people.rep);
      const body = { name: 'CSRF测试有限公司', province: '广东省' };
      const none = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: body,
        headers: { cookie: session.cookie },
      });
      expect(none.statusCode).toBe(403);
      expect(none.json().error).toMatchObject({ code: 'forbidden', details: { reason: 'csrf' } });
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: body,
        headers: { cookie: session.cookie, 'x-csrf-token': 'x'.repeat(43) },
      });
      expect(wrong.statusCode).toBe(403);
      const other = await signIn(app, people.mate);
      const crossed = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: body,
        headers: { cookie: session.cookie, 'x-csrf-token': other.csrf },
      });
      expect(crossed.statusCode).toBe(403);
      const signOutWithout = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-out',
        headers: { cookie: session.cookie },
      });
      expect(signOutWithout.statusCode).toBe(403);
      // Reads need no token; the right token lets the change through.
      expect(
        (await get('/api/accounts', undefined, { headers: { cookie: session.cookie } })).statusCode,
      ).toBe(200);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: body,
        headers: session.headers,
      });
      expect(ok.statusCode).toBe(201);
      const count = await tdb.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name', '=', 'CSRF测试有限公司')
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });

    it('slows down and then locks out repeated failures per email, with 429 and Retry-After', async () => {
      const remoteAddress = nextAddress();
      const attempt = (password: string, address = remoteAddress) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: people.mate.email, password },
          remoteAddress: address,
        });
      for (let i = 0; i < 5; i++) expect((await attempt('wrong password!')).statusCode).toBe(401);
      const locked = await attempt(TEST_PASSWORD);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('rate_limited');
      expect(locked.headers['retry-after']).toBe('30');
      // From another address too: the count is per email.
      expect((await attempt(TEST_PASSWORD, nextAddress())).statusCode).toBe(429);
      expect(locked.json().error.message).toBe('Too many sign-in attempts. Wait 30 seconds and try again.');
      // A second before the end: one second, said so (in Chinese as always).
      clock.advance(29_000);
      const almost = await attempt(TEST_PASSWORD);
      expect(almost.statusCode).toBe(429);
      expect(almost.headers['retry-after']).toBe('1');
      expect(almost.json().error.message).toBe('Too many sign-in attempts. Wait 1 second and try again.');
      const almostZh = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.mate.email, password: TEST_PASSWORD },
        remoteAddress,
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(almostZh.json().error.message).toBe('登录尝试次数过多，请等待 1 秒后再试。');

      clock.advance(1_000);
      expect((await attempt('wrong again!!')).statusCode).toBe(401);
      const longer = await attempt(TEST_PASSWORD);
      expect(longer.statusCode).toBe(429);
      expect(longer.headers['retry-after']).toBe('60');
      clock.advance(60_000);
      expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
      // A success forgets the failures.
      for (let i = 0; i < 4; i++) expect((await attempt('wrong password!')).statusCode).toBe(401);
      expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('limits failures per address across many emails, and answers unknown emails like wrong passwords', async () => {
      const remoteAddress = nextAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: `nobody${i}@example.com`, password: 'guess guess guess' },
          remoteAddress,
        });
        statuses.push(res.statusCode);
        if (i === 0) expect(res.json().error.message).toBe('The email address or the password is wrong.');
      }
      expect(statuses.every((s) => s === 401)).toBe(true);
      const blocked = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.otherRep.email, password: TEST_PASSWORD },
        remoteAddress,
      });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Another address is not affected.
      const elsewhere = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.otherRep.email, password: TEST_PASSWORD },
        remoteAddress: nextAddress(),
      });
      expect(elsewhere.statusCode).toBe(200);
      // The counts live in the database (several servers share them), not in this process.
      const second = await buildApp(tdb.db, { now: clock.now, webRoot: '/nonexistent' });
      const viaSecond = await second.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.otherRep.email, password: TEST_PASSWORD },
        remoteAddress,
      });
      expect(viaSecond.statusCode).toBe(429);
      await second.close();
    });

    it('counts concurrent failures without losing any', async () => {
      const remoteAddress = nextAddress();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          app.inject({
            method: 'POST',
            url: '/api/auth/sign-in',
            payload: { email: people.otherManager.email, password: 'wrong password!' },
            remoteAddress,
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      // At most five get to try a password; the rest are turned away.
      expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(5);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(3);
    });

    it('ends the sessions and tokens of a disabled user at once', async () => {
      const admin = await signIn(app, people.admin);
      const victim = await signIn(app, people.mate);
      const token = (
        await app.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          payload: { name: 'script', access: 'write' },
          headers: victim.headers,
        })
      ).json().token as string;
      expect(
        (await get('/api/accounts', undefined, { headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(200);

      const disabled = await app.inject({
        method: 'POST',
        url: `/api/users/${people.mate.id}/disable`,
        headers: admin.headers,
      });
      expect(disabled.statusCode).toBe(200);
      expect(disabled.json().disabledAt).not.toBeNull();
      expect((await get('/api/accounts', victim)).statusCode).toBe(401);
      expect(
        (await get('/api/accounts', undefined, { headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(401);
      const again = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: people.mate.email, password: TEST_PASSWORD },
        remoteAddress: nextAddress(),
      });
      expect(again.statusCode).toBe(403);
      expect(again.json().error.message).toMatch(/disabled/);

      await app.inject({
        method: 'POST',
        url: `/api/users/${people.mate.id}/enable`,
        headers: admin.headers,
      });
      expect((await signIn(app, people.mate)).userId).toBe(people.mate.id);
      // Revoked tokens stay revoked.
      expect(
        (await get('/api/accounts', undefined, { headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(401);
    });

    it('lets a read-only API token read but not write, and a token cannot mint tokens', async () => {
      const session = await signIn(app, people.rep);
      const created = await app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        payload: { name: 'report script' },
        headers: session.headers,
      });
      expect(created.statusCode).toBe(201);
      const { token, access, prefix, id } = created.json();
      expect(access).toBe('read');
      expect(token.startsWith(prefix)).toBe(true);
      const bearer = { authorization: `Bearer ${token}` };
      expect((await get('/api/accounts', undefined, { headers: bearer })).statusCode).toBe(200);
      const write = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: { name: '只读令牌有限公司' },
        headers: bearer,
      });
      expect(write.statusCode).toBe(403);
      expect(write.json().error.message).toMatch(/read-only/);
      const del = await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: bearer });
      expect(del.statusCode).toBe(403);

      const rw = (
        await app.inject({
          method: 'POST',
          url: '/api/auth/tokens',
          payload: { name: 'sync', access: 'write' },
          headers: session.headers,
        })
      ).json();
      const rwBearer = { authorization: `Bearer ${rw.token}` };
      // Bearer requests need no CSRF token (no browser sends them on its own).
      const ok = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: { name: '读写令牌有限公司' },
        headers: rwBearer,
      });
      expect(ok.statusCode).toBe(201);
      const mint = await app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        payload: { name: 'more' },
        headers: rwBearer,
      });
      expect(mint.statusCode).toBe(403);

      const listed = (await get('/api/auth/tokens', session)).json().items;
      expect(listed.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([id, rw.id]));
      expect(JSON.stringify(listed)).not.toContain(token);
      const stored = await tdb.db.kysely
        .selectFrom('api_tokens')
        .select('token_hash')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(token);

      await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${rw.id}`, headers: session.headers });
      expect((await get('/api/accounts', undefined, { headers: rwBearer })).statusCode).toBe(401);
      expect(
        (await get('/api/accounts', undefined, { headers: { authorization: 'Bearer tl_nonsense' } }))
          .statusCode,
      ).toBe(401);
    });

    it('answers the session check 401 for a revoked or expired API token, and 200 signed out without credentials', async () => {
      const session = await signIn(app, people.rep);
      const create = async (payload: { name: string; expiresInDays?: number }) =>
        (
          await app.inject({
            method: 'POST',
            url: '/api/auth/tokens',
            payload: { ...payload, access: 'read' },
            headers: session.headers,
          })
        ).json() as { id: string; token: string };
      const status = (token: string, extra: Record<string, string> = {}) =>
        get('/api/auth/status', undefined, { headers: { authorization: `Bearer ${token}`, ...extra } });

      const revoked = await create({ name: 'revoked script' });
      const working = await status(revoked.token);
      expect(working.statusCode).toBe(200);
      expect(working.json()).toMatchObject({ user: { id: people.rep.id }, authenticatedBy: 'token' });
      await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${revoked.id}`, headers: session.headers });
      const refused = await status(revoked.token);
      expect(refused.statusCode).toBe(401);
      // The same answer as any other route gives the token, in the request's language too.
      const elsewhere = await get('/api/accounts', undefined, {
        headers: { authorization: `Bearer ${revoked.token}` },
      });
      expect(elsewhere.statusCode).toBe(401);
      expect(refused.json()).toEqual(elsewhere.json());
      expect(refused.json().error).toMatchObject({ code: 'unauthenticated', message: /revoked or expired/ });
      const inChinese = await status(revoked.token, { 'accept-language': 'zh-CN' });
      expect(inChinese.statusCode).toBe(401);
      expect(inChinese.json().error.message).toMatch(/已撤销或已过期/);
      expect((await status('tl_nonsense')).statusCode).toBe(401);

      const expiring = await create({ name: 'expiring script', expiresInDays: 1 });
      expect((await status(expiring.token)).statusCode).toBe(200);
      clock.advance(24 * HOUR + 1000);
      const expired = await status(expiring.token);
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.code).toBe('unauthenticated');

      // Without credentials the check stays public: nobody signed in.
      const anonymous = await get('/api/auth/status');
      expect(anonymous.statusCode).toBe(200);
      expect(anonymous.json()).toMatchObject({ user: null, authenticatedBy: null });
      // An expired session cookie (the web app's sign-in page loading) is signed out too, and the cookie cleared.
      const stale = await get('/api/auth/status', session);
      expect(stale.statusCode).toBe(200);
      expect(stale.json()).toMatchObject({ user: null, csrfToken: null });
      expect(String(stale.headers['set-cookie'])).toMatch(/Max-Age=0/);
    });

    it('signs out one session, or every session of the user', async () => {
      const a = await signIn(app, people.otherRep);
      const b = await signIn(app, people.otherRep);
      const c = await signIn(app, people.otherRep);
      const out = await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: a.headers });
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/);
      expect((await get('/api/accounts', a)).statusCode).toBe(401);
      expect((await get('/api/accounts', b)).statusCode).toBe(200);
      const everywhere = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-out-everywhere',
        headers: b.headers,
      });
      // b and c, and any left from earlier tests.
      expect(everywhere.json().sessions).toBeGreaterThanOrEqual(2);
      expect((await get('/api/accounts', b)).statusCode).toBe(401);
      expect((await get('/api/accounts', c)).statusCode).toBe(401);
    });

    it('changes a password after checking the current one and ends the other sessions', async () => {
      const keep = await signIn(app, people.otherManager);
      const other = await signIn(app, people.otherManager);
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
        headers: keep.headers,
      });
      expect(wrong.statusCode).toBe(422);
      const short = await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
        headers: keep.headers,
      });
      expect(short.statusCode).toBe(422);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' },
        headers: keep.headers,
      });
      expect(ok.statusCode).toBe(204);
      expect((await get('/api/accounts', keep)).statusCode).toBe(200);
      expect((await get('/api/accounts', other)).statusCode).toBe(401);
      await expect(signIn(app, people.otherManager)).rejects.toThrow(/401/);
      await signIn(app, people.otherManager, 'a brand new passphrase');
    });
  });
}
