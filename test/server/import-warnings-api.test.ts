import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg } from '../../src/domain/messages.ts';
import { storedMessage } from '../../src/domain/stored-message.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeContext } from '../../src/services/context.ts';
import { listImportWarnings } from '../../src/services/import-prospects.ts';
import { importRunnerFor } from '../../src/services/import-runner.ts';
import { newId } from '../../src/storage/ids.ts';
import { csvText } from '../fixtures/vendor-csv.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';
import { multipart } from '../helpers/uploads.ts';

// Issue 3 §4/§7: an unreadable optional value imports as empty with a warning, and every warning carries line,
// column, value and reason. GET /api/imports/:id/warnings lets whoever may see the job read them.

const LONG_NOTE = `备注${'很长'.repeat(1000)}`;

/** Four accounts and a rejected row; five warnings on lines 2, 3, 5 and 6. */
const listWithWarnings = () =>
  Buffer.from(
    csvText([
      ['企业名称', '所属城市', '人员规模', '年营业额', '备注'],
      ['深圳警告一有限公司', '深圳市', '很多人', '3500万', ''], // 2: employees
      ['广州警告二有限公司', '广州市', '50-99人', '面议', ''], // 3: annual sales
      ['', '佛山市', '', '', ''], // 4: rejected, not a warning
      ['东莞警告三有限公司', '东莞市', '少于50人', '-5万', LONG_NOTE], // 5: negative amount, note cut
      ['珠海警告四有限公司', '珠海市', 'abc', '', ''], // 6: employees
    ]),
  );

const EMPLOYEES_EN = 'expected a head count such as 100-499人, 少于50人, 10000人以上 or 350 (got "很多人")';
const SALES_EN = 'expected an amount such as 3500万, 1.2亿 or 1,234,567 (got "面议")';
const SALES_ZH = '应为金额，如 3500万、1.2亿 或 1,234,567（读到的是“面议”）';

