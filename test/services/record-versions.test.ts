import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import type { TMarketDefinition } from '../../src/schemas/market-api.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { getDaysOff, setDaysOff } from '../../src/services/calendar.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { getCurrentMarket, saveMarket } from '../../src/services/market.ts';
import { getCadenceRules, setCadenceRules } from '../../src/services/plan.ts';
import { listTeams, updateTeam } from '../../src/services/teams.ts';
import { listTerritories, updateTerritory } from '../../src/services/territories.ts';
import { getUser, setUserPassword, updateUser } from '../../src/services/users.ts';
import { getWorkspaceSettings, updateWorkspaceSettings } from '../../src/services/workspace-settings.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

// No lost updates on the records several managers edit (010-record-versions): territories, teams, people and their
// working calendar, the workspace settings, the cadence per tier and channel, and the target market. Two managers
// read the same version; the first save wins, the second is refused with version_conflict (HTTP 409) carrying the
// record as it is now, and the record keeps the first save. A save on the current version goes through.

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

for (const dialect of DIALECTS) {
  describe(`versioned edits on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let manager: ServiceContext;
    let admin: ServiceContext;
    let system: ServiceContext;

    const ctxOf = (user: People['rep']) =>
      makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      manager = ctxOf(people.manager);
      admin = ctxOf(people.admin);
      system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('refuses a territory edit made on a stale version, keeping the first save', async () => {
      const read = (await listTerritories(manager)).find((t) => t.id === people.territoryA);
      expect(read?.version).toBe(1);
      const first = await updateTerritory(manager, people.territoryA, { cities: ['广州市'], version: 1 });
      expect(first.version).toBe(2);

      const stale = await rejection(
        updateTerritory(admin, people.territoryA, { name: 'Overwritten', provinces: ['海南省'], version: 1 }),
      );
      expect(stale.code).toBe('version_conflict');
      expect(stale.message).toMatch(/you edited version 1, it is now 2/);
      expect(stale.details).toMatchObject({
        current: { id: people.territoryA, cities: ['广州市'], version: 2 },
      });
      const now = (await listTerritories(admin)).find((t) => t.id === people.territoryA);
      expect(now).toMatchObject({
        name: first.name,
        provinces: first.provinces,
        cities: ['广州市'],
        version: 2,
      });

      const fresh = await updateTerritory(admin, people.territoryA, { name: 'Renamed on top', version: 2 });
      expect(fresh).toMatchObject({ name: 'Renamed on top', cities: ['广州市'], version: 3 });
    });

    it('lets only one of two saves made on the same territory version through', async () => {
      const before = (await listTerritories(admin)).find((t) => t.id === people.territoryB);
      if (!before) throw new Error('territory B missing');
      const results = await Promise.allSettled([
        updateTerritory(admin, people.territoryB, { name: 'First', version: before.version }),
        updateTerritory(admin, people.territoryB, { name: 'Second', version: before.version }),
      ]);
      const saved = results.filter((r) => r.status === 'fulfilled');
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(saved).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ code: 'version_conflict' });
      const after = (await listTerritories(admin)).find((t) => t.id === people.territoryB);
      expect(after?.version).toBe(before.version + 1);
    });

    it('refuses a team edit made on a stale version', async () => {
      const read = (await listTeams(admin)).find((t) => t.id === people.teamA);
      if (!read) throw new Error('team A missing');
      const first = await updateTeam(admin, people.teamA, {
        managerId: people.manager.id,
        version: read.version,
      });
      const stale = await rejection(
        updateTeam(admin, people.teamA, { name: 'Lost rename', version: read.version }),
      );
      expect(stale.code).toBe('version_conflict');
      expect(stale.details).toMatchObject({
        current: { id: people.teamA, name: read.name, version: first.version },
      });
      expect((await listTeams(admin)).find((t) => t.id === people.teamA)).toMatchObject({
        name: read.name,
        managerId: people.manager.id,
        version: read.version + 1,
      });
      const fresh = await updateTeam(admin, people.teamA, { name: 'Team A renamed', version: first.version });
      expect(fresh).toMatchObject({ name: 'Team A renamed', managerId: people.manager.id });
    });

    it('refuses a person edit made on a stale version; only your own language alone needs none', async () => {
      const read = await getUser(admin, people.mate.id);
      await updateUser(manager, people.mate.id, { callsPerDay: 30, version: read.version });
      const stale = await rejection(
        updateUser(admin, people.mate.id, { visitsPerDay: 7, version: read.version }),
      );
      expect(stale.code).toBe('version_conflict');
      expect(stale.details).toMatchObject({ current: { id: people.mate.id, callsPerDay: 30 } });
      const now = await getUser(admin, people.mate.id);
      expect(now).toMatchObject({
        callsPerDay: 30,
        visitsPerDay: read.visitsPerDay,
        version: read.version + 1,
      });

      const missing = await rejection(updateUser(admin, people.mate.id, { visitsPerDay: 7 }));
      expect(missing).toMatchObject({ code: 'validation_failed', details: { field: 'version' } });
      // The language switch: a person's own language, without a version, leaves the version as it is.
      const mate = ctxOf(people.mate);
      expect(await updateUser(mate, people.mate.id, { locale: 'en' })).toMatchObject({
        locale: 'en',
        version: now.version,
      });
      expect(
        (await updateUser(admin, people.mate.id, { visitsPerDay: 7, version: now.version })).version,
      ).toBe(now.version + 1);
      // The local CLI's set-password saves on the version it has just read.
      const password = await setUserPassword(system, people.mate.id, 'a long enough new password');
      expect(password.version).toBe(now.version + 2);
    });

    it("refuses a rep's days off saved on a stale version, keeping the first save", async () => {
      const read = await getDaysOff(manager, people.rep.id);
      // The calendar saved (without what it moved off the days now off, which a read does not say).
      const { moved: _moved, ...first } = await setDaysOff(manager, people.rep.id, {
        dates: ['2026-12-24'],
        version: read.version,
      });
      expect(first.version).toBe(read.version + 1);
      const stale = await rejection(
        setDaysOff(ctxOf(people.rep), people.rep.id, {
          dates: ['2026-12-31'],
          holidays: 'HK',
          version: read.version,
        }),
      );
      expect(stale.code).toBe('version_conflict');
      expect(stale.details).toEqual({ current: first });
      expect(await getDaysOff(manager, people.rep.id)).toEqual(first);
      // The days off are the rep's record: a change of the person in between makes them stale too.
      await updateUser(manager, people.rep.id, { callsPerDay: 44, version: first.version });
      expect(
        (await rejection(setDaysOff(manager, people.rep.id, { dates: [], version: first.version }))).code,
      ).toBe('version_conflict');
      const fresh = await setDaysOff(ctxOf(people.rep), people.rep.id, {
        dates: ['2026-12-24', '2026-12-31'],
        version: first.version + 1,
      });
      expect(fresh).toMatchObject({ dates: ['2026-12-24', '2026-12-31'], version: first.version + 2 });
    });

    it('refuses workspace settings saved on a stale version, the first save (of never-saved settings) kept', async () => {
      const read = await getWorkspaceSettings(manager);
      expect(read.version).toBe(0);
      const first = await updateWorkspaceSettings(manager, { capacity: { callsPerDay: 55 }, version: 0 });
      expect(first).toMatchObject({ capacity: { callsPerDay: 55 }, version: 1 });

      const stale = await rejection(
        updateWorkspaceSettings(admin, {
          timeZone: 'Asia/Hong_Kong',
          capacity: { callsPerDay: 20 },
          version: 0,
        }),
      );
      expect(stale.code).toBe('version_conflict');
      expect(stale.details).toEqual({ current: first });
      expect(await getWorkspaceSettings(admin)).toEqual(first);

      const fresh = await updateWorkspaceSettings(admin, { timeZone: 'Asia/Hong_Kong', version: 1 });
      expect(fresh).toMatchObject({ timeZone: 'Asia/Hong_Kong', capacity: { callsPerDay: 55 }, version: 2 });
      const again = await rejection(updateWorkspaceSettings(manager, { horizonMonths: 6, version: 1 }));
      expect(again.code).toBe('version_conflict');
      expect((await getWorkspaceSettings(admin)).horizonMonths).toBe(first.horizonMonths);
    });

    it('lets only one of two settings saves made on the same version through', async () => {
      const { version } = await getWorkspaceSettings(admin);
      const results = await Promise.allSettled([
        updateWorkspaceSettings(admin, { horizonMonths: 9, version }),
        updateWorkspaceSettings(manager, { horizonMonths: 18, version }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({
        reason: { code: 'version_conflict' },
      });
      expect((await getWorkspaceSettings(admin)).version).toBe(version + 1);
    });

    it('refuses a cadence cell saved on a stale version; other cells are saved independently', async () => {
      const read = await getCadenceRules(manager);
      const aCall = read.find((r) => r.tier === 'A' && r.channel === 'call');
      const bVisit = read.find((r) => r.tier === 'B' && r.channel === 'visit');
      expect(aCall).toMatchObject({ intervalMonths: 1, version: 0 });
      await setCadenceRules(manager, [{ tier: 'A', channel: 'call', intervalMonths: 0.5, version: 0 }]);

      const stale = await rejection(
        setCadenceRules(admin, [
          { tier: 'B', channel: 'visit', intervalMonths: 4, version: bVisit?.version ?? 0 },
          { tier: 'A', channel: 'call', intervalMonths: 2, version: 0 },
        ]),
      );
      expect(stale.code).toBe('version_conflict');
      expect(stale.message).toMatch(/tier A is called/);
      const current = (stale.details as { current: typeof read }).current;
      expect(current.find((r) => r.tier === 'A' && r.channel === 'call')).toMatchObject({
        intervalMonths: 0.5,
        version: 1,
      });
      // Nothing of the refused save was kept, not even its other cell.
      const now = await getCadenceRules(admin);
      expect(now).toEqual(current);
      expect(now.find((r) => r.tier === 'B' && r.channel === 'visit')).toEqual(bVisit);

      // Another manager's cell alone goes through; a cell sent unchanged is checked but not rewritten.
      const saved = await setCadenceRules(admin, [
        { tier: 'B', channel: 'visit', intervalMonths: 4, version: 0 },
        { tier: 'A', channel: 'call', intervalMonths: 0.5, version: 1 },
      ]);
      expect(saved.find((r) => r.tier === 'B' && r.channel === 'visit')).toMatchObject({
        intervalMonths: 4,
        version: 1,
      });
      expect(saved.find((r) => r.tier === 'A' && r.channel === 'call')?.version).toBe(1);
    });

    it('refuses a market saved from an older version than the current one', async () => {
      for (const name of ['版本测试甲', '版本测试乙']) {
        await createAccount(
          system,
          makeAccountInput({ name, province: '广东省', city: '广州市', employeesMin: 500 }),
        );
      }
      const started = await getCurrentMarket(manager);
      expect(started).toBeNull();
      // Two managers open the market editor before any market exists.
      const first = await saveMarket(manager, { version: null, criteria: { minEmployees: 100 } });
      expect(first.version).toBe(1);
      const stale = await rejection(
        saveMarket(admin, { version: null, criteria: { provinces: ['江苏省'] }, widen: true }),
      );
      expect(stale.code).toBe('version_conflict');
      expect((stale.details as { current: TMarketDefinition }).current).toMatchObject({
        version: 1,
        criteria: { minEmployees: 100 },
      });
      const second = await saveMarket(manager, { version: 1, criteria: { minEmployees: 200 } });
      expect(second.version).toBe(2);
      const older = await rejection(saveMarket(admin, { version: 1, criteria: { minEmployees: 300 } }));
      expect(older.code).toBe('version_conflict');
      expect(older.message).toMatch(/you started from version 1, the current one is version 2/);
      expect(await getCurrentMarket(admin)).toMatchObject({ version: 2, criteria: { minEmployees: 200 } });

      const fresh = await saveMarket(admin, { version: 2, criteria: { minEmployees: 300 } });
      expect(fresh.version).toBe(3);
      expect(await getCurrentMarket(admin)).toMatchObject({ version: 3, criteria: { minEmployees: 300 } });
    });

    it('lets only one of two market saves made on the same version through', async () => {
      const version = (await getCurrentMarket(admin))?.version ?? null;
      const results = await Promise.allSettled([
        saveMarket(admin, { version, criteria: { minEmployees: 400 } }),
        saveMarket(manager, { version, criteria: { minEmployees: 450 } }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({
        reason: { code: 'version_conflict' },
      });
      expect((await getCurrentMarket(admin))?.version).toBe((version ?? 0) + 1);
    });
  });
}
