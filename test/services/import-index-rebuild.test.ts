import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVendorCsv } from '../../bench/import-data.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { importFile } from '../../src/services/import-prospects.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';

// An import that creates at least 50,000 accounts (here 1,000: $TIERLINE_IMPORT_REBUILD_INDEXES_FROM), and at least
// as many as the table holds, writes them on
// SQLite with the secondary indexes of `accounts` dropped and rebuilt inside the merge transaction. Whatever
// the path, the indexes after the import must be the ones before it, the rows must be found through them, and
// a dry run (rolled back) must leave the schema and the rows as they were. (A SIGKILL during such a merge:
// test/cli/import-cli.test.ts.)

const ROWS = 3_000;

for (const dialect of DIALECTS) {
  describe(`a large import on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let dir: string;
    let file: string;
    let distinct: number;

    const indexes = async (): Promise<string[]> => {
      if (tdb.db.dialect === 'sqlite') {
        const rows = await sql<{ sql: string }>`
          select sql from sqlite_master where type = 'index' and tbl_name = 'accounts' and sql is not null
          order by name`.execute(tdb.db.kysely);
        return rows.rows.map((r) => r.sql);
      }
      const rows = await sql<{ indexdef: string }>`
        select indexdef from pg_indexes where tablename = 'accounts' and schemaname = current_schema()
        order by indexname`.execute(tdb.db.kysely);
      return rows.rows.map((r) => r.indexdef);
    };

    // Where each index's definition sits in sqlite_master: an index dropped and created again moves to the end.
    const indexRowids = async (): Promise<number[]> => {
      if (tdb.db.dialect !== 'sqlite') return [];
      const rows = await sql<{ rowid: number }>`
        select rowid from sqlite_master where type = 'index' and tbl_name = 'accounts' and sql is not null
        order by name`.execute(tdb.db.kysely);
      return rows.rows.map((r) => Number(r.rowid));
    };

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-rebuild-'));
      process.env.TIERLINE_IMPORT_DIR = join(dir, 'imports');
      process.env.TIERLINE_IMPORT_REBUILD_INDEXES_FROM = '1000';
      file = join(dir, 'vendor.csv');
      distinct = (await writeVendorCsv(ROWS, file)).summary.distinct;
    });
    afterAll(async () => {
      delete process.env.TIERLINE_IMPORT_DIR;
      delete process.env.TIERLINE_IMPORT_REBUILD_INDEXES_FROM;
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the accounts indexes through a dry run and a real import, and the rows are found through them', async () => {
      await createAccount(ctx, { name: '已有客户有限公司', province: '广东省', city: '深圳市' });
      const before = await indexes();
      expect(before.length).toBeGreaterThanOrEqual(11);
      const rowidsBefore = await indexRowids();

      const dry = await importFile(ctx, file, { source: { name: 'big list' }, dryRun: true });
      expect(dry.created).toBe(distinct);
      expect(await indexes()).toEqual(before);
      expect(await indexRowids()).toEqual(rowidsBefore); // rolled back with the rest
      const afterDry = await tdb.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(afterDry.n)).toBe(1);

      const report = await importFile(ctx, file, { source: { name: 'big list' } });
      expect(report.created).toBe(distinct);
      expect(await indexes()).toEqual(before);
      if (tdb.db.dialect === 'sqlite') {
        // The import took the rebuild path: every index was created anew, after every one it had before.
        const rowidsAfter = await indexRowids();
        expect(Math.min(...rowidsAfter)).toBeGreaterThan(Math.max(...rowidsBefore));
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(tdb.db.kysely);
        expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
      }
      // Every created account is reachable through the name index and the USCC index.
      const sample = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['id', 'name', 'uscc'])
        .where('uscc', 'is not', null)
        .orderBy('id', 'desc')
        .limit(3)
        .execute();
      for (const account of sample) {
        const byName = await tdb.db.kysely
          .selectFrom('accounts')
          .select('id')
          .where('name', '=', account.name)
          .execute();
        expect(byName.map((a) => a.id)).toContain(account.id);
        const byUscc = await tdb.db.kysely
          .selectFrom('accounts')
          .select('id')
          .where('uscc', '=', account.uscc)
          .execute();
        expect(byUscc.map((a) => a.id)).toEqual([account.id]);
      }
    }, 240_000);
  });
}