/** Parses CSV text (RFC 4180, CRLF) without its BOM. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

for (const dialect of DIALECTS) {
  describe(`import warnings API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let dir: string;
    let jobId = '';
    const sessions: Record<string, Session> = {};
    const as = (who: string) => (sessions[who] as Session).headers;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-warnings-'));
      process.env.TIERLINE_IMPORT_DIR = dir;
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      for (const who of ['rep', 'mate', 'otherRep', 'manager', 'otherManager', 'admin'] as const) {
        sessions[who] = await signIn(app, people[who]);
      }
      // The rep imports the list through the wizard's API.
      const upload = multipart('警告名单.csv', listWithWarnings(), 'text/csv');
      const uploaded = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: { ...as('rep'), ...upload.headers },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      jobId = uploaded.json().id;
      const started = await app.inject({
        method: 'POST',
        url: `/api/imports/${jobId}/start`,
        headers: as('rep'),
        payload: { source: { name: '警告测试', kind: 'free' } },
      });
      expect(started.statusCode, started.body).toBe(202);
      await importRunnerFor(tdb.db)?.idle();
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
      delete process.env.TIERLINE_IMPORT_DIR;
      rmSync(dir, { recursive: true, force: true });
    });

    const get = (url: string, who: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url, headers: { ...as(who), ...headers } });

    it('lists every warning with line, column, value, reason and field, in line order', async () => {
      const job = (await get(`/api/imports/${jobId}`, 'rep')).json();
      expect(job).toMatchObject({
        state: 'succeeded',
        counts: { rows: 5, created: 4, rejected: 1, warnings: 5 },
      });

      const res = await get(`/api/imports/${jobId}/warnings`, 'rep');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ total: 5, page: 1, pageSize: 50, notStored: 0 });
      // In line order; a line's warnings in the order the row was checked.
      expect(body.items).toEqual([
        { line: 2, column: '人员规模', value: '很多人', reason: EMPLOYEES_EN, field: 'employees' },
        { line: 3, column: '年营业额', value: '面议', reason: SALES_EN, field: 'annualSales' },
        {
          line: 5,
          column: '备注',
          value: LONG_NOTE.slice(0, 100),
          reason: 'longer than 2000 characters; cut to 2000',
          field: null,
        },
        {
          line: 5,
          column: '年营业额',
          value: '-5万',
          reason: 'a negative amount makes no sense here; left empty',
          field: 'annualSales',
        },
        {
          line: 6,
          column: '人员规模',
          value: 'abc',
          reason: 'expected a head count such as 100-499人, 少于50人, 10000人以上 or 350 (got "abc")',
          field: 'employees',
        },
      ]);
      // The values were imported as empty; the accounts were not rejected.
      const account = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['employees_min', 'annual_sales'])
        .where('name', '=', '广州警告二有限公司')
        .executeTakeFirstOrThrow();
      expect(account).toEqual({ employees_min: 50, annual_sales: null });
    });

    it('pages like the other lists', async () => {
      const page2 = (await get(`/api/imports/${jobId}/warnings?page=2&pageSize=2`, 'rep')).json();
      expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
      expect(page2.items.map((w: { line: number; column: string }) => `${w.line} ${w.column}`)).toEqual([
        '5 备注',
        '5 年营业额',
      ]);
      const page3 = (await get(`/api/imports/${jobId}/warnings?page=3&pageSize=2`, 'rep')).json();
      expect(page3.items.map((w: { line: number }) => w.line)).toEqual([6]);
      const beyond = (await get(`/api/imports/${jobId}/warnings?page=9&pageSize=2`, 'rep')).json();
      expect(beyond).toMatchObject({ items: [], total: 5 });
      expect((await get(`/api/imports/${jobId}/warnings?pageSize=501`, 'rep')).statusCode).toBe(400);
      expect((await get(`/api/imports/${jobId}/warnings?format=xml`, 'rep')).statusCode).toBe(400);
    });

    it("answers the reasons in the reader's language, catalog messages included", async () => {
      const zh = (
        await get(`/api/imports/${jobId}/warnings?pageSize=2`, 'rep', { 'accept-language': 'zh-CN,zh;q=0.9' })
      ).json();
      expect(zh.items[1]).toEqual({
        line: 3,
        column: '年营业额',
        value: '面议',
        reason: SALES_ZH,
        field: 'annualSales',
      });
      // ?lang= wins over Accept-Language (the web's download link cannot set headers).
      const en = (
        await get(`/api/imports/${jobId}/warnings?pageSize=2&lang=en`, 'rep', { 'accept-language': 'zh-CN' })
      ).json();
      expect(en.items[1].reason).toBe(SALES_EN);

      // A reason stored as a catalog message (domain/stored-message.ts) renders in the reader's language.
      const stored = await tdb.db.kysely
        .insertInto('import_errors')
        .values({
          id: newId(),
          job_id: jobId,
          line: 7,
          column_name: '所属城市',
          value: 'x',
          reason: storedMessage(msg('imports.empty_file')),
          severity: 'warning',
          raw: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      try {
        const last = async (language: string) =>
          (
            await get(`/api/imports/${jobId}/warnings?page=6&pageSize=1`, 'rep', {
              'accept-language': language,
            })
          ).json().items[0];
        await expect(last('zh-CN')).resolves.toMatchObject({
          line: 7,
          reason: '上传的文件是空的。',
          field: 'city',
        });
        await expect(last('en')).resolves.toMatchObject({ reason: 'The uploaded file is empty.' });
      } finally {
        await tdb.db.kysely.deleteFrom('import_errors').where('id', '=', stored.id).execute();
      }
    });

    it('downloads all of them as CSV (UTF-8 with BOM): line, column, value, reason', async () => {
      const res = await get(`/api/imports/${jobId}/warnings?format=csv`, 'rep');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('警告名单-warnings.csv'));
      expect(res.body.startsWith('\uFEFFline,column,value,reason\r\n')).toBe(true);
      const rows = parseCsv(res.body.slice(1));
      expect(rows).toEqual([
        ['line', 'column', 'value', 'reason'],
        ['2', '人员规模', '很多人', EMPLOYEES_EN],
        ['3', '年营业额', '面议', SALES_EN],
        // A cell a spreadsheet would run as a formula is neutralised, as in every export.
        ['5', '备注', LONG_NOTE.slice(0, 100), 'longer than 2000 characters; cut to 2000'],
        ['5', '年营业额', "'-5万", 'a negative amount makes no sense here; left empty'],
        [
          '6',
          '人员规模',
          'abc',
          'expected a head count such as 100-499人, 少于50人, 10000人以上 or 350 (got "abc")',
        ],
      ]);
      const zh = await get(`/api/imports/${jobId}/warnings?format=csv&lang=zh-CN`, 'rep');
      expect(parseCsv(zh.body.slice(1))[2]).toEqual(['3', '年营业额', '面议', SALES_ZH]);
    });

    it('is scoped like the job: its creator, their manager and admins; anyone else 404', async () => {
      for (const who of ['manager', 'admin']) {
        const res = await get(`/api/imports/${jobId}/warnings`, who);
        expect(res.statusCode, who).toBe(200);
        expect(res.json().total).toBe(5);
        expect((await get(`/api/imports/${jobId}/warnings?format=csv`, who)).statusCode, who).toBe(200);
      }
      for (const who of ['mate', 'otherRep', 'otherManager']) {
        for (const format of ['json', 'csv']) {
          const res = await get(`/api/imports/${jobId}/warnings?format=${format}`, who);
          expect(res.statusCode, `${who} ${format}`).toBe(404);
          expect(res.body).not.toContain('很多人');
        }
      }
      const rep = makeContext(tdb.db, { userId: people.otherRep.id, role: 'rep', teamId: people.teamB });
      await expect(listImportWarnings(rep, jobId, { page: 1, pageSize: 10 })).rejects.toMatchObject({
        code: 'not_found',
      });
      expect((await app.inject({ method: 'GET', url: `/api/imports/${jobId}/warnings` })).statusCode).toBe(
        401,
      );
    });

    it('is described in the OpenAPI document from its schemas', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      const route = doc.paths['/api/imports/{id}/warnings'].get;
      expect(route.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
        'format',
        'id',
        'lang',
        'page',
        'pageSize',
      ]);
      expect(route.responses['200'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/ImportWarningPage',
      });
      expect(route.responses['200'].content['text/csv']).toBeDefined();
      expect(Object.keys(doc.components.schemas.ImportWarning.properties).sort()).toEqual([
        'column',
        'field',
        'line',
        'reason',
        'value',
      ]);
    });

    it('keeps the warnings of a dry run', async () => {
      const upload = multipart('dry.csv', listWithWarnings(), 'text/csv');
      const job = (
        await app.inject({
          method: 'POST',
          url: '/api/imports',
          payload: upload.payload,
          headers: { ...as('mate'), ...upload.headers },
        })
      ).json();
      await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: as('mate'),
        payload: { source: { name: '警告测试 dry', kind: 'free' }, dryRun: true },
      });
      await importRunnerFor(tdb.db)?.idle();
      const res = (await get(`/api/imports/${job.id}/warnings?pageSize=1`, 'mate')).json();
      expect(res).toMatchObject({ total: 5, items: [{ line: 2, column: '人员规模', value: '很多人' }] });
    });
  });
}
