import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignAccounts } from '../../src/services/account-assignment.ts';
import {
  assertCanSeeAccount,
  createAccount,
  findAccounts,
  getAccount,
  getAccountFacets,
  updateAccount,
} from '../../src/services/accounts.ts';
import { listAudit } from '../../src/services/audit.ts';
import {
  ANONYMOUS_ACTOR,
  makeContext,
  type ServiceContext,
  SYSTEM_ACTOR,
} from '../../src/services/context.ts';
import { createTerritory, listTerritories, updateTerritory } from '../../src/services/territories.ts';
import { createUser, disableUser, getUser, listUsers, updateUser } from '../../src/services/users.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';

for (const dialect of DIALECTS) {
  describe(`account scope and people rules on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let system: ServiceContext;
    const as = (user: SeededUser): ServiceContext =>
      makeContext(tdb.db, { userId: user.id, role: user.role, teamId: user.teamId }, fixedClock);
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      system = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      const add = async (key: string, input: Parameters<typeof makeAccountInput>[0]) => {
        ids[key] = (await createAccount(system, makeAccountInput(input))).id;
      };
      await add('repOwnsInGd', { province: '广东省', ownerId: people.rep.id });
      await add('unownedInGd', { province: '广东省' });
      await add('mateOwnsInBj', { province: '北京市', ownerId: people.mate.id });
      await add('otherOwnsInJs', { province: '江苏省', ownerId: people.otherRep.id });
      await add('unownedInJs', { province: '江苏省' });
      await add('nobodys', { province: '西藏自治区' });
      await add('listed', { province: '西藏自治区', name: '明确列出的客户有限公司' });
      await tdb.db.kysely
        .insertInto('territory_accounts')
        .values({ territory_id: people.territoryA, account_id: ids.listed as string })
        .execute();
    });
    afterAll(async () => {
      await tdb.cleanup();
    });

    const visible = async (ctx: ServiceContext) =>
      new Set((await findAccounts(ctx, { pageSize: 500 })).items.map((a) => a.id));
    const keysOf = (set: Set<string>) =>
      Object.entries(ids)
        .filter(([, id]) => set.has(id))
        .map(([k]) => k)
        .sort();

    it('puts new accounts into the territory their place lies in', async () => {
      const gd = await getAccount(system, ids.unownedInGd as string);
      expect(gd.territoryId).toBe(people.territoryA);
      const js = await getAccount(system, ids.unownedInJs as string);
      expect(js.territoryId).toBe(people.territoryB);
      expect((await getAccount(system, ids.nobodys as string)).territoryId).toBeNull();
    });

    it('lets a rep see what they own or what lies in their territory (by place or explicit list)', async () => {
      expect(keysOf(await visible(as(people.rep)))).toEqual(['listed', 'repOwnsInGd', 'unownedInGd']);
      expect(keysOf(await visible(as(people.otherRep)))).toEqual(['otherOwnsInJs', 'unownedInJs']);
      // A rep with no territory sees only their own accounts.
      expect(keysOf(await visible(as(people.mate)))).toEqual(['mateOwnsInBj']);
    });

    it('lets a manager see their whole team, and an admin everything', async () => {
      expect(keysOf(await visible(as(people.manager)))).toEqual([
        'listed',
        'mateOwnsInBj',
        'repOwnsInGd',
        'unownedInGd',
      ]);
      expect(keysOf(await visible(as(people.otherManager)))).toEqual(['otherOwnsInJs', 'unownedInJs']);
      expect(keysOf(await visible(as(people.admin)))).toHaveLength(Object.keys(ids).length);
      expect(keysOf(await visible(makeContext(tdb.db, ANONYMOUS_ACTOR, fixedClock)))).toEqual([]);
    });

    it('scopes facets, single records and updates: another team’s account is 404, not 403', async () => {
      const facets = await getAccountFacets(as(people.otherRep));
      expect(facets.provinces.map((p) => p.value)).toEqual(['江苏省']);
      await expect(getAccount(as(people.otherRep), ids.repOwnsInGd as string)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(
        assertCanSeeAccount(as(people.manager), ids.otherOwnsInJs as string),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(
        updateAccount(as(people.otherRep), ids.repOwnsInGd as string, { version: 1, phone: '020-12345678' }),
      ).rejects.toMatchObject({ code: 'not_found' });
      const updated = await updateAccount(as(people.rep), ids.unownedInGd as string, {
        version: 1,
        phone: '020-12345679',
      });
      expect(updated.phone).toBe('020-12345679');
    });

    it('keeps hand-overs and territory moves for managers', async () => {
      const account = await getAccount(system, ids.repOwnsInGd as string);
      await expect(
        updateAccount(as(people.rep), account.id, { version: account.version, ownerId: people.mate.id }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        updateAccount(as(people.rep), account.id, { version: account.version, territoryId: null }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        updateAccount(as(people.manager), account.id, {
          version: account.version,
          ownerId: people.otherRep.id,
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const moved = await updateAccount(as(people.manager), account.id, {
        version: account.version,
        ownerId: people.mate.id,
      });
      expect(moved.ownerId).toBe(people.mate.id);
      await updateAccount(system, account.id, { version: moved.version, ownerId: people.rep.id });
    });

    it('makes a rep’s or manager’s new account theirs, and refuses one made for someone else', async () => {
      const own = await createAccount(as(people.rep), makeAccountInput({ province: '海南省' }));
      expect(own.ownerId).toBe(people.rep.id);
      await expect(
        createAccount(as(people.rep), makeAccountInput({ ownerId: people.mate.id })),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const managers = await createAccount(as(people.manager), makeAccountInput({ province: '海南省' }));
      expect(managers.ownerId).toBe(people.manager.id);
      expect((await visible(as(people.manager))).has(managers.id)).toBe(true);
      const admins = await createAccount(as(people.admin), makeAccountInput({ province: '海南省' }));
      expect(admins.ownerId).toBeNull();
    });

    it('hands a leaving rep’s accounts and planned touches to another rep, with audit entries', async () => {
      const leaving = await createUser(system, {
        email: `leaving-${newId()}@test.local`,
        name: 'Leaving rep',
        role: 'rep',
        teamId: people.teamA,
      });
      const accounts = await Promise.all(
        [1, 2, 3].map(() =>
          createAccount(system, makeAccountInput({ province: '海南省', ownerId: leaving.id })),
        ),
      );
      const at = FIXED_NOW.toISOString();
      const touches = accounts.map((a, i) => ({
        id: newId(),
        account_id: a.id,
        rep_id: leaving.id,
        plan_id: null,
        channel: 'call' as const,
        due_on: `2026-12-0${i + 1}`,
        due_time: null,
        status: i === 2 ? ('done' as const) : ('planned' as const),
        activity_id: null,
        created_at: at,
        updated_at: at,
      }));
      await tdb.db.kysely.insertInto('planned_touches').values(touches).execute();

      await expect(
        assignAccounts(as(people.rep), { fromUserId: leaving.id, toUserId: people.mate.id }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        assignAccounts(as(people.otherManager), { fromUserId: leaving.id, toUserId: people.otherRep.id }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        assignAccounts(as(people.manager), { fromUserId: leaving.id, toUserId: people.otherRep.id }),
      ).rejects.toMatchObject({ code: 'forbidden' });

      await disableUser(as(people.manager), leaving.id);
      const result = await assignAccounts(as(people.manager), {
        fromUserId: leaving.id,
        toUserId: people.mate.id,
      });
      expect(result).toEqual({ accounts: 3, plannedTouches: 2 });
      const owners = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['owner_id', 'version'])
        .where(
          'id',
          'in',
          accounts.map((a) => a.id),
        )
        .execute();
      expect(owners.every((o) => o.owner_id === people.mate.id && o.version === 2)).toBe(true);
      const moved = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select(['rep_id', 'status'])
        .where(
          'id',
          'in',
          touches.map((t) => t.id),
        )
        .execute();
      expect(moved.filter((t) => t.rep_id === people.mate.id)).toHaveLength(2);
      expect(moved.find((t) => t.status === 'done')?.rep_id).toBe(leaving.id);

      const audit = await listAudit(as(people.manager), { entity: 'account', action: 'assign' });
      expect(audit.items.filter((e) => accounts.some((a) => a.id === e.entityId))).toHaveLength(3);
      expect(audit.items[0]?.before).toMatchObject({ ownerId: leaving.id });
      expect(audit.items[0]?.after).toMatchObject({ ownerId: people.mate.id });
      expect(audit.items[0]?.userName).toBe(people.manager.name);

      await expect(
        assignAccounts(as(people.manager), {
          accountIds: [ids.otherOwnsInJs as string],
          toUserId: people.mate.id,
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lets territories claim unassigned accounts of their places, never another team’s', async () => {
      const stray = await createAccount(system, makeAccountInput({ province: '湖南省', city: '长沙市' }));
      const othersStray = await createAccount(
        system,
        makeAccountInput({ province: '湖南省', city: '长沙市', ownerId: people.otherRep.id }),
      );
      const districtOnly = await createAccount(
        system,
        makeAccountInput({ province: '江苏省', city: '南京市', district: '鼓楼区', territoryId: null }),
      );
      const created = await createTerritory(as(people.manager), {
        name: '湖南',
        repId: people.mate.id,
        cities: ['长沙市'],
        districts: ['福州市/鼓楼区'],
      });
      expect(created.claimedAccounts).toBe(1);
      expect((await getAccount(system, stray.id)).territoryId).toBe(created.id);
      expect((await getAccount(system, othersStray.id)).territoryId).toBeNull();
      expect((await getAccount(system, districtOnly.id)).territoryId).toBeNull();
      const widened = await updateTerritory(as(people.manager), created.id, {
        districts: ['南京市/鼓楼区'],
        version: created.version,
      });
      expect(widened.claimedAccounts).toBe(1);
      expect((await visible(as(people.mate))).has(districtOnly.id)).toBe(true);

      await expect(
        createTerritory(as(people.manager), { name: 'x', repId: people.otherRep.id, provinces: ['青海省'] }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        updateTerritory(as(people.otherManager), created.id, { name: 'mine now', version: widened.version }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        createTerritory(as(people.rep), { name: 'x', repId: people.rep.id, provinces: ['青海省'] }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const repView = await listTerritories(as(people.rep));
      expect(repView.map((t) => t.id)).toEqual([people.territoryA]);
      expect(repView[0]?.accountIds).toEqual([ids.listed]);
    });

    it('lets managers manage their reps only, and keeps the last admin', async () => {
      await expect(
        createUser(as(people.manager), {
          email: `m-${newId()}@test.local`,
          name: 'New manager',
          role: 'manager',
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const rep = await createUser(as(people.manager), {
        email: `r-${newId()}@test.local`,
        name: 'New rep',
        role: 'rep',
      });
      expect(rep.teamId).toBe(people.teamA);
      await expect(
        createUser(as(people.manager), {
          email: `r2-${newId()}@test.local`,
          name: 'x',
          role: 'rep',
          teamId: people.teamB,
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        createUser(system, { email: rep.email.toUpperCase(), name: 'Dup', role: 'rep' }),
      ).rejects.toMatchObject({ code: 'conflict' });
      await expect(disableUser(as(people.otherManager), rep.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(disableUser(as(people.manager), people.otherManager.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(updateUser(as(people.manager), rep.id, { role: 'manager' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(
        updateUser(as(people.manager), rep.id, { password: 'a new long password' }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      expect((await updateUser(as(people.rep), people.rep.id, { locale: 'zh-CN' })).locale).toBe('zh-CN');
      await expect(updateUser(as(people.rep), people.rep.id, { callsPerDay: 80 })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(disableUser(as(people.admin), people.admin.id)).rejects.toMatchObject({
        code: 'unprocessable',
      });
      const admin = await getUser(system, people.admin.id);
      await expect(
        updateUser(as(people.admin), people.admin.id, { role: 'manager', version: admin.version }),
      ).rejects.toMatchObject({ code: 'conflict' });

      const repSees = (await listUsers(as(people.rep))).map((u) => u.id);
      expect(repSees).toEqual(expect.arrayContaining([people.rep.id, people.mate.id, people.manager.id]));
      expect(repSees).not.toContain(people.otherRep.id);
      expect(repSees).not.toContain(people.admin.id);
      const listed = JSON.stringify(await listUsers(system));
      expect(listed).not.toMatch(/scrypt|password_hash|passwordHash/);
    });

    it('filters and pages the audit log, and keeps other teams’ changes from a manager', async () => {
      const all = await listAudit(system, { pageSize: 500 });
      expect(all.total).toBeGreaterThan(10);
      const page1 = await listAudit(system, { pageSize: 5, page: 1 });
      const page2 = await listAudit(system, { pageSize: 5, page: 2 });
      expect(page1.items).toHaveLength(5);
      expect(page2.items[0]?.id).not.toBe(page1.items[0]?.id);
      const one = await listAudit(system, { entity: 'account', entityId: ids.repOwnsInGd });
      expect(one.items.every((e) => e.entityId === ids.repOwnsInGd)).toBe(true);
      expect(one.items.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'update']));
      const byManager = await listAudit(system, { userId: people.manager.id });
      expect(byManager.items.every((e) => e.userId === people.manager.id)).toBe(true);
      expect((await listAudit(system, { from: '2026-11-27', to: '2026-11-27' })).total).toBe(all.total);
      expect((await listAudit(system, { from: '2026-11-28' })).total).toBe(0);
      expect((await listAudit(system, { to: '2026-11-27T02:00:00Z' })).total).toBe(0);

      const otherView = await listAudit(as(people.otherManager), { pageSize: 500 });
      expect(otherView.items.some((e) => e.entityId === ids.repOwnsInGd)).toBe(false);
      expect(otherView.items.some((e) => e.entityId === ids.otherOwnsInJs)).toBe(true);
      await expect(listAudit(as(people.rep), {})).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
}
