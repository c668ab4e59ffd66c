import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInstance } from '../../src/server/app.ts';
import { importRunnerFor } from '../../src/services/import-runner.ts';
import { updateImportJob } from '../../src/storage/repositories/imports.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { EN, type ImportApi, openImportApi, ZH } from '../helpers/import-api.ts';
import type { Session } from '../helpers/session.ts';

// The preview's mapping problems and a finished job's summary in the reader's language (Accept-Language, which
// the web app sets to its UI language); English, as before, for the CLI and for requests without a language.

for (const dialect of DIALECTS) {
  describe(`import mapping problems and summaries in the reader's language on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let session: Session;
    let api: ImportApi;
    const upload = (name: string, content: Buffer | string) => api.upload(name, content);
    const job = (id: string, headers: Record<string, string> = {}) => api.job(id, headers);

    beforeAll(async () => {
      api = await openImportApi(dialect, 'tierline-import-summary-i18n-');
      ({ tdb, app, session } = api);
    });
    afterAll(() => api.close());

    async function preview(id: string, headers: Record<string, string>, query = '') {
      const res = await app.inject({
        method: 'GET',
        url: `/api/imports/${id}/preview${query}`,
        headers: { ...session.headers, ...headers },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { mappingErrors: string[]; conflicts: string[] };
    }

    async function listed(id: string, headers: Record<string, string>) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/imports',
        headers: { ...session.headers, ...headers },
      });
      return res.json().items.find((j: { id: string }) => j.id === id);
    }

    async function run(id: string, dryRun = false) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/imports/${id}/start`,
        headers: session.headers,
        payload: { source: { name: '展会名单', kind: 'free' }, dryRun },
      });
      expect(res.statusCode, res.body).toBe(202);
      await importRunnerFor(tdb.db)?.idle();
      expect((await job(id)).state).toBe('succeeded');
    }

    it('previews a file with no column for the company name: why, in Chinese and in English as before', async () => {
      const id = await upload('cities.csv', '城市,电话\r\n上海,021-12345678\r\n');
      expect((await preview(id, ZH)).mappingErrors).toEqual(['没有一列映射到企业名称；每次导入都需要这一列']);
      const english = ['no column is mapped to name (the company name); every import needs one'];
      expect((await preview(id, EN)).mappingErrors).toEqual(english);
      expect((await preview(id, {})).mappingErrors).toEqual(english);
    });

    it('previews a mapping that does not fit the file, and a column kept as a custom field', async () => {
      const id = await upload('名单.csv', '企业名称,公司名称,城市\r\n某某有限公司,某某,上海\r\n');
      const query = `?mapping=${encodeURIComponent(JSON.stringify({ 不存在: 'name', 城市: 'city' }))}`;
      const zh = await preview(id, ZH, query);
      expect(zh.mappingErrors).toEqual([
        '列映射中的列“不存在”不在文件中（文件中的列：“企业名称”、“公司名称”、“城市”）',
      ]);
      // The automatic mapping is shown instead; its conflict too is in the reader's language.
      expect(zh.conflicts).toEqual([
        '第 2 列“公司名称”看起来也是企业名称，但第 1 列“企业名称”已经映射到这个字段；这一列保留为自定义字段',
      ]);
      for (const headers of [EN, {}]) {
        const en = await preview(id, headers, query);
        expect(en.mappingErrors).toEqual([
          'the mapping names column "不存在", which is not in the file (columns: "企业名称", "公司名称", "城市")',
        ]);
        expect(en.conflicts).toEqual([
          'column 2 "公司名称" also looks like name, which column 1 "企业名称" already fills; it is kept as a custom field',
        ]);
      }
      // Starting with that mapping is refused, with the same reasons.
      const start = async (headers: Record<string, string>) => {
        const res = await app.inject({
          method: 'POST',
          url: `/api/imports/${id}/start`,
          headers: { ...session.headers, ...headers },
          payload: { source: { name: '展会名单', kind: 'free' }, mapping: { 不存在: 'name', 城市: 'city' } },
        });
        expect(res.statusCode, res.body).toBe(422);
        return res.json().error.message as string;
      };
      expect(await start(ZH)).toBe(
        '列映射与文件不符：列映射中的列“不存在”不在文件中（文件中的列：“企业名称”、“公司名称”、“城市”）',
      );
      expect(await start({})).toBe(
        'The mapping does not fit the file: the mapping names column "不存在", which is not in the file (columns: "企业名称", "公司名称", "城市")',
      );
    });

    it("refuses a mapping with an unknown field in the reader's language", async () => {
      const id = await upload('名单.csv', '企业名称,城市\r\n某某有限公司,上海\r\n');
      const url = `/api/imports/${id}/preview?mapping=${encodeURIComponent(JSON.stringify({ 城市: 'bogus' }))}`;
      const answer = async (headers: Record<string, string>) => {
        const res = await app.inject({ method: 'GET', url, headers: { ...session.headers, ...headers } });
        expect(res.statusCode, res.body).toBe(400);
        return res.json().error.message as string;
      };
      expect(await answer(ZH)).toMatch(
        /^mapping: 列映射无效（未知字段 "bogus"；请使用 name, uscc, .+ 之一，或用 null 把这一列保留为自定义字段）$/,
      );
      for (const headers of [EN, {}])
        expect(await answer(headers)).toMatch(
          /^mapping: unknown field "bogus"; use one of name, uscc, .+, or null to keep the column as a custom field$/,
        );
    });

    it("shows a finished job's summary in the reader's language; English as stored", async () => {
      const file = '企业名称,城市\r\n上海甲乙科技有限公司,上海\r\n北京丙丁贸易有限公司,北京\r\n,广州\r\n';
      const first = await upload('展会.csv', file);
      await run(first);
      const english =
        '2 accounts created, 0 rows merged into accounts that exist or came earlier in the file, 1 rejected, 0 warnings.';
      const chinese =
        '新建 2 家客户，0 行合并到已有的客户或文件中前面出现过的同一客户，1 行被拒绝，0 条警告。';
      expect((await job(first, ZH)).message).toBe(chinese);
      expect((await listed(first, ZH)).message).toBe(chinese);
      expect((await job(first, EN)).message).toBe(english);
      expect((await job(first)).message).toBe(english);
      expect((await listed(first, {})).message).toBe(english);
      // The English stays stored with the result (the CLI prints it; old readers read it).
      const stored = await tdb.db.kysely
        .selectFrom('import_jobs')
        .select('result')
        .where('id', '=', first)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.result ?? '{}').message).toBe(english);

      // The same file again: nothing new, and when it came before.
      const again = await upload('展会.csv', file);
      await run(again);
      const date = String((await job(first)).finishedAt).slice(0, 10);
      expect((await job(again)).message).toBe(
        `Nothing new: all 2 valid rows matched accounts that already exist and added nothing; no account was created. This file was imported before (job ${first}, ${date}). 1 row was rejected again.`,
      );
      expect((await job(again, ZH)).message).toBe(
        `没有新内容：2 行有效数据都对应已有的客户，没有带来任何新信息；没有新建客户。这个文件以前导入过（任务 ${first}，${date}）。又有 1 行被拒绝。`,
      );

      // A dry run.
      const dry = await upload('试一下.csv', '企业名称\r\n深圳戊己电子有限公司\r\n');
      await run(dry, true);
      expect((await job(dry, ZH)).message).toBe(
        '试运行：1 行将新建 1 家客户、合并 0 行；0 行被拒绝，0 条警告。没有做任何修改。',
      );
      expect((await job(dry, EN)).message).toBe(
        'Dry run: 1 row would give 1 new account and 0 merges; 0 rejected, 0 warnings. Nothing was changed.',
      );
    });

    it('reads a summary stored before, as it was written', async () => {
      const id = await upload('old.csv', '企业名称\r\n某某有限公司\r\n');
      // English exactly as stored, whatever its wording; Chinese from the stored counts.
      const counts = {
        rows: 5,
        created: 1,
        merged: 3,
        unchanged: 2,
        rejected: 1,
        warnings: 1,
        duplicatesInFile: 0,
        matchedExisting: 3,
        dryRun: false,
        warningsNotStored: 0,
        previousImport: null,
      };
      await updateImportJob(tdb.db.kysely, id, {
        status: 'succeeded',
        phase: 'done',
        result: JSON.stringify({ ...counts, message: 'Some older wording of 1 created.' }),
      });
      expect((await job(id, EN)).message).toBe('Some older wording of 1 created.');
      expect((await job(id, ZH)).message).toBe(
        '新建 1 家客户，3 行合并到已有的客户或文件中前面出现过的同一客户（其中 2 行没有带来新信息），1 行被拒绝，1 条警告。',
      );
      // A result still being written (no summary yet) has none in any language.
      await updateImportJob(tdb.db.kysely, id, { result: JSON.stringify(counts) });
      expect((await job(id, ZH)).message).toBeNull();
      expect((await job(id)).message).toBeNull();
    });
  });
}
