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

// PostgreSQL, the first import into a workspace (accounts empty): the merge locks accounts, contacts and
// account_sources, drops the secondary indexes of accounts and the foreign keys to it from contacts and
// account_sources, and adds them again before the commit. The definitions must come back exactly, a dry run must
// leave the very same objects (rolled back), and when another session holds accounts the import must not wait for
// it but go row by row.
for (const dialect of DIALECTS.filter((d) => d.name === 'postgres')) {
  describe(`the first large import on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let dir: string;
    let file: string;
    let distinct: number;

    interface SchemaObject {
      oid: number;
      name: string;
      definition: string;
    }
    // The secondary indexes of accounts and the foreign keys of contacts and account_sources, by name.
    const objects = async (): Promise<SchemaObject[]> => {
      const rows = await sql<SchemaObject>`
        select i.indexrelid::int as oid, c.relname as name, pg_get_indexdef(i.indexrelid) as definition
        from pg_index i join pg_class c on c.oid = i.indexrelid
        where i.indrelid = 'accounts'::regclass
        union all
        select k.oid::int, k.conname, k.conrelid::regclass::text || ' ' || pg_get_constraintdef(k.oid)
        from pg_constraint k
        where k.contype = 'f' and k.confrelid = 'accounts'::regclass
          and k.conrelid in ('contacts'::regclass, 'account_sources'::regclass)
        order by 2`.execute(tdb.db.kysely);
      return rows.rows.map((r) => ({ ...r, oid: Number(r.oid) }));
    };
    const count = async (table: 'accounts' | 'contacts' | 'account_sources'): Promise<number> =>
      Number(
        (
          await tdb.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-first-'));
      process.env.TIERLINE_IMPORT_DIR = join(dir, 'imports');
      process.env.TIERLINE_IMPORT_REBUILD_INDEXES_FROM = '1000';
      file = join(dir, 'vendor.csv');
      distinct = (await writeVendorCsv(ROWS, file)).summary.distinct;
    });
    afterAll(async () => {
      delete process.env.TIERLINE_IMPORT_DIR;
      delete process.env.TIERLINE_IMPORT_REBUILD_INDEXES_FROM;
      delete process.env.TIERLINE_IMPORT_LOCK_TIMEOUT_MS;
      rmSync(dir, { recursive: true, force: true });
    });

    it('rebuilds the indexes and foreign keys of an empty accounts table, the same definitions, and a dry run leaves them as they were', async () => {
      tdb = await dialect.open();
      try {
        ctx = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
        const before = await objects();
        expect(before.filter((o) => o.name.endsWith('_fkey'))).toHaveLength(2);
        expect(before.length).toBeGreaterThanOrEqual(14);

        const dry = await importFile(ctx, file, { source: { name: 'first list' }, dryRun: true });
        expect(dry.created).toBe(distinct);
        expect(await objects()).toEqual(before); // the same objects: the drop was rolled back
        expect(await count('accounts')).toBe(0);

        const report = await importFile(ctx, file, { source: { name: 'first list' } });
        expect(report.created).toBe(distinct);
        const after = await objects();
        const withoutOid = (list: SchemaObject[]) =>
          list.map(({ name, definition }) => ({ name, definition }));
        expect(withoutOid(after)).toEqual(withoutOid(before));
        // The rebuild path was taken: every secondary index and both foreign keys are new objects.
        const primary = before.find((o) => o.name === 'accounts_pkey');
        for (const object of after) {
          if (object.name === 'accounts_pkey') expect(object.oid).toBe(primary?.oid);
          else expect(object.oid).not.toBe(before.find((o) => o.name === object.name)?.oid);
        }
        expect(await count('accounts')).toBe(distinct);
        expect(await count('account_sources')).toBe(distinct);
        expect(await count('contacts')).toBeGreaterThan(0);

        // The indexes find the rows, and the foreign keys are enforced again.
        const sample = await tdb.db.kysely
          .selectFrom('accounts')
          .select(['id', 'name', 'uscc'])
          .where('uscc', 'is not', null)
          .orderBy('id', 'desc')
          .limit(3)
          .execute();
        for (const account of sample) {
          const byUscc = await tdb.db.kysely
            .selectFrom('accounts')
            .select('id')
            .where('uscc', '=', account.uscc)
            .execute();
          expect(byUscc.map((a) => a.id)).toEqual([account.id]);
        }
        await expect(
          sql`insert into contacts (id, account_id, name, created_at, updated_at)
              values ('c-orphan', 'no-such-account', 'x', 't', 't')`.execute(tdb.db.kysely),
        ).rejects.toThrow(/foreign key/);
      } finally {
        await tdb.cleanup();
      }
    }, 240_000);

    it('goes row by row, without waiting, when another session holds accounts', async () => {
      tdb = await dialect.open();
      process.env.TIERLINE_IMPORT_LOCK_TIMEOUT_MS = '200';
      const pool = tdb.db.pool;
      if (!pool) throw new Error('PostgreSQL without a pool');
      const reader = await pool.connect();
      try {
        ctx = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
        const before = await objects();
        await reader.query('begin');
        await reader.query('lock table accounts in access share mode');
        const report = await importFile(ctx, file, { source: { name: 'first list' } });
        expect(report.created).toBe(distinct);
        await reader.query('commit');
        expect(await objects()).toEqual(before); // nothing dropped: the same objects
        expect(await count('accounts')).toBe(distinct);
      } finally {
        await reader.query('rollback').catch(() => {});
        reader.release();
        delete process.env.TIERLINE_IMPORT_LOCK_TIMEOUT_MS;
        await tdb.cleanup();
      }
    }, 240_000);
  });
}
