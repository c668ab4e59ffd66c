import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import type { PipelineEvent } from '../../src/services/import-pipeline.ts';
import { importFile, listSourceReports } from '../../src/services/import-prospects.ts';
import { saveMarket } from '../../src/services/market.ts';
import { badUscc, VENDOR_HEADER, writeGbkCsv } from '../fixtures/vendor-csv.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { seedPeople } from '../helpers/session.ts';

const EXCEL_DIR = '/work/shared/testdata/external/excel';
const SP500_ZH = '/work/shared/testdata/external/firmographics/sp500-zh/constituents.csv';

const HUAXIN = makeUscc(101);
const MINGXING = makeUscc(102);
const EXISTING = makeUscc(103);
const BIG = makeUscc(104);

/** A GBK vendor list: 万/亿 money, employee ranges, a bad USCC, a row without a name, repeats. */
function vendorRows(existingSales = '8000万'): string[][] {
  return [
    VENDOR_HEADER,
    [
      '深圳市华信电子科技有限公司',
      HUAXIN,
      '广东省',
      '深圳市',
      '南山区',
      '100-499人',
      '3500万',
      '500',
      '1.2亿',
      '+86 138-0013-8000',
      'Sales@HuaXin.com.cn',
      'https://www.huaxin.com.cn/about',
      '张伟',
      '2015年3月2日',
      '老客户推荐',
    ],
    [
      '苏州明星精密机械有限公司',
      MINGXING,
      '江苏省',
      '苏州市',
      '工业园区',
      '少于50人',
      '1,200万元',
      '1000',
      '面议',
      '0512-62345678',
      'not-an-email',
      'www.mingxing.cn',
      '李娜',
      '2020-01-05',
      '',
    ],
    ['', makeUscc(105), '浙江省', '杭州市', '西湖区', '50-99人', '900万', '100', '', '', '', '', '', '', ''],
    [
      '杭州坏码科技有限公司',
      badUscc(106),
      '浙江省',
      '杭州市',
      '滨江区',
      '50-99人',
      '900万',
      '100',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ],
    [
      '深圳市华信电子科技股份有限公司',
      '',
      '广东省',
      '深圳市',
      '南山区',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '王芳',
      '',
      '展会名单',
    ],
    [
      '广州天河贸易有限公司',
      EXISTING,
      '广东省',
      '广州市',
      '天河区',
      '500-999人',
      existingSales,
      '2000',
      '',
      '020-88889999',
      '',
      '',
      '',
      '',
      '',
    ],
    [
      '北京大成集团有限公司',
      BIG,
      '北京市',
      '北京市',
      '海淀区',
      '10000人以上',
      '2亿',
      '10000',
      '3亿',
      '400-810-8888',
      '',
      'dacheng.com',
      '',
      '2001-09-09',
      '',
    ],
  ];
}

