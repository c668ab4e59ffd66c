import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { getDaysOff, setDaysOff } from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople, signIn } from '../helpers/session.ts';

// setDaysOff checks the dates itself, whoever calls it (the API's schema, the CLI's option parser, the demo, a
// script): each an existing calendar date as YYYY-MM-DD, listed once. A bad one answers 400 naming it; nothing
// changes, the version included.
for (const dialect of DIALECTS) {
  describe(`days off are checked by the service on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let manager: ServiceContext;

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      manager = makeContext(tdb.db, { userId: people.manager.id, role: 'manager' }, fixedClock);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    async function refusal(dates: unknown[]) {
      const { version } = await getDaysOff(manager, people.rep.id);
      const error = await setDaysOff(manager, people.rep.id, { dates: dates as string[], version }).then(
        () => null,
        (e: unknown) => e,
      );
      if (!isAppError(error)) throw new Error(`expected a refusal of ${JSON.stringify(dates)}, got ${error}`);
      return error;
    }

    it('refuses a date that does not exist or is not YYYY-MM-DD, naming it, and keeps the days off', async () => {
      const read = await getDaysOff(manager, people.rep.id);
      // The calendar saved (and how many planned touches it moved off the days now off: none here).
      const { moved, ...saved } = await setDaysOff(manager, people.rep.id, {
        dates: ['2026-12-24'],
        version: read.version,
      });
      expect(moved).toBe(0);
      for (const bad of ['2026-02-30', '2026-13-01', '2026-1-05', '2026-12-24T00:00:00Z', '24.12.2026', '']) {
        const error = await refusal(['2026-12-31', bad]);
        expect(error.code).toBe('bad_request');
        expect(error.message).toBe(
          `dates: “${bad}” is not a date that exists, written YYYY-MM-DD (e.g. 2026-10-08).`,
        );
        expect(error.details).toEqual({ field: 'dates', index: 1, value: bad });
      }
      expect((await refusal([20261224])).details).toEqual({ field: 'dates', index: 0, value: 20261224 });
      expect(await getDaysOff(manager, people.rep.id)).toEqual(saved);
    });

    it('refuses a day off listed twice, naming it', async () => {
      const before = await getDaysOff(manager, people.rep.id);
      const error = await refusal(['2027-01-04', '2027-01-05', '2027-01-04']);
      expect(error.code).toBe('bad_request');
      expect(error.message).toBe('dates: 2027-01-04 is listed twice; list each day off once.');
      expect(error.details).toEqual({ field: 'dates', index: 2, value: '2027-01-04' });
      expect(await getDaysOff(manager, people.rep.id)).toEqual(before);
    });

    it('answers the API with 400 naming the date, in the request’s language', async () => {
      const app: AppInstance = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      try {
        const session = await signIn(app, people.manager);
        const { version } = await getDaysOff(manager, people.rep.id);
        const res = await app.inject({
          method: 'PUT',
          url: '/api/calendar/days-off',
          headers: { ...session.headers, 'accept-language': 'zh-CN' },
          payload: { repId: people.rep.id, dates: ['2027-02-01', '2027-02-01'], version },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toEqual({
          code: 'bad_request',
          message: 'dates: 2027-02-01 出现了两次；每个休息日只写一次。',
          details: { field: 'dates', index: 1, value: '2027-02-01' },
        });
        expect((await getDaysOff(manager, people.rep.id)).version).toBe(version);
      } finally {
        await app.close();
      }
    });
  });
}
