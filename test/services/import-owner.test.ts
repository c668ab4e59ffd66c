import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { bulkAssign } from '../../src/services/account-bulk.ts';
import { createAccount, findAccounts } from '../../src/services/accounts.ts';
import { type Actor, makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { importFile } from '../../src/services/import-prospects.ts';
import { csvText, VENDOR_HEADER, vendorRow } from '../fixtures/vendor-csv.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';

// Who owns, and so who sees, the accounts an import creates (services/import-prospects.ts resolveImportOwner).
// The audit's case: a manager imported the S&P 500 list (no province, so outside every territory), "508 created",
// and saw none of them, as they were left without an owner and only an admin could see them. Now the importer
// always sees what they imported: a rep's and a manager's new accounts are theirs unless the manager gives them to
// someone of the team; only an admin (or the local CLI) leaves them without an owner, and the Accounts list's
// `unassigned` filter finds those, for a manager only inside the team's territories. Every check goes through the
// services' own scope (findAccounts), as the API and the web app do.

const SP500_ZH = '/work/shared/testdata/external/firmographics/sp500-zh/constituents.csv';

for (const dialect of DIALECTS) {
  describe(`owners of imported accounts on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let dir: string;
    let seq = 0;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-owner-'));
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
    });
    beforeEach(async () => {
      for (const table of ['account_sources', 'contacts', 'accounts', 'sources', 'import_jobs'] as const)
        await tdb.db.kysely.deleteFrom(table).execute();
    });
    afterAll(async () => {
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const as = (user: SeededUser): ServiceContext =>
      makeContext(
        tdb.db,
        { userId: user.id, role: user.role, teamId: user.teamId } satisfies Actor,
        fixedClock,
      );
    const system = () => makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);

    /** A list of two new companies: one in 广东省 (territory A, the rep's), one with no place (in no territory). */
    const twoCompanies = (): string => {
      seq += 1;
      const path = join(dir, `list-${seq}.csv`);
      writeFileSync(
        path,
        csvText([
          VENDOR_HEADER,
          vendorRow(`广州第${seq}电子有限公司`, makeUscc(7000 + seq * 2), '广东省', '广州市'),
          vendorRow(`无地址第${seq}贸易有限公司`, makeUscc(7001 + seq * 2), '', ''),
        ]),
      );
      return path;
    };

    /** How many accounts of `sourceId` `user` sees (their scope), with extra list filters. */
    const seen = async (user: SeededUser, filters: Record<string, unknown> = {}) =>
      (await findAccounts(as(user), { pageSize: 500, ...filters })).total;

    it("gives a manager's import to the manager, who sees all of it; other teams see none (the S&P 500 list)", async () => {
      const report = await importFile(as(people.manager), SP500_ZH, { source: { name: 'S&P 500' } });
      expect(report.created).toBeGreaterThan(500);
      expect(report.owner).toEqual({ id: people.manager.id, name: people.manager.name });
      const source = { sourceId: report.sourceId as string };
      expect(await seen(people.manager, source)).toBe(report.created);
      expect(await seen(people.manager, { ...source, ownerId: people.manager.id })).toBe(report.created);
      // No province: in no territory, so only the owner's scope holds them. Nobody else's.
      for (const other of [people.otherManager, people.otherRep, people.rep, people.mate])
        expect(await seen(other, source), other.name).toBe(0);
      expect(await seen(people.admin, { ...source, unassigned: true })).toBe(0);
    });

    it('gives them to the rep of the team a manager names: the rep and the manager see them, other teams do not', async () => {
      const report = await importFile(as(people.manager), twoCompanies(), {
        source: { name: 'for the mate' },
        ownerId: people.mate.id,
      });
      expect(report).toMatchObject({ created: 2, owner: { id: people.mate.id, name: people.mate.name } });
      const source = { sourceId: report.sourceId as string };
      expect(await seen(people.mate, source)).toBe(2);
      expect(await seen(people.manager, source)).toBe(2);
      expect(await seen(people.otherManager, source)).toBe(0);
      expect(await seen(people.otherRep, source)).toBe(0);
    });

    it('refuses a manager leaving them without owner or giving them to another team, and a rep naming someone else', async () => {
      const refused = [
        [people.manager, null, /only an admin can leave them without an owner/],
        [people.manager, people.otherRep.id, /is not in your team/],
        [people.rep, people.mate.id, /a rep's import gives the accounts it creates to the rep/],
        [people.rep, null, /a rep's import gives the accounts it creates to the rep/],
      ] as const;
      for (const [user, ownerId, message] of refused) {
        await expect(
          importFile(as(user), twoCompanies(), { source: { name: 'refused' }, ownerId }),
        ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(message) });
      }
      // Refused before anything ran: no job, no account.
      expect(await tdb.db.kysely.selectFrom('import_jobs').select('id').execute()).toEqual([]);
      expect(await seen(people.admin)).toBe(0);
      // A rep naming themselves is their default.
      const own = await importFile(as(people.rep), twoCompanies(), {
        source: { name: 'mine' },
        ownerId: people.rep.id,
      });
      expect(own.owner?.id).toBe(people.rep.id);
      expect(await seen(people.rep, { sourceId: own.sourceId as string })).toBe(2);
    });

    it("leaves an admin's import without owner; Unassigned finds them, for a manager inside the team's territories only", async () => {
      // An account the rep owns in territory A: owned, so never "unassigned".
      await createAccount(as(people.rep), {
        name: '广州自有客户有限公司',
        province: '广东省',
        city: '广州市',
      });
      const report = await importFile(as(people.admin), twoCompanies(), { source: { name: 'admin list' } });
      expect(report).toMatchObject({ created: 2, owner: null });

      const unassigned = { unassigned: true };
      expect(await seen(people.admin, unassigned)).toBe(2);
      expect(await seen(people.admin, { unassigned: false })).toBe(1);
      // Territory A (广东省) is the rep's: its unowned account is in sight of the rep and the team's manager.
      const inTerritory = await findAccounts(as(people.manager), { ...unassigned, pageSize: 10 });
      expect(inTerritory.items.map((a) => [a.province, a.ownerId])).toEqual([['广东省', null]]);
      expect(await seen(people.rep, unassigned)).toBe(1);
      for (const other of [people.otherManager, people.otherRep, people.mate])
        expect(await seen(other, unassigned), other.name).toBe(0);

      // The manager hands it to the mate by the same filter (the Accounts page's bulk assign).
      const result = await bulkAssign(as(people.manager), {
        filter: unassigned,
        expectedCount: 1,
        toUserId: people.mate.id,
      });
      expect(result).toMatchObject({ matched: 1, changed: 1 });
      expect(await seen(people.manager, unassigned)).toBe(0);
      expect(await seen(people.mate, { sourceId: report.sourceId as string })).toBe(1);
      // The one outside every territory is still the admin's to give.
      expect(await seen(people.admin, unassigned)).toBe(1);
    });

    it('lets an admin and the local CLI give the new accounts to anyone', async () => {
      const byAdmin = await importFile(as(people.admin), twoCompanies(), {
        source: { name: 'for the other rep' },
        ownerId: people.otherRep.id,
      });
      expect(byAdmin.owner?.id).toBe(people.otherRep.id);
      expect(await seen(people.otherRep, { sourceId: byAdmin.sourceId as string })).toBe(2);
      expect(await seen(people.rep, { sourceId: byAdmin.sourceId as string })).toBe(1);

      const byCli = await importFile(system(), twoCompanies(), { source: { name: 'cli default' } });
      expect(byCli.owner).toBeNull();
      expect(await seen(people.admin, { sourceId: byCli.sourceId as string, unassigned: true })).toBe(2);
    });
  });
}
