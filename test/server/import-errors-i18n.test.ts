import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInstance } from '../../src/server/app.ts';
import { importRunnerFor } from '../../src/services/import-runner.ts';
import { updateImportJob } from '../../src/storage/repositories/imports.ts';
import { buildXlsx, inline, row, zip } from '../fixtures/build-xlsx.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { EN, type ImportApi, openImportApi, ZH } from '../helpers/import-api.ts';
import type { People, Session } from '../helpers/session.ts';

// A file the import cannot read as a whole says why in the reader's language: at once (preview, start) and
// when a job fails later in the parse worker, whose error crosses to the writer and is stored on the job.

const workbook = () =>
  buildXlsx({
    sheets: [
      {
        name: 'Sheet1',
        sheetData: row(1, [inline('A1', '企业名称')]) + row(2, [inline('A2', '某某有限公司')]),
      },
      { name: '客户', sheetData: '' },
    ],
  });

/** Each bad file, what the preview answers, in English (today's text, unchanged) and in Chinese. */
const BAD_FILES: {
  what: string;
  name: string;
  content: () => Buffer;
  query?: string;
  status: number;
  problem: string;
  en: string;
  zh: string;
}[] = [
  {
    what: 'a file of blank lines only',
    name: 'blank.csv',
    content: () => Buffer.from('\r\n  \r\n,,\r\n'),
    status: 422,
    problem: 'empty_file',
    en: 'the file has no rows, not even a header line',
    zh: '文件中没有任何内容，连表头行也没有',
  },
  {
    what: 'a header with a quote never closed',
    name: 'header.csv',
    content: () => Buffer.from('企业名称,"城市\r\n某某有限公司,上海\r\n'),
    status: 422,
    problem: 'malformed_header',
    en: 'line 1: the header cannot be read: a quoted field starting in this record is never closed, so everything after it was read into that field; add the missing closing quote (")',
    zh: '第 1 行：无法读取表头：本记录中以引号开头的字段没有结束引号，其后的内容都被读进了这个字段；请补上缺少的结束引号（"）',
  },
  {
    what: 'a record longer than the reader takes',
    name: 'long.csv',
    content: () => Buffer.from(`企业名称,城市\r\n某某有限公司,"${'长'.repeat((1 << 20) + 10)}\r\n`),
    status: 422,
    problem: 'record_too_large',
    en: 'line 2: a record is longer than 1,048,576 characters; most likely a field opens a quote (") that is never closed. Fix the quote, or raise maxRecordChars if the record really is that long',
    zh: '第 2 行：一条记录超过了 1,048,576 个字符；很可能是某个字段以引号（"）开头却一直没有结束引号。请补上引号；如果这条记录确实这么长，请调大 maxRecordChars',
  },
  {
    what: 'a sheet name the workbook lacks',
    name: '名单.xlsx',
    content: workbook,
    query: '?sheet=Customers',
    status: 400,
    problem: 'sheet_not_found',
    en: 'there is no sheet named "Customers"; the workbook has: "Sheet1", "客户"',
    zh: '没有名为“Customers”的工作表；这个工作簿中有：“Sheet1”、“客户”',
  },
  {
    what: 'an empty sheet asked for by name',
    name: '名单.xlsx',
    content: workbook,
    query: `?sheet=${encodeURIComponent('客户')}`,
    status: 422,
    problem: 'no_data',
    en: 'the sheet "客户" is empty',
    zh: '工作表“客户”是空的',
  },
  {
    what: 'a zip that is no workbook, named .xlsx',
    name: 'report.xlsx',
    content: () => zip([['word/document.xml', '<w:document/>']]),
    status: 422,
    problem: 'not_xlsx',
    en: 'this zip file is not an .xlsx workbook (it has no xl/workbook.xml); if it is an .ods or .numbers file, save it as .xlsx or CSV',
    zh: '这个 zip 文件不是 .xlsx 工作簿（其中没有 xl/workbook.xml）；如果它是 .ods 或 .numbers 文件，请另存为 .xlsx 或 CSV',
  },
  {
    what: 'an old .xls',
    name: 'old.xls',
    content: () =>
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]),
    status: 422,
    problem: 'legacy_xls',
    en: 'this is an old-format Excel file (.xls) or a password-protected workbook; open it in Excel or WPS and save it as .xlsx or CSV',
    zh: '这是旧格式的 Excel 文件（.xls）或设置了密码的工作簿；请用 Excel 或 WPS 打开，另存为 .xlsx 或 CSV',
  },
  {
    what: 'a workbook cut short (its reason a message in the message)',
    name: 'cut.xlsx',
    content: () => workbook().subarray(0, 200),
    status: 422,
    problem: 'unreadable',
    en: 'the workbook is damaged or incomplete (no end-of-archive record); open it in Excel or WPS and save it again as .xlsx, or save it as CSV',
    zh: '工作簿已损坏或不完整（缺少压缩包的结束记录）；请用 Excel 或 WPS 打开，重新另存为 .xlsx，或另存为 CSV',
  },
];

