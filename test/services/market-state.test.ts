import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { isAppError } from '../../src/domain/errors.ts';
import { createAccount, findAccounts } from '../../src/services/accounts.ts';
import { contextForUser } from '../../src/services/auth.ts';
import { makeContext, type ServiceContext } from '../../src/services/context.ts';
import { getMarketState, previewMarket, retier, saveMarket } from '../../src/services/market.ts';
import { getEffectiveness } from '../../src/services/playbook.ts';
import { createTeam, updateTeam } from '../../src/services/teams.ts';
import { createTerritory } from '../../src/services/territories.ts';
import { updateUser } from '../../src/services/users.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople } from '../helpers/session.ts';

/** The error `work` throws (it must throw). */
async function refusal(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

for (const dialect of DIALECTS) {
  describe(`market, teams and people checks on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let people: People;

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, { userId: null, role: 'system' }, fixedClock);
      people = await seedPeople(tdb.db);
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    it('counts the accounts in the market now, beside the count the version was saved with', async () => {
      expect((await getMarketState(ctx)).inMarket).toBe(0);
      for (const employees of [200, 300, 20]) {
        await createAccount(ctx, makeAccountInput({ employeesMin: employees, employeesMax: employees }));
      }
      const saved = await saveMarket(ctx, { version: null, criteria: { minEmployees: 100 } });
      expect(saved.matching).toBe(2);

      // Accounts that come in later (an import re-tiers; here by hand) are in the market, not in the version.
      await createAccount(ctx, makeAccountInput({ employeesMin: 150, employeesMax: 150 }));
      await createAccount(ctx, makeAccountInput({ employeesMin: 900, employeesMax: 900 }));
      await retier(ctx);
      const state = await getMarketState(ctx);
      expect(state.current?.matching).toBe(2);
      expect(state.versions.map((v) => v.matching)).toEqual([2]);
      const listed = await findAccounts(ctx, { inMarket: true, page: 1, pageSize: 1 });
      expect(state.inMarket).toBe(listed.total);
      expect(state.inMarket).toBe(4);
    });

    it('refuses a minimum above its maximum in a preview and a save, naming both', async () => {
      for (const criteria of [
        { minEmployees: 500, maxEmployees: 100 },
        { minAnnualSales: 2e8, maxAnnualSales: 1e8 },
        { minNetAssets: 2e7, maxNetAssets: 1e7 },
      ]) {
        const preview = await refusal(() => previewMarket(ctx, criteria));
        expect(preview).toBeInstanceOf(ZodError);
        const [min, max] = Object.keys(criteria) as [string, string];
        expect((preview as ZodError).issues[0]?.path).toEqual([min]);
        expect((preview as ZodError).issues[0]?.message).toContain(max);
        const version = (await getMarketState(ctx)).current?.version ?? null;
        expect(await refusal(() => saveMarket(ctx, { version, criteria }))).toBeInstanceOf(ZodError);
        expect((await getMarketState(ctx)).current?.version).toBe(version);
      }
    });

    it('says which places and industries of the criteria no account has, and reads English province names', async () => {
      await createAccount(ctx, makeAccountInput({ province: '江苏省', city: '苏州市', industry: '机械' }));
      const preview = await previewMarket(ctx, {
        provinces: ['Jiangsu', 'Atlantis'],
        cities: ['苏州'],
        industries: ['机械', 'Nothing'],
      });
      expect(preview.matching).toBe(1);
      expect(preview.unknownValues).toEqual([
        { field: 'provinces', value: 'Atlantis' },
        { field: 'industries', value: 'Nothing' },
      ]);
    });

    it('puts accounts into a territory however their province is spelled, so its team sees them', async () => {
      const spelled = await Promise.all(
        ['江苏', 'Jiangsu'].map((province) =>
          createAccount(ctx, makeAccountInput({ province, city: null, district: null })),
        ),
      );
      // Added after the territory (people.territoryB, 江苏省): the territory it lies in is found on creation.
      for (const account of spelled) expect(account.territoryId).toBe(people.territoryB);
      const otherManager = await contextForUser(tdb.db, people.otherManager.id, fixedClock);
      const seen = await findAccounts(otherManager, { search: '测试客户', page: 1, pageSize: 500 });
      expect(seen.items.map((a) => a.id)).toEqual(expect.arrayContaining(spelled.map((a) => a.id)));

      // Added before a territory: it joins when the territory is saved.
      const before = await createAccount(ctx, makeAccountInput({ province: 'Zhejiang', city: 'Hangzhou' }));
      expect(before.territoryId).toBeNull();
      const territory = await createTerritory(ctx, {
        name: '浙江',
        repId: people.rep.id,
        provinces: ['浙江省'],
        cities: [],
        districts: [],
        accountIds: [],
      });
      expect(territory.claimedAccounts).toBe(1);
      const row = await tdb.db.kysely
        .selectFrom('accounts')
        .select('territory_id')
        .where('id', '=', before.id)
        .executeTakeFirstOrThrow();
      expect(row.territory_id).toBe(territory.id);
    });

    it('refuses a second team of the same name, case and full width folded, on create and rename', async () => {
      const first = await createTeam(ctx, { name: '华南组 AB' });
      for (const name of ['华南组 AB', ' 华南组  ab ', '华南组 ＡＢ']) {
        const error = await refusal(() => createTeam(ctx, { name }));
        expect(isAppError(error) && error.code, name).toBe('conflict');
        expect(isAppError(error) && error.details).toMatchObject({
          field: 'name',
          existing: { id: first.id },
        });
      }
      const other = await createTeam(ctx, { name: '华北组' });
      const rename = await refusal(() => updateTeam(ctx, other.id, { name: '华南组 ab', version: 1 }));
      expect(isAppError(rename) && rename.code).toBe('conflict');
      // Renaming a team to another spelling of its own name is no clash.
      expect(await updateTeam(ctx, first.id, { name: '华南组 ab', version: 1 })).toMatchObject({
        name: '华南组 ab',
      });
      const names = (await tdb.db.kysely.selectFrom('teams').select('name').execute()).map((t) => t.name);
      expect(names.filter((n) => n.toLowerCase().startsWith('华南组'))).toHaveLength(1);
    });

    it('takes a person’s capacity up to the limit a plan may try, and no more', async () => {
      const rep = await tdb.db.kysely
        .selectFrom('users')
        .select('version')
        .where('id', '=', people.mate.id)
        .executeTakeFirstOrThrow();
      const saved = await updateUser(ctx, people.mate.id, {
        callsPerDay: 1000,
        visitsPerDay: 100,
        version: rep.version,
      });
      expect(saved).toMatchObject({ callsPerDay: 1000, visitsPerDay: 100 });
      expect(
        await refusal(() => updateUser(ctx, people.mate.id, { callsPerDay: 1001, version: saved.version })),
      ).toBeInstanceOf(ZodError);
    });

    it('refuses an effectiveness period whose start is after its end', async () => {
      const error = await refusal(() => getEffectiveness(ctx, { from: '2026-12-01', to: '2026-11-01' }));
      expect(error).toBeInstanceOf(ZodError);
      expect((error as ZodError).issues[0]?.path).toEqual(['from']);
      expect(await getEffectiveness(ctx, { from: '2026-11-01', to: '2026-11-01' })).toMatchObject({
        rows: [],
      });
    });
  });
}