for (const dialect of DIALECTS) {
  describe(`importing prospect lists on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let ctx: ServiceContext;
    let dir: string;

    beforeAll(async () => {
      tdb = await dialect.open();
      ctx = makeContext(tdb.db, SYSTEM_ACTOR, fixedClock);
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-'));
      // Rejected-rows files go under the test's folder, not ./data/imports.
      process.env.TIERLINE_IMPORT_DIR = join(dir, 'imports');
    });
    afterAll(async () => {
      delete process.env.TIERLINE_IMPORT_DIR;
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const accountByUscc = (uscc: string) =>
      tdb.db.kysely.selectFrom('accounts').selectAll().where('uscc', '=', uscc).executeTakeFirstOrThrow();

    it('imports a GBK vendor list: values, validation, de-duplication, contacts, sources, rejected rows', async () => {
      const existing = await createAccount(ctx, {
        name: '广州天河贸易有限公司',
        uscc: EXISTING,
        province: '广东省',
        city: '广州市',
        annualSales: 5_000_000,
      });
      const path = join(dir, 'vendor.csv');
      writeGbkCsv(path, vendorRows());
      const report = await importFile(
        ctx,
        path,
        { source: { name: '企查查 2026Q3', kind: 'purchased', cost: 4800 } },
        { rejectsDir: dir },
      );

      expect(report.detected.encoding).toBe('gb18030');
      // Two of the warnings are values the matched accounts kept against the file's (conflicts): 天河's sales
      // (5,000,000 stored, 8000万 in the file) and 华信's 备注 (its repeat on line 6 says 展会名单).
      expect(report).toMatchObject({
        rows: 7,
        created: 3,
        merged: 2,
        rejected: 2,
        warnings: 4,
        conflicts: 2,
        dryRun: false,
      });
      expect(report.sourceId).toBeTruthy();

      const huaxin = await accountByUscc(HUAXIN);
      expect(huaxin).toMatchObject({
        name: '深圳市华信电子科技有限公司',
        normalized_name: '深圳市华信电子科技',
        annual_sales: 35_000_000,
        registered_capital: 5_000_000,
        net_assets: 120_000_000,
        employees_min: 100,
        employees_max: 499,
        phone: '13800138000',
        email: 'sales@huaxin.com.cn',
        website_domain: 'huaxin.com.cn',
        province: '广东省',
        city: '深圳市',
        district: '南山区',
      });
      // The repeat (股份有限公司, no USCC) merged in: its 备注 did not replace the first, its contact was added.
      expect(JSON.parse(huaxin.custom_fields)).toEqual({ 成立日期: '2015-03-02', 备注: '老客户推荐' });
      const contacts = await tdb.db.kysely
        .selectFrom('contacts')
        .select('name')
        .where('account_id', '=', huaxin.id)
        .orderBy('name')
        .execute();
      expect(contacts.map((c) => c.name).sort()).toEqual(['张伟', '王芳'].sort());

      const mingxing = await accountByUscc(MINGXING);
      expect(mingxing).toMatchObject({
        employees_min: 0,
        employees_max: 49,
        annual_sales: 12_000_000,
        net_assets: null,
        email: null,
      });
      const big = await accountByUscc(BIG);
      expect(big).toMatchObject({
        employees_min: 10000,
        employees_max: null,
        annual_sales: 200_000_000,
        phone: '400-810-8888',
      });

      // The existing account: empty fields filled, stored values kept, linked to the source.
      const merged = await accountByUscc(EXISTING);
      expect(merged).toMatchObject({
        id: existing.id,
        annual_sales: 5_000_000,
        phone: '020-88889999',
        employees_min: 500,
        version: 2,
      });
      const links = await tdb.db.kysely
        .selectFrom('account_sources')
        .select(['account_id', 'line'])
        .execute();
      expect(links).toHaveLength(4);
      expect(links.find((l) => l.account_id === existing.id)?.line).toBe(7);

      // Every rejection and warning carries line, column, value and reason.
      const issues = await tdb.db.kysely
        .selectFrom('import_errors')
        .select(['line', 'column_name', 'value', 'reason', 'severity'])
        .where('job_id', '=', report.jobId)
        .orderBy('line')
        .execute();
      expect(issues).toEqual([
        expect.objectContaining({ line: 3, column_name: '净资产', value: '面议', severity: 'warning' }),
        expect.objectContaining({ line: 3, column_name: '邮箱', value: 'not-an-email', severity: 'warning' }),
        expect.objectContaining({
          line: 4,
          column_name: '企业名称',
          severity: 'error',
          reason: 'the company name is empty; every row needs one',
        }),
        expect.objectContaining({ line: 5, column_name: '统一社会信用代码', severity: 'error' }),
        expect.objectContaining({
          line: 6,
          column_name: '备注',
          value: '展会名单',
          severity: 'warning',
          reason: `differs from the account's value "老客户推荐", which was kept (import with newer source wins to take the file's values)`,
        }),
        expect.objectContaining({
          line: 7,
          column_name: '年营业额',
          value: '80000000',
          severity: 'warning',
          reason: `differs from the account's value "5000000", which was kept (import with newer source wins to take the file's values)`,
        }),
      ]);
      // The column names the code; the reason says only what is wrong with it.
      expect(issues[3]?.reason).toMatch(/^check character does not match: expected .+, got .+$/);

      // The rejected-rows file: UTF-8 with BOM, the input's own columns, then line, reason and original.
      expect(report.rejectsFile).toBeTruthy();
      const text = readFileSync(report.rejectsFile as string, 'utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const lines = text.slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toBe(`${VENDOR_HEADER.join(',')},line,reason,original`);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(/^,.*,4,企业名称: the company name is empty; every row needs one,$/);
      expect(lines[2]).toMatch(
        /^杭州坏码科技有限公司,.*,5,"统一社会信用代码: check character does not match: expected .+, got .+",$/,
      );

      const job = await tdb.db.kysely
        .selectFrom('import_jobs')
        .selectAll()
        .where('id', '=', report.jobId)
        .executeTakeFirstOrThrow();
      expect(job).toMatchObject({
        status: 'succeeded',
        phase: 'done',
        processed_rows: 7,
        created_count: 3,
        merged_count: 2,
        rejected_count: 2,
        warning_count: 4,
      });
      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select(['entity', 'action', 'entity_id'])
        .where('entity', 'in', ['import'])
        .execute();
      expect(audit).toEqual([{ entity: 'import', action: 'import', entity_id: report.jobId }]);
    });

    it('creates nothing when the same file is imported again, and says so', async () => {
      const before = await tdb.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const report = await importFile(
        ctx,
        join(dir, 'vendor.csv'),
        { source: { name: '企查查 2026Q3' } },
        { rejectsDir: dir },
      );
      expect(report).toMatchObject({
        rows: 7,
        created: 0,
        merged: 5,
        unchanged: 5,
        rejected: 2,
        conflicts: 2,
      });
      // "Nothing new", and the values the accounts kept against the file's are said too.
      expect(report.message).toMatch(/^Nothing new/);
      expect(report.message).toContain(
        "2 values in the file differ from the matched accounts' and were not taken: the accounts kept their own",
      );
      expect(report.previousImport?.jobId).toBeTruthy();
      const after = await tdb.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const versions = await accountByUscc(EXISTING);
      expect(versions.version).toBe(2);
    });

    it('keeps stored values unless newer source wins', async () => {
      const path = join(dir, 'vendor-2.csv');
      writeGbkCsv(path, vendorRows('8000万'));
      const kept = await importFile(ctx, path, {
        source: { name: '企查查 2026Q4', kind: 'purchased', cost: 100 },
      });
      expect(kept.created).toBe(0);
      expect((await accountByUscc(EXISTING)).annual_sales).toBe(5_000_000);
      const wins = await importFile(ctx, path, { source: { name: '企查查 2026Q4' }, newerSourceWins: true });
      expect(wins.created).toBe(0);
      const account = await accountByUscc(EXISTING);
      expect(account.annual_sales).toBe(80_000_000);
      expect(account.registered_capital).toBe(20_000_000);
      expect(account.version).toBe(3);
      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select(['before', 'after'])
        .where('entity', '=', 'account')
        .where('entity_id', '=', account.id)
        .where('action', '=', 'import-merge')
        .execute();
      expect(audit.some((a) => JSON.parse(a.before ?? '{}').annual_sales === 5_000_000)).toBe(true);
    });

    it('a dry run counts exactly and changes nothing', async () => {
      const path = join(dir, 'dry.csv');
      writeGbkCsv(path, [
        VENDOR_HEADER,
        [
          '宁波新港物流有限公司',
          makeUscc(201),
          '浙江省',
          '宁波市',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ],
      ]);
      const report = await importFile(ctx, path, { source: { name: 'dry' }, dryRun: true });
      expect(report).toMatchObject({ rows: 1, created: 1, dryRun: true, sourceId: null });
      expect(
        await tdb.db.kysely.selectFrom('accounts').select('id').where('uscc', '=', makeUscc(201)).execute(),
      ).toEqual([]);
      expect(
        await tdb.db.kysely.selectFrom('sources').select('id').where('name', '=', 'dry').execute(),
      ).toEqual([]);
    });

    it('applies a mapping file and remembers it for the source', async () => {
      const header = ['公司全称', '地区', '营收(亿元)'];
      const first = join(dir, 'chamber-1.csv');
      writeGbkCsv(first, [header, ['温州瓯江阀门有限公司', '温州市', '1.5']]);
      const noMapping = importFile(ctx, first, { source: { name: '温州商会' } });
      await expect(noMapping).rejects.toMatchObject({
        code: 'unprocessable',
        details: { problem: 'no_name_column' },
      });

      const report = await importFile(ctx, first, {
        source: { name: '温州商会', kind: 'free', cleaningHours: 6 },
        mapping: { 公司全称: 'name', 地区: 'city' },
      });
      expect(report.created).toBe(1);
      const account = await tdb.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('name', '=', '温州瓯江阀门有限公司')
        .executeTakeFirstOrThrow();
      expect(account).toMatchObject({ city: '温州市', annual_sales: 150_000_000 });

      // The next list from the same source maps by itself.
      const second = join(dir, 'chamber-2.csv');
      writeGbkCsv(second, [header, ['温州正泰鞋业有限公司', '温州市', '0.8']]);
      const again = await importFile(ctx, second, { source: { name: '温州商会' } });
      expect(again.created).toBe(1);
      const source = await tdb.db.kysely
        .selectFrom('sources')
        .selectAll()
        .where('name', '=', '温州商会')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(source.mapping ?? '{}')).toEqual({ 公司全称: 'name', 地区: 'city' });
      expect(source).toMatchObject({ kind: 'free', cleaning_hours: 6 });
    });

    it('reports per source the accounts supplied, those in market and the cost per in-market account', async () => {
      await saveMarket(ctx, { criteria: { minAnnualSales: 30_000_000 } });
      const reports = await listSourceReports(ctx);
      const vendor = reports.find((r) => r.name === '企查查 2026Q3');
      // 华信 (3500万), 明星 (1200万), 大成 (2亿), 天河 (now 8000万): three of four are in market.
      expect(vendor).toMatchObject({
        kind: 'purchased',
        cost: 4800,
        accounts: 4,
        inMarket: 3,
        costPerInMarketAccount: 1600,
      });
      const chamber = reports.find((r) => r.name === '温州商会');
      expect(chamber).toMatchObject({
        kind: 'free',
        cost: 0,
        accounts: 2,
        inMarket: 2,
        hoursPerInMarketAccount: 3,
      });
      // New imports are classified at once when a market is defined.
      const path = join(dir, 'after-market.csv');
      writeGbkCsv(path, [
        VENDOR_HEADER,
        [
          '重庆长江汽车配件有限公司',
          makeUscc(301),
          '重庆市',
          '重庆市',
          '',
          '',
          '5000万',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ],
      ]);
      await importFile(ctx, path, { source: { name: '企查查 2026Q3' } });
      const account = await accountByUscc(makeUscc(301));
      expect(account.in_market).toBe(1);
    });

    it('gives a rep the accounts they import and de-duplicates against accounts they cannot see', async () => {
      const people = await seedPeople(tdb.db);
      const repCtx = makeContext(
        tdb.db,
        { userId: people.rep.id, role: 'rep', teamId: people.teamA },
        fixedClock,
      );
      const path = join(dir, 'rep.csv');
      writeGbkCsv(path, [
        VENDOR_HEADER,
        ['广州天河贸易有限公司', EXISTING, '广东省', '广州市', '', '', '', '', '', '', '', '', '', '', ''],
        [
          '佛山南海陶瓷有限公司',
          makeUscc(401),
          '广东省',
          '佛山市',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
          '',
        ],
      ]);
      const report = await importFile(repCtx, path, { source: { name: 'rep list' } });
      expect(report).toMatchObject({ created: 1, merged: 1 });
      expect((await accountByUscc(makeUscc(401))).owner_id).toBe(people.rep.id);
      expect((await accountByUscc(EXISTING)).owner_id).toBeNull();
    });

    it('imports every external Excel file without error', async () => {
      const files = readdirSync(EXCEL_DIR, { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.xlsx'),
      );
      expect(files.length).toBeGreaterThanOrEqual(6);
      for (const file of files) {
        const path = join(EXCEL_DIR, file);
        const { openImportFile } = await import('../../src/import/import-file.ts');
        const opened = await openImportFile(path);
        const first = opened.info.header[0] as string;
        await opened.close();
        const report = await importFile(ctx, path, {
          source: { name: `excel ${file}` },
          mapping: { [first]: 'name' },
        });
        expect(report.rows, file).toBeGreaterThan(0);
        expect(report.created + report.merged + report.rejected, file).toBe(report.rows);
        expect(report.detected.kind).toBe('xlsx');
      }
    });

    it('maps the Chinese S&P 500 headers and imports the list', async () => {
      const report = await importFile(ctx, SP500_ZH, { source: { name: 'S&P 500 (zh)', kind: 'free' } });
      expect(report.detected.encoding).toBe('utf8');
      expect(report.rows).toBe(508);
      expect(report.rejected).toBe(0);
      expect(report.created + report.merged).toBe(508);
      const mmm = await tdb.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('name', '=', '3M公司')
        .executeTakeFirstOrThrow();
      expect(mmm.industry).toBe('工业');
      expect(JSON.parse(mmm.custom_fields)).toMatchObject({
        股票代号: 'MMM',
        成立年份: '1902',
        加入日期: '1976-08-09',
      });
    });

    it('rejects a mapping that names a column the file lacks', async () => {
      const path = join(dir, 'plain.csv');
      writeGbkCsv(path, [['企业名称'], ['某某有限公司']]);
      await expect(
        importFile(ctx, path, { source: { name: 'x' }, mapping: { 不存在: 'name' } }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
      });
      const failed = await tdb.db.kysely
        .selectFrom('import_jobs')
        .select(['status', 'error'])
        .where('status', '=', 'failed')
        .execute();
      expect(failed.some((job) => /不存在/.test(job.error ?? ''))).toBe(true);
    });

    it('imports UTF-8 text the same way', async () => {
      const path = join(dir, 'utf8.tsv');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path, 'Company\tCity\tEmployees\r\nAcme Robotics Co., Ltd.\tSuzhou\t200-300\r\n');
      const report = await importFile(ctx, path, { source: { name: 'english' } });
      expect(report).toMatchObject({ rows: 1, created: 1 });
      expect(report.detected.delimiter).toBe('\t');
    });

    it("dates a new source on the workspace's day, not the UTC one, unless the import names its date", async () => {
      const { writeFileSync } = await import('node:fs');
      const path = join(dir, 'evening.csv');
      writeFileSync(path, 'Company,City\r\nEvening Trading Co., Ltd.,Ningbo\r\n');
      // 20:00 UTC on the 27th is 04:00 on the 28th in Shanghai, the workspace's zone.
      const evening = makeContext(tdb.db, SYSTEM_ACTOR, () => new Date('2026-11-27T20:00:00.000Z'));
      await importFile(evening, path, { source: { name: 'evening list' } });
      await importFile(evening, path, { source: { name: 'dated list', acquiredOn: '2026-10-01' } });
      const dated = await tdb.db.kysely
        .selectFrom('sources')
        .select(['name', 'acquired_on'])
        .where('name', 'in', ['evening list', 'dated list'])
        .orderBy('name')
        .execute();
      expect(dated).toEqual([
        { name: 'dated list', acquired_on: '2026-10-01' },
        { name: 'evening list', acquired_on: '2026-11-28' },
      ]);
    });

    it('stores through the writer thread (SQLite) when the file is read in threads, its progress passed on', async () => {
      const path = join(dir, 'threaded.csv');
      const text = 'Company,City\r\nThreaded Trading Ltd,Ningbo\r\nSecond Thread Ltd,Suzhou\r\n';
      writeFileSync(path, text);
      const events: PipelineEvent[] = [];
      const report = await importFile(
        ctx,
        path,
        { source: { name: 'threaded list' } },
        // On SQLite the staging and the merge then run in the writer's worker thread (import-writer-worker.ts).
        { threads: 'always', onEvent: (event) => events.push(event) },
      );
      expect(report).toMatchObject({ rows: 2, created: 2, rejected: 0 });
      expect(events[0]).toMatchObject({
        type: 'opened',
        info: { header: ['Company', 'City'], fileSize: text.length },
      });
      expect(events.at(-1)).toEqual({
        type: 'progress',
        phase: 'merging',
        rows: 2,
        bytesRead: text.length,
        fileSize: text.length,
      });
    });
  });
}
