import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { resolveShutdownTimeoutMs } from '../../src/server/lifecycle.ts';
import { loggableUrl, resolveLogLevel } from '../../src/server/logging.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople, signIn, TEST_PASSWORD } from '../helpers/session.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const dialect of DIALECTS) {
  describe(`health endpoints and request logs on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    const lines: string[] = [];

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      app = await buildApp(tdb.db, {
        now: fixedClock,
        webRoot: '/nonexistent',
        logger: { level: 'info', stream: { write: (line) => void lines.push(line) } },
      });
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('answers liveness without the database and readiness with it', async () => {
      const live = await app.inject({ method: 'GET', url: '/api/health/live' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'ok' });
      const ready = await app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(ready.statusCode, ready.body).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', database: dialect.name });
      const old = await app.inject({ method: 'GET', url: '/api/health' });
      expect(old.json()).toEqual({ status: 'ok', database: dialect.name });
    });

    it('is not ready while the schema is behind the code', async () => {
      const [first] = (
        await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(
          tdb.db.kysely,
        )
      ).rows;
      if (!first) throw new Error('no migrations recorded');
      await sql`delete from kysely_migration where name = ${first.name}`.execute(tdb.db.kysely);
      // A fresh app: a running one remembers that the schema was current.
      const fresh = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      try {
        const res = await fresh.inject({ method: 'GET', url: '/api/health/ready' });
        expect(res.statusCode).toBe(503);
        expect(res.json().error).toMatchObject({
          code: 'unavailable',
          details: { reason: 'migrations_pending' },
        });
        expect(res.json().error.message).toContain(first.name);
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values (${first.name}, ${new Date().toISOString()})`.execute(
          tdb.db.kysely,
        );
        await fresh.close();
      }
    });

    it('answers 503 to readiness while draining, liveness still 200', async () => {
      app.lifecycle.draining = true;
      try {
        const ready = await app.inject({ method: 'GET', url: '/api/health/ready' });
        expect(ready.statusCode).toBe(503);
        expect(ready.json().error).toMatchObject({
          code: 'unavailable',
          details: { reason: 'shutting_down' },
        });
        const live = await app.inject({ method: 'GET', url: '/api/health/live' });
        expect(live.statusCode).toBe(200);
      } finally {
        app.lifecycle.draining = false;
      }
    });

    it('takes a sane x-request-id, makes one otherwise, and echoes it', async () => {
      const given = await app.inject({
        method: 'GET',
        url: '/api/health/live',
        headers: { 'x-request-id': 'lb-7f3a.42' },
      });
      expect(given.headers['x-request-id']).toBe('lb-7f3a.42');
      for (const bad of ['two words', 'x'.repeat(129), 'evil\u00e9', '']) {
        const res = await app.inject({
          method: 'GET',
          url: '/api/health/live',
          headers: { 'x-request-id': bad },
        });
        expect(res.headers['x-request-id'], JSON.stringify(bad)).toMatch(UUID);
      }
      const none = await app.inject({ method: 'GET', url: '/api/accounts' });
      expect(none.statusCode).toBe(401);
      expect(none.headers['x-request-id']).toMatch(UUID);
    });

    it('logs JSON lines with the request id and no secrets', async () => {
      lines.length = 0;
      const session = await signIn(app, people.rep);
      const requestId = 'trace-secret-test-1';
      const res = await app.inject({
        method: 'GET',
        url: '/api/accounts?pageSize=5',
        headers: { ...session.headers, 'x-request-id': requestId },
      });
      expect(res.statusCode).toBe(200);
      await app.inject({
        method: 'GET',
        url: '/cal/feedsecretvalue123.ics?token=querysecret456',
        headers: { authorization: 'Bearer tl_bearersecret789', 'x-request-id': 'trace-secret-test-2' },
      });
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries.some((e) => (e.req as { url?: string } | undefined)?.url === '/api/auth/sign-in')).toBe(
        true,
      );
      const mine = entries.filter((e) => e.requestId === requestId);
      expect(mine.map((e) => e.msg)).toEqual(['incoming request', 'request completed']);
      expect(mine[0]?.req).toMatchObject({ method: 'GET', url: '/api/accounts?pageSize=5' });
      expect(mine[1]?.res).toMatchObject({ statusCode: 200 });
      const feed = entries.find((e) => e.requestId === 'trace-secret-test-2' && e.req);
      expect(feed?.req).toMatchObject({ url: '/cal/[redacted]?token=[redacted]' });
      const text = lines.join('');
      for (const secret of [
        TEST_PASSWORD,
        session.token,
        session.csrf,
        'feedsecretvalue123',
        'querysecret456',
        'tl_bearersecret789',
      ]) {
        expect(text).not.toContain(secret);
      }
      // Health probes are not logged at info (a balancer asks every few seconds).
      lines.length = 0;
      await app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(lines).toEqual([]);
    });
  });
}

describe('serve options', () => {
  it('reads the log level from the flag, else LOG_LEVEL, else info', () => {
    expect(resolveLogLevel(undefined, {})).toBe('info');
    expect(resolveLogLevel(undefined, { LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(resolveLogLevel('debug', { LOG_LEVEL: 'warn' })).toBe('debug');
    expect(() => resolveLogLevel('loud', {})).toThrow(/--log-level: unknown log level "loud"/);
    expect(() => resolveLogLevel(undefined, { LOG_LEVEL: 'x' })).toThrow(/LOG_LEVEL: unknown/);
  });

  it('reads the shutdown timeout in seconds', () => {
    expect(resolveShutdownTimeoutMs(undefined, {})).toBe(10_000);
    expect(resolveShutdownTimeoutMs('2.5', {})).toBe(2500);
    expect(resolveShutdownTimeoutMs(undefined, { TIERLINE_SHUTDOWN_TIMEOUT: '30' })).toBe(30_000);
    expect(() => resolveShutdownTimeoutMs('soon', {})).toThrow(/--shutdown-timeout: "soon"/);
    expect(() => resolveShutdownTimeoutMs(undefined, { TIERLINE_SHUTDOWN_TIMEOUT: '-1' })).toThrow(
      /TIERLINE_SHUTDOWN_TIMEOUT/,
    );
  });

  it('masks secrets in logged URLs only', () => {
    expect(loggableUrl('/cal/abc.ics')).toBe('/cal/[redacted]');
    expect(loggableUrl('/api/accounts?search=华信&page=2')).toBe('/api/accounts?search=华信&page=2');
    expect(loggableUrl('/x?api_key=1&a=2&Password=3')).toBe('/x?api_key=[redacted]&a=2&Password=[redacted]');
  });
});
