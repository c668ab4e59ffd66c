import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVendorCsv } from '../../bench/import-data.ts';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { badUscc, VENDOR_HEADER, vendorRow, writeGbkCsv } from '../fixtures/vendor-csv.ts';
import { runTierline, runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { seedPeople } from '../helpers/session.ts';

const BIN = join(import.meta.dirname, '../../bin/tierline.js');
const ROWS = 120_000;

for (const dialect of DIALECTS) {
  describe(`tierline import on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let dir: string;
    // The first import and the SIGKILL runs go through the real binary (bin/tierline.js) in a child process; the
    // other commands through the CLI's own entry in this process (test/helpers/cli.ts).
    const spawned = (args: string[]) =>
      runTierline(['--db', tdb.url, ...args], { TIERLINE_IMPORT_DIR: join(dir, 'imports') });
    const cli = (args: string[]) =>
      runTierlineInProcess(['--db', tdb.url, ...args], { TIERLINE_IMPORT_DIR: join(dir, 'imports') });

    beforeAll(async () => {
      tdb = await dialect.open();
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-cli-'));
    });
    afterAll(async () => {
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const count = async (table: 'accounts' | 'contacts' | 'account_sources') =>
      Number(
        (
          await tdb.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('--json prints exactly one object with the report, and writes the rejected rows beside the data', async () => {
      const path = join(dir, 'vendor.csv');
      writeGbkCsv(path, [
        VENDOR_HEADER,
        vendorRow('深圳市华信电子科技有限公司', makeUscc(901), '广东省', '深圳市'),
        VENDOR_HEADER.map(() => ''),
        vendorRow('杭州坏码科技有限公司', badUscc(902), '浙江省', '杭州市', {
          人员规模: '',
          年营业额: '面议',
        }),
      ]);
      const result = spawned([
        'import',
        path,
        '--source',
        'CLI vendor',
        '--purchased',
        '--cost',
        '300',
        '--json',
      ]);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(Object.keys(report).sort()).toEqual([
        'conflicts',
        'created',
        'merged',
        'owner',
        'rejected',
        'rejectsFile',
        'rows',
        'sourceId',
        'warnings',
      ]);
      expect(report).toMatchObject({ rows: 2, created: 1, merged: 0, rejected: 1, warnings: 0 });
      expect(report.rejectsFile.startsWith(join(dir, 'imports'))).toBe(true);
      const rejected = readFileSync(report.rejectsFile, 'utf8');
      expect(rejected).toMatch(/^\uFEFF企业名称,/);
      expect(rejected).toContain(',4,');

      const again = await cli(['import', path, '--source', 'CLI vendor']);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Nothing new/);
      expect(again.stdout).toMatch(/imported before/);

      const sources = await cli(['sources', 'list', '--json']);
      expect(sources.code).toBe(0);
      expect(JSON.parse(sources.stdout).find((s: { name: string }) => s.name === 'CLI vendor')).toMatchObject(
        {
          kind: 'purchased',
          cost: 300,
          accounts: 1,
        },
      );
    }, 180_000);

    it('takes a mapping file and says what is wrong with a bad one', async () => {
      const path = join(dir, 'chamber.csv');
      writeGbkCsv(path, [
        ['会员单位', '所在地'],
        ['宁波北仑港务有限公司', '宁波市'],
      ]);
      const mapping = join(dir, 'mapping.json');
      writeFileSync(mapping, JSON.stringify({ 会员单位: 'name', 所在地: 'city' }));
      const ok = await cli([
        'import',
        path,
        '--free',
        '--source',
        '宁波商会',
        '--mapping',
        mapping,
        '--json',
      ]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 1, created: 1 });
      writeFileSync(mapping, JSON.stringify({ 会员单位: 'company' }));
      const bad = await cli(['import', path, '--mapping', mapping]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/unknown field "company"/);
      const conflict = await cli(['import', path, '--free', '--purchased']);
      expect(conflict.code).toBe(2);
    }, 180_000);

    it('--owner gives the new accounts to a user (id or email) or to nobody; locally nobody by default', async () => {
      const people = await seedPeople(tdb.db);
      const list = (n: number) => {
        const path = join(dir, `owner-${n}.csv`);
        writeGbkCsv(path, [
          VENDOR_HEADER,
          vendorRow(`宁波第${n}号机械有限公司`, makeUscc(950 + n), '浙江省', '宁波市'),
        ]);
        return path;
      };
      const ownerOf = async (n: number) =>
        (
          await tdb.db.kysely
            .selectFrom('accounts')
            .select('owner_id')
            .where('uscc', '=', makeUscc(950 + n))
            .executeTakeFirstOrThrow()
        ).owner_id;

      const byEmail = await cli(['import', list(1), '--owner', people.rep.email.toUpperCase(), '--json']);
      expect(byEmail.code, byEmail.stderr).toBe(0);
      expect(JSON.parse(byEmail.stdout).owner).toEqual({ id: people.rep.id, name: people.rep.name });
      expect(await ownerOf(1)).toBe(people.rep.id);

      const byId = await cli(['import', list(2), '--owner', people.manager.id]);
      expect(byId.code, byId.stderr).toBe(0);
      expect(byId.stdout).toContain(`created   1, owned by ${people.manager.name}`);
      expect(await ownerOf(2)).toBe(people.manager.id);

      for (const [n, args] of [
        [3, ['--owner', 'none']],
        [4, []],
      ] as const) {
        const result = await cli(['import', list(n), ...args]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain(
          'created   1, without an owner (`tierline accounts list --unassigned`)',
        );
        expect(await ownerOf(n)).toBeNull();
      }
      const unassigned = await cli(['accounts', 'list', '--unassigned', '--search', '宁波第', '--json']);
      expect(unassigned.code, unassigned.stderr).toBe(0);
      expect(
        JSON.parse(unassigned.stdout)
          .map((a: { name: string }) => a.name)
          .sort(),
      ).toEqual(['宁波第3号机械有限公司', '宁波第4号机械有限公司']);

      const nobody = await cli(['import', list(5), '--owner', 'nobody@example.com']);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toMatch(/--owner: no user has the email "nobody@example.com"/);
      expect(
        await tdb.db.kysely.selectFrom('accounts').select('id').where('uscc', '=', makeUscc(955)).execute(),
      ).toEqual([]);
    }, 180_000);

    it('lists the first warnings with line, column, value and reason, and writes all of them with --warnings-file', async () => {
      const path = join(dir, 'warnings.csv');
      const names = Array.from({ length: 12 }, (_, i) => `警告测试${i + 1}号科技有限公司`);
      writeGbkCsv(path, [
        VENDOR_HEADER,
        ...names.map((name, i) =>
          vendorRow(name, makeUscc(960 + i), '广东省', '深圳市', { 人员规模: `很多人${i + 1}` }),
        ),
        vendorRow('警告测试营业额有限公司', makeUscc(980), '广东省', '深圳市', { 年营业额: '面议' }),
      ]);
      const employeesReason = (n: number) =>
        `expected a head count such as 100-499人, 少于50人, 10000人以上 or 350 (got "很多人${n}")`;

      const human = await cli(['import', path, '--source', 'CLI warnings', '--free']);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/warnings +13\n/);
      const lines = human.stdout.split('\n');
      const first = lines.indexOf('First 10 of 13 warnings (values imported as empty, cut or kept as read):');
      expect(first, human.stdout).toBeGreaterThan(0);
      expect(lines.slice(first + 1, first + 11)).toEqual(
        names
          .slice(0, 10)
          .map((_, i) => `  line ${i + 2}, 人员规模, "很多人${i + 1}": ${employeesReason(i + 1)}`),
      );
      expect(lines[first + 11]).toBe(
        '3 more not shown: run the import again with --dry-run (which changes nothing) and --warnings-file FILE to write them all as CSV.',
      );
      // The values were imported as empty; no row was rejected for them.
      const account = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['employees_min', 'annual_sales'])
        .where('name', '=', names[0] as string)
        .executeTakeFirstOrThrow();
      expect(account).toEqual({ employees_min: null, annual_sales: 35_000_000 });

      // A dry run has the same warnings and writes them all; --json names the file (and only then).
      const file = join(dir, 'out', 'all-warnings.csv');
      const dry = await cli([
        'import',
        path,
        '--source',
        'CLI warnings',
        '--dry-run',
        '--warnings-file',
        file,
        '--json',
      ]);
      expect(dry.code, dry.stderr).toBe(0);
      const report = JSON.parse(dry.stdout);
      expect(report).toMatchObject({ rows: 13, rejected: 0, warnings: 13, warningsFile: file });
      expect(Object.keys(report).sort()).toEqual([
        'conflicts',
        'created',
        'merged',
        'owner',
        'rejected',
        'rejectsFile',
        'rows',
        'sourceId',
        'warnings',
        'warningsFile',
      ]);
      const csv = readFileSync(file, 'utf8');
      expect(csv.startsWith('\uFEFFline,column,value,reason\r\n')).toBe(true);
      const records = csv.slice(1).trimEnd().split('\r\n');
      expect(records).toHaveLength(14);
      expect(records[1]).toBe(`2,人员规模,很多人1,"${employeesReason(1).replaceAll('"', '""')}"`);
      expect(records[13]).toBe(
        '14,年营业额,面议,"expected an amount such as 3500万, 1.2亿 or 1,234,567 (got ""面议"")"',
      );

      // The human output of a run that wrote the file points to it instead.
      const pointed = await cli(['import', path, '--dry-run', '--warnings-file', file]);
      expect(pointed.code, pointed.stderr).toBe(0);
      expect(pointed.stdout).toContain(`warnings  13 -> ${file}`);
      expect(pointed.stdout).toContain(`All 13 stored warnings are in ${file}.`);
      expect(pointed.stdout).not.toContain('more not shown');
    }, 180_000);

    it('SIGKILL while reading or merging leaves nothing half-imported; the rerun finishes with the right totals', async () => {
      await sql`delete from account_sources`.execute(tdb.db.kysely);
      await sql`delete from contacts`.execute(tdb.db.kysely);
      await sql`delete from accounts`.execute(tdb.db.kysely);
      const path = join(dir, 'big.csv');
      const { summary } = await writeVendorCsv(ROWS, path);

      // An import this large rebuilds the accounts indexes inside its merge transaction (on PostgreSQL, into an
      // empty accounts table, also the foreign keys of contacts and account_sources to it).
      const accountIndexes = async () =>
        dialect.name === 'sqlite'
          ? (
              await sql<{ name: string }>`
            select name from sqlite_master where type = 'index' and tbl_name = 'accounts' order by name`.execute(
                tdb.db.kysely,
              )
            ).rows.map((r) => r.name)
          : (
              await sql<{ name: string }>`
            select indexdef as name from pg_indexes where tablename = 'accounts' and schemaname = current_schema()
            union all
            select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
            where contype = 'f' and conrelid in ('contacts'::regclass, 'account_sources'::regclass)
            order by 1`.execute(tdb.db.kysely)
            ).rows.map((r) => r.name);
      const indexesBefore = await accountIndexes();

      const killDuring = async (phase: 'reading' | 'merging') => {
        const jobsBefore = (await tdb.db.kysely.selectFrom('import_jobs').select('id').execute()).map(
          (j) => j.id,
        );
        const child = spawn(
          process.execPath,
          [BIN, '--db', tdb.url, 'import', path, '--source', 'big', '--json'],
          {
            env: { ...process.env, DATABASE_URL: '', TIERLINE_IMPORT_DIR: join(dir, 'imports') },
            stdio: 'ignore',
          },
        );
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        let seen: { processed_rows: number; phase: string | null } | undefined;
        const deadline = Date.now() + 240_000;
        for (;;) {
          const job = await tdb.db.kysely
            .selectFrom('import_jobs')
            .select(['id', 'processed_rows', 'phase', 'status'])
            .where('id', 'not in', jobsBefore.length ? jobsBefore : [''])
            .executeTakeFirst();
          if (job && job.status !== 'running' && job.status !== 'queued')
            throw new Error(`the import finished (${job.status}) before it could be killed`);
          if (
            job &&
            (phase === 'reading'
              ? job.phase === 'reading' && job.processed_rows > 0
              : job.phase === 'merging')
          ) {
            seen = job;
            break;
          }
          if (Date.now() > deadline) throw new Error(`no ${phase} phase seen`);
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
        child.kill('SIGKILL');
        await exited;
        expect(seen).toBeDefined();
        if (dialect.name === 'sqlite') {
          const check = tdb.db.sqlite?.prepare('pragma integrity_check').all() as {
            integrity_check: string;
          }[];
          expect(check).toEqual([{ integrity_check: 'ok' }]);
        }
        expect(await accountIndexes()).toEqual(indexesBefore);
        expect(await count('accounts')).toBe(0);
        expect(await count('contacts')).toBe(0);
        expect(await count('account_sources')).toBe(0);
      };

      await killDuring('reading');
      await killDuring('merging');

      const rerun = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [BIN, '--db', tdb.url, 'import', path, '--source', 'big', '--json'],
          {
            env: { ...process.env, DATABASE_URL: '', TIERLINE_IMPORT_DIR: join(dir, 'imports') },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
      expect(rerun.code, rerun.stderr).toBe(0);
      const report = JSON.parse(rerun.stdout);
      expect(report).toMatchObject({
        rows: ROWS,
        created: summary.distinct,
        rejected: summary.missingName + summary.badUscc,
        merged: ROWS - summary.distinct - summary.missingName - summary.badUscc,
      });
      expect(await count('accounts')).toBe(summary.distinct);
      const duplicates = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['uscc', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('uscc')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .execute();
      expect(duplicates).toEqual([]);
      const killed = await tdb.db.kysely
        .selectFrom('import_jobs')
        .select(['status', 'error'])
        .where('status', '=', 'failed')
        .execute();
      expect(killed).toHaveLength(2);
      for (const job of killed) expect(job.error).toMatch(/interrupted/);
    }, 600_000);
  });
}
