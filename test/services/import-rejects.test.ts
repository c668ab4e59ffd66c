import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { importFile, listImportWarnings, rejectedRowsCsv } from '../../src/services/import-prospects.ts';
import { badUscc } from '../fixtures/vendor-csv.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';

const SP500_EN = '/work/shared/testdata/external/firmographics/sp500-en/constituents.csv';

/** A file with a row that has a field too many, one with too few, and a quote never closed (lines 5-7). */
const BROKEN =
  '企业名称,城市,电话\n' +
  '行一公司,上海市,021-12345678\n' +
  '行二公司,北京市,010-12345678,extra\n' +
  '行三公司\n' +
  '"行四公司,苏州市,1\n' +
  '行五公司,南京市,025-1234567\n';

const csvLines = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');

for (const dialect of DIALECTS) {
  describe(`rejected rows, dry runs, empty files and conflicts on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let dir: string;
    let importDir: string;

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      dir = mkdtempSync(join(tmpdir(), 'tierline-rejects-'));
      importDir = join(dir, 'imports');
      process.env.TIERLINE_IMPORT_DIR = importDir;
    });
    afterAll(async () => {
      delete process.env.TIERLINE_IMPORT_DIR;
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const accountNames = async () =>
      (await tdb.db.kysely.selectFrom('accounts').select('name').orderBy('name').execute()).map(
        (a) => a.name,
      );

    it('writes rows it could not split so that importing the file again unfixed creates nothing', async () => {
      const path = join(dir, 'broken.csv');
      writeFileSync(path, BROKEN);
      const first = await importFile(ctx, path, { source: { name: 'broken' } });
      expect(first).toMatchObject({ rows: 4, created: 1, rejected: 3 });
      const text = readFileSync(first.rejectsFile as string, 'utf8');
      const lines = csvLines(text);
      expect(lines[0]).toBe('企业名称,城市,电话,line,reason,original');
      // The columns stay empty; the row's text is in `original`, whole.
      expect(lines[1]).toBe(',,,3,"row has 4 fields, header has 3","行二公司,北京市,010-12345678,extra"');
      expect(lines[2]).toBe(',,,4,"row has 1 field, header has 3",行三公司');
      // (The reason and the text hold line breaks of their own: the records are split on CRLF.)
      expect(lines).toHaveLength(4);
      expect(lines[3]).toMatch(
        /^,,,5,"a quoted field starting in this record is never closed.* \(the record spans lines 5-7\)","""行四公司,苏州市,1\n行五公司,南京市,025-1234567"""$/,
      );

      // Imported again as it is: every row rejected again, no account made of a broken row.
      const rejects = join(dir, 'broken-rejects.csv');
      writeFileSync(rejects, text);
      const again = await importFile(ctx, rejects, { source: { name: 'broken' } });
      expect(again).toMatchObject({ rows: 3, created: 0, merged: 0, rejected: 3 });
      expect(await accountNames()).toEqual(['行一公司']);
      // …and its own rejected rows keep each row's original text.
      const second = csvLines(readFileSync(again.rejectsFile as string, 'utf8'));
      expect(second[0]).toBe('企业名称,城市,电话,line,reason,original');
      expect(second[1]).toMatch(/^,,,2,".*""original"" column.*","行二公司,北京市,010-12345678,extra"$/);
      expect(second[2]).toMatch(/^,,,3,".*",行三公司$/);

      // Fixed (the values copied into their columns, `original` left as it was): imported like any row.
      const fixed = join(dir, 'broken-fixed.csv');
      writeFileSync(
        fixed,
        `${lines[0]}\r\n行二公司,北京市,010-12345678,3,"row has 4 fields, header has 3","行二公司,北京市,010-12345678,extra"\r\n`,
      );
      const done = await importFile(ctx, fixed, { source: { name: 'broken' } });
      expect(done).toMatchObject({ rows: 1, created: 1, rejected: 0, warnings: 0 });
      const account = await tdb.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('name', '=', '行二公司')
        .executeTakeFirstOrThrow();
      expect(account).toMatchObject({ city: '北京市', phone: '010-12345678', custom_fields: '{}' });
    });

    it('a dry run writes no rejected-rows file unless one is asked for', async () => {
      const path = join(dir, 'broken-dry.csv');
      writeFileSync(path, BROKEN);
      const listed = () => (existsSync(importDir) ? readdirSync(importDir) : []);
      const before = listed();
      const dry = await importFile(ctx, path, { source: { name: 'dry' }, dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, rejected: 3, rejectsFile: null });
      expect(listed()).toEqual(before);
      expect(dry.message).toMatch(/Nothing was changed\.$/);
      // Asked for: written where asked, nowhere else.
      const asked = join(dir, 'asked', 'dry-rejects.csv');
      const withFile = await importFile(
        ctx,
        path,
        { source: { name: 'dry' }, dryRun: true },
        { rejectsFile: asked },
      );
      expect(withFile.rejectsFile).toBe(asked);
      expect(csvLines(readFileSync(asked, 'utf8'))).toHaveLength(4);
      expect(listed()).toEqual(before);
    });

    it('refuses a file with a header and no rows, as it refuses an empty one', async () => {
      for (const [name, text] of [
        ['header-only.csv', '企业名称,城市\n'],
        ['header-blank-lines.csv', '企业名称,城市\r\n\r\n,\r\n'],
      ] as const) {
        const path = join(dir, name);
        writeFileSync(path, text);
        await expect(importFile(ctx, path, { source: { name: 'nothing' } })).rejects.toMatchObject({
          code: 'unprocessable',
          message: 'the file has a header (line 1) but no rows under it: there is nothing to import',
          details: { problem: 'no_data' },
        });
      }
      const jobs = await tdb.db.kysely
        .selectFrom('import_jobs')
        .select(['status', 'file_name'])
        .where('file_name', 'like', 'header-%')
        .execute();
      expect(jobs.map((j) => j.status)).toEqual(['failed', 'failed']);
      expect(
        await tdb.db.kysely.selectFrom('sources').select('id').where('name', '=', 'nothing').execute(),
      ).toEqual([]);
    });

    it('says each rejected value’s column once, in the reader’s language', async () => {
      const path = join(dir, 'bad-code.csv');
      writeFileSync(path, `企业名称,统一社会信用代码\n坏码公司,${badUscc(31)}\n`);
      const report = await importFile(ctx, path, { source: { name: 'codes' } });
      expect(report.rejected).toBe(1);
      const read = async (locale: string) => {
        let text = '';
        for await (const chunk of (await rejectedRowsCsv(ctx, report.jobId, locale)).chunks) text += chunk;
        return csvLines(text)[1] ?? '';
      };
      expect(await read('en')).toMatch(
        /^坏码公司,\w+,2,"统一社会信用代码: check character does not match: expected \w, got \w",$/,
      );
      expect(await read('zh-CN')).toMatch(
        /^坏码公司,\w+,2,统一社会信用代码：校验码不符：应为 \w，实际为 \w,$/,
      );
    });

    it('reports values a matched account kept against the file’s, unless newer source wins', async () => {
      const uscc = makeUscc(32);
      await createAccount(ctx, {
        name: '嘉兴恒泰纺织有限公司',
        uscc,
        city: '嘉兴市',
        annualSales: 30_000_000,
      });
      const path = join(dir, 'conflict.csv');
      writeFileSync(
        path,
        `企业名称,统一社会信用代码,城市,年营业额\n嘉兴恒泰纺织有限公司,${uscc},嘉兴市,9亿\n`,
      );

      const dry = await importFile(ctx, path, { source: { name: '年报' }, dryRun: true });
      expect(dry).toMatchObject({ merged: 1, unchanged: 1, conflicts: 1, warnings: 1 });
      const kept = await importFile(ctx, path, { source: { name: '年报' } });
      expect(kept).toMatchObject({ created: 0, merged: 1, unchanged: 1, conflicts: 1, warnings: 1 });
      expect(kept.message).toBe(
        "Nothing new: the 1 valid row matched an account that already exists and added nothing; no account was created. 1 value in the file differs from the matched account's and was not taken: the account kept its own (see the warnings; newer source wins takes the file's values).",
      );
      for (const jobId of [dry.jobId, kept.jobId]) {
        const warnings = await listImportWarnings(ctx, jobId, { page: 1, pageSize: 10 });
        expect(warnings.items).toEqual([
          {
            line: 2,
            column: '年营业额',
            value: '900000000',
            field: 'annualSales',
            reason:
              'differs from the account\'s value "30000000", which was kept (import with newer source wins to take the file\'s values)',
          },
        ]);
      }
      const zh = await listImportWarnings(ctx, kept.jobId, { page: 1, pageSize: 10 }, 'zh-CN');
      expect(zh.items[0]?.reason).toBe(
        '与客户已有的值“30000000”不同，保留了已有的值（如要采用文件中的值，请开启“以新来源为准”后重新导入）',
      );
      const stored = await tdb.db.kysely
        .selectFrom('accounts')
        .select('annual_sales')
        .where('uscc', '=', uscc)
        .executeTakeFirstOrThrow();
      expect(stored.annual_sales).toBe(30_000_000);

      const wins = await importFile(ctx, path, { source: { name: '年报' }, newerSourceWins: true });
      expect(wins).toMatchObject({ conflicts: 0, warnings: 0 });
      expect(
        (
          await tdb.db.kysely
            .selectFrom('accounts')
            .select('annual_sales')
            .where('uscc', '=', uscc)
            .executeTakeFirstOrThrow()
        ).annual_sales,
      ).toBe(900_000_000);
    });

    it('keeps an amount in another currency as text, and reads 2亿5000万', async () => {
      const path = join(dir, 'currency.csv');
      writeFileSync(
        path,
        '企业名称,城市,注册资本,年营业额,电话\n' +
          '外资甲有限公司,无锡市,50万美元,2亿5000万,13800138000;13900139000\n' +
          '外资乙有限公司,无锡市,100万港元,500万以上,\n',
      );
      const report = await importFile(ctx, path, { source: { name: 'currency' } });
      expect(report).toMatchObject({ created: 2, warnings: 3 });
      const rows = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['name', 'registered_capital', 'annual_sales', 'phone', 'custom_fields'])
        .where('name', 'like', '外资%')
        .orderBy('name')
        .execute();
      expect(rows.map((r) => ({ ...r, custom_fields: JSON.parse(r.custom_fields) }))).toEqual(
        [
          {
            name: '外资乙有限公司',
            registered_capital: null,
            annual_sales: 5_000_000,
            phone: null,
            custom_fields: { 注册资本: '100万港元' },
          },
          {
            name: '外资甲有限公司',
            registered_capital: null,
            annual_sales: 250_000_000,
            phone: '13800138000',
            custom_fields: { 注册资本: '50万美元', 电话: '13800138000;13900139000' },
          },
        ].sort((a, b) => (a.name < b.name ? -1 : 1)),
      );
    });

    it('keeps every Founded value of the S&P 500 list as text', async () => {
      const report = await importFile(ctx, SP500_EN, { source: { name: 'S&P 500' } });
      expect(report).toMatchObject({ rows: 503, created: 503, rejected: 0 });
      const accounts = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['name', 'custom_fields'])
        .where('name', 'in', ['3M', 'AbbVie'])
        .orderBy('name')
        .execute();
      expect(accounts.map((a) => JSON.parse(a.custom_fields).Founded)).toEqual(['1902', '2013 (1888)']);
      const links = await tdb.db.kysely
        .selectFrom('account_sources')
        .innerJoin('accounts', 'accounts.id', 'account_sources.account_id')
        .select('accounts.custom_fields')
        .where('account_sources.import_job_id', '=', report.jobId)
        .execute();
      expect(links).toHaveLength(503);
      expect(links.filter((a) => !JSON.parse(a.custom_fields).Founded)).toEqual([]);
    });
  });
}
