import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTierlineInProcess } from '../helpers/cli.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type ImportApi, openImportApi } from '../helpers/import-api.ts';

for (const dialect of DIALECTS) {
  describe(`a list's cost, and a dry run's rejected rows, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let dir: string;
    const cli = (args: string[]) =>
      runTierlineInProcess(['--db', tdb.url, ...args], { TIERLINE_IMPORT_DIR: join(dir, 'imports') });

    beforeAll(async () => {
      tdb = await dialect.open();
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-cost-'));
      writeFileSync(
        join(dir, 'list.csv'),
        '企业名称,城市\n杭州云帆科技有限公司,杭州市\n\n只有名字公司,杭州市,多余\n',
      );
    });
    afterAll(async () => {
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('--cost takes money as everywhere else (4800万), and refuses what no list costs', async () => {
      const list = join(dir, 'list.csv');
      const imported = await cli(['import', list, '--source', '万元名单', '--cost', '4800万', '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      const sources = JSON.parse((await cli(['sources', 'list', '--json'])).stdout);
      expect(sources.find((s: { name: string }) => s.name === '万元名单')).toMatchObject({
        kind: 'purchased',
        cost: 48_000_000,
      });

      for (const [cost, problem] of [
        ['1e15', 'at most 1,000,000,000,000 yuan'],
        ['1e20', 'too large to be an amount in yuan'],
        ['50万美元', 'is in US dollars (USD), not yuan'],
        ['-5', 'must not be negative'],
        ['很多', 'expected an amount'],
      ] as const) {
        const refused = await cli(['import', list, '--source', 'x', '--cost', cost]);
        expect(refused.code, cost).toBe(2);
        expect(refused.stderr, cost).toContain(problem);
      }
      const hours = await cli(['import', list, '--source', 'x', '--cleaning-hours', '1e9']);
      expect(hours.code).toBe(2);
      expect(hours.stderr).toContain('--cleaning-hours must be between 0 and 100,000');
    });

    it('a dry run writes no rejected rows unless --rejects-file is given, and says so', async () => {
      const list = join(dir, 'list.csv');
      const imports = join(dir, 'imports');
      const before = readdirSync(imports);
      const dry = await cli(['import', list, '--source', 'dry', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(
        'rejected  1 (not written: a dry run writes no file unless --rejects-file FILE is given)',
      );
      expect(readdirSync(imports)).toEqual(before);
      const file = join(dir, 'dry-rejects.csv');
      const asked = await cli([
        'import',
        list,
        '--source',
        'dry',
        '--dry-run',
        '--rejects-file',
        file,
        '--json',
      ]);
      expect(asked.code, asked.stderr).toBe(0);
      expect(JSON.parse(asked.stdout)).toMatchObject({ rejected: 1, rejectsFile: file });
      expect(readdirSync(imports)).toEqual(before);
    });
  });

  describe(`the API bounds a list's cost on ${dialect.name}`, () => {
    let api: ImportApi;
    beforeAll(async () => {
      api = await openImportApi(dialect, 'tierline-import-cost-api-');
    });
    afterAll(async () => {
      await api.close();
    });

    it('refuses a cost of 1e20 with a message saying the bound, in the reader’s language', async () => {
      const id = await api.upload('list.csv', '企业名称\r\n某某有限公司\r\n');
      const start = (cost: number, headers: Record<string, string> = {}) =>
        api.app.inject({
          method: 'POST',
          url: `/api/imports/${id}/start`,
          headers: { ...api.session.headers, ...headers },
          payload: { source: { name: '贵名单', kind: 'purchased', cost } },
        });
      const refused = await start(1e20);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('a list costs at most 1,000,000,000,000 yuan (1万亿)');
      const zh = await start(1e20, { 'accept-language': 'zh-CN' });
      expect(zh.statusCode).toBe(400);
      expect(zh.body).toContain('名单费用最多为 1,000,000,000,000 元（1万亿）');
      expect((await start(4_800_000)).statusCode).toBe(202);
    });
  });
}
