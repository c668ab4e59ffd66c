import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { importFile, listSourceReports } from '../../src/services/import-prospects.ts';
import { newId } from '../../src/storage/ids.ts';
import * as migration from '../../src/storage/migrations/011-source-unknown-costs.ts';
import { VENDOR_HEADER, writeGbkCsv } from '../fixtures/vendor-csv.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';

// A source's cost and cleaning time are what the importer entered: a purchased list imported without its price,
// or any list without its cleaning hours, reports null (the Sources table shows "—"), not 0 yuan or 0 hours; a
// free list's cost is 0 on purpose. Migration 011 turns what the old NOT NULL DEFAULT 0 stored into the same.
for (const dialect of DIALECTS) {
  describe(`a source's unknown cost and cleaning time on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let dir: string;
    let seq = 500;

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      dir = mkdtempSync(join(tmpdir(), 'tierline-source-costs-'));
      process.env.TIERLINE_IMPORT_DIR = join(dir, 'imports');
    });
    afterAll(async () => {
      delete process.env.TIERLINE_IMPORT_DIR;
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    /** A one-company list, imported from the source described. */
    async function importOne(source: Parameters<typeof importFile>[2]['source']) {
      seq += 1;
      const path = join(dir, `list-${seq}.csv`);
      const row = [`温州测试${seq}阀门有限公司`, makeUscc(seq), '浙江省', '温州市'];
      writeGbkCsv(path, [VENDOR_HEADER, [...row, ...VENDOR_HEADER.slice(row.length).map(() => '')]]);
      const report = await importFile(ctx, path, { source });
      expect(report.created).toBe(1);
    }
    const reportOf = async (name: string) => (await listSourceReports(ctx)).find((r) => r.name === name);

    it('reports a purchased list without its price, and any list without its hours, as unknown', async () => {
      await importOne({ name: '未填价格的名单', kind: 'purchased' });
      expect(await reportOf('未填价格的名单')).toMatchObject({
        kind: 'purchased',
        cost: null,
        cleaningHours: null,
        accounts: 1,
        costPerInMarketAccount: null,
        hoursPerInMarketAccount: null,
      });
      await importOne({ name: '商会名录', kind: 'free' });
      // A free list costs nothing: its 0 yuan is known; its cleaning time is not.
      expect(await reportOf('商会名录')).toMatchObject({
        kind: 'free' as const,
        cost: 0,
        cleaningHours: null,
      });
    });

    it('keeps what is entered later, and a real 0 as 0', async () => {
      await importOne({ name: '未填价格的名单', kind: 'purchased', cost: 900, cleaningHours: 0 });
      expect(await reportOf('未填价格的名单')).toMatchObject({ cost: 900, cleaningHours: 0, accounts: 2 });
      // Another list from it, nothing entered this time: what was entered stays.
      await importOne({ name: '未填价格的名单', kind: 'purchased' });
      expect(await reportOf('未填价格的名单')).toMatchObject({ cost: 900, cleaningHours: 0, accounts: 3 });
    });

    it('migrates the zeros the old default stored to unknown, keeping a free list at 0 and every link', async () => {
      const db = tdb.db.kysely;
      await migration.down(db);
      const at = fixedClock().toISOString();
      const ids = { bought: newId(), free: newId(), priced: newId() };
      await db
        .insertInto('sources')
        .values(
          [
            { id: ids.bought, name: 'old bought', kind: 'purchased' as const, cost: 0, cleaning_hours: 0 },
            { id: ids.free, name: 'old free', kind: 'free' as const, cost: 0, cleaning_hours: 0 },
            { id: ids.priced, name: 'old priced', kind: 'purchased' as const, cost: 4800, cleaning_hours: 3 },
          ].map((s) => ({ ...s, acquired_on: null, mapping: null, created_at: at, updated_at: at })),
        )
        .execute();
      const account = await db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
      await db
        .insertInto('account_sources')
        .values(Object.values(ids).map((id) => ({ account_id: account.id, source_id: id, created_at: at })))
        .execute();
      const links = await db.selectFrom('account_sources').select(['account_id', 'source_id']).execute();
      const jobs = await db.selectFrom('import_jobs').select(['id', 'source_id']).orderBy('id').execute();

      await migration.up(db);
      const rows = await db
        .selectFrom('sources')
        .select(['name', 'cost', 'cleaning_hours'])
        .where('name', 'like', 'old %')
        .orderBy('name')
        .execute();
      expect(rows).toEqual([
        { name: 'old bought', cost: null, cleaning_hours: null },
        { name: 'old free', cost: 0, cleaning_hours: null },
        { name: 'old priced', cost: 4800, cleaning_hours: 3 },
      ]);
      // Rebuilding the table (SQLite) removed no account's source and no import's.
      expect(await db.selectFrom('account_sources').select(['account_id', 'source_id']).execute()).toEqual(
        expect.arrayContaining(links),
      );
      expect(await db.selectFrom('import_jobs').select(['id', 'source_id']).orderBy('id').execute()).toEqual(
        jobs,
      );
      // And the columns take null from now on, a source's name staying unique.
      await importOne({ name: '迁移后的名单', kind: 'purchased' });
      expect(await reportOf('迁移后的名单')).toMatchObject({ cost: null, cleaningHours: null });
      await expect(
        db
          .insertInto('sources')
          .values({
            id: newId(),
            name: 'old free',
            kind: 'free',
            cost: null,
            cleaning_hours: null,
            created_at: at,
            updated_at: at,
          })
          .execute(),
      ).rejects.toThrow();
    });
  });
}