for (const dialect of DIALECTS) {
  describe(`import file errors in the reader's language on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let session: Session;
    let api: ImportApi;
    const upload = (name: string, content: Buffer | string) => api.upload(name, content);
    const job = (id: string, headers: Record<string, string> = {}) => api.job(id, headers);

    beforeAll(async () => {
      api = await openImportApi(dialect, 'tierline-import-i18n-');
      ({ tdb, app, people, session } = api);
    });
    afterAll(() => api.close());

    it.each(BAD_FILES)('previews $what: the reason in Chinese, and in English as before', async (bad) => {
      const id = await upload(bad.name, bad.content());
      const url = `/api/imports/${id}/preview${bad.query ?? ''}`;
      for (const [headers, text] of [
        [ZH, bad.zh],
        [EN, bad.en],
        [{}, bad.en],
      ] as const) {
        const res = await app.inject({ method: 'GET', url, headers: { ...session.headers, ...headers } });
        expect(res.statusCode, res.body).toBe(bad.status);
        expect(res.json().error.message).toBe(text);
        expect(res.json().error.details).toMatchObject({ problem: bad.problem });
      }
    });

    it('refuses to start with a sheet the workbook lacks, in Chinese', async () => {
      const id = await upload('名单.xlsx', workbook());
      const res = await app.inject({
        method: 'POST',
        url: `/api/imports/${id}/start`,
        headers: { ...session.headers, ...ZH },
        payload: { source: { name: '展会名单', kind: 'free' }, sheet: 'Customers' },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toBe('没有名为“Customers”的工作表；这个工作簿中有：“Sheet1”、“客户”');
    });

    it("shows a failed job's reason in the reader's language after it crossed the worker threads", async () => {
      const id = await upload('名单.xlsx', workbook());
      // The file is read in the parse worker (and, on SQLite, stored by the writer thread): the sheet it was
      // started with is gone from the file, as if the file changed after the wizard checked it.
      const previous = process.env.TIERLINE_IMPORT_THREADS;
      process.env.TIERLINE_IMPORT_THREADS = 'always';
      try {
        await updateImportJob(tdb.db.kysely, id, {
          status: 'queued',
          phase: 'ready',
          options: JSON.stringify({
            source: { name: '展会名单', kind: 'free' },
            mapping: null,
            sheet: '第三页',
            actor: { userId: people.rep.id, role: 'rep' },
          }),
        });
        const runner = importRunnerFor(tdb.db);
        runner?.kick();
        await runner?.idle();
      } finally {
        if (previous === undefined) delete process.env.TIERLINE_IMPORT_THREADS;
        else process.env.TIERLINE_IMPORT_THREADS = previous;
      }
      const zh = await job(id, ZH);
      expect(zh.state).toBe('failed');
      expect(zh.error).toBe('没有名为“第三页”的工作表；这个工作簿中有：“Sheet1”、“客户”');
      // English for the CLI (its remote mode sends no Accept-Language) and for an English reader.
      const english = 'there is no sheet named "第三页"; the workbook has: "Sheet1", "客户"';
      expect((await job(id)).error).toBe(english);
      expect((await job(id, EN)).error).toBe(english);
      const list = await app.inject({
        method: 'GET',
        url: '/api/imports',
        headers: { ...session.headers, ...ZH },
      });
      expect(list.json().items.find((j: { id: string }) => j.id === id).error).toBe(zh.error);
      // The column keeps the English text readable beside the message's key and parameters.
      const stored = await tdb.db.kysely
        .selectFrom('import_jobs')
        .select('error')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(stored.error ?? '')).toMatchObject({
        en: english,
        message: { key: 'import_file.sheet_not_found', params: { sheet: '第三页' } },
      });
    });

    it('shows an error stored as plain text (before messages were stored) as it is', async () => {
      const id = await upload('list.csv', Buffer.from('企业名称\r\n某某有限公司\r\n'));
      const legacy = 'the file cannot be read: EACCES: permission denied';
      await updateImportJob(tdb.db.kysely, id, { status: 'failed', phase: 'done', error: legacy });
      expect((await job(id, ZH)).error).toBe(legacy);
      expect((await job(id)).error).toBe(legacy);
      // JSON of an unknown message (a key a later version renamed, say): its English text.
      const renamed = JSON.stringify({ en: 'An old reason.', message: { key: 'imports.gone', params: {} } });
      await updateImportJob(tdb.db.kysely, id, { error: renamed });
      expect((await job(id, ZH)).error).toBe('An old reason.');
      // Text that merely looks like JSON stays as written.
      await updateImportJob(tdb.db.kysely, id, { error: '{"en": broken' });
      expect((await job(id, ZH)).error).toBe('{"en": broken');
    });
  });
}
