import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { importRunnerFor } from '../../src/services/import-runner.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { buildXlsx, row, s } from '../fixtures/build-xlsx.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';
import { multipart } from '../helpers/uploads.ts';

// SQL injection and LIKE wildcards in search and filter inputs (accounts list, playbook search, import
// endpoints): only the legitimate matches come back, never a 500. Uploads: over the limit → 413 with a clear
// message (also when streamed without a length), an .xlsx zip bomb → 413 naming the part, a CSV with bytes that
// are not text → rows rejected or warned about by line in the preview and the report.

const ATTACKS = [
  "' or 1=1 --",
  "' OR '1'='1",
  "'; drop table accounts; --",
  '" or ""="',
  '%',
  '%%',
  '_',
  '__',
  '\\',
  '\\%',
  "'",
  '"',
  '\u0000',
  'a\u0000b',
  '*',
  ') or (1=1',
  '1; select * from users',
];

/** Account names with the characters the attacks use, so that some attacks have real matches. */
const NAMES = [
  '百分之百 100% steel co',
  'under_score trading',
  'back\\slash imports',
  "o'brien machinery",
  'quote "q" electronics',
  "x' or 1=1 -- holdings",
  'plain name manufacturing',
  '深圳市华信电子科技有限公司',
];

for (const dialect of DIALECTS) {
  describe(`injection and hostile uploads on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Session;
    let dir: string;
    const ids = new Map<string, string>();

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-hostile-uploads-'));
      process.env.TIERLINE_IMPORT_DIR = dir;
      process.env.TIERLINE_UPLOAD_LIMIT_MB = '1';
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      delete process.env.TIERLINE_UPLOAD_LIMIT_MB;
      people = await seedPeople(tdb.db);
      admin = await signIn(app, people.admin);
      for (const name of NAMES) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/accounts',
          headers: admin.headers,
          payload: makeAccountInput({ name }),
        });
        expect(res.statusCode, res.body).toBe(201);
        ids.set(name, res.json().id);
      }
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
      delete process.env.TIERLINE_IMPORT_DIR;
      rmSync(dir, { recursive: true, force: true });
    });

    const get = (url: string) => app.inject({ method: 'GET', url, headers: admin.headers });

    it('accounts list: each attack finds exactly the names that contain it, literally', async () => {
      for (const attack of ATTACKS) {
        const res = await get(`/api/accounts?pageSize=100&search=${encodeURIComponent(attack)}`);
        expect(res.statusCode, `${JSON.stringify(attack)}: ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.json().error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
          continue;
        }
        const found = (res.json().items as { name: string }[]).map((a) => a.name).sort();
        const term = attack.trim();
        const expected = NAMES.filter((name) => term.length > 0 && name.includes(term)).sort();
        expect(found, JSON.stringify(attack)).toEqual(expected);
      }
      // The table is intact.
      const all = await get('/api/accounts?pageSize=100');
      expect(all.json().total).toBe(NAMES.length);
    });

    it('accounts list: hostile filter values never widen the result or fail the server', async () => {
      for (const attack of ATTACKS) {
        for (const key of [
          'province',
          'city',
          'industry',
          'ownerId',
          'sourceId',
          'tier',
          'stage',
          'sort',
          'order',
        ]) {
          const res = await get(`/api/accounts?${key}=${encodeURIComponent(attack)}`);
          expect(res.statusCode, `${key}=${JSON.stringify(attack)}: ${res.body}`).toBeLessThan(500);
          if (res.statusCode === 200) expect(res.json().total, `${key}=${JSON.stringify(attack)}`).toBe(0);
          else expect(res.json().error.code).toBe('bad_request');
        }
      }
    });

    it('playbook search: an attack matches only entries holding its words, and stored attacks are found', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/objections',
        headers: admin.headers,
        payload: {
          code: 'hostile-text',
          label: { zh: '注入测试', en: 'Injection test' },
          zh: "客户说：' or 1=1 -- 100% 预算_不够",
          en: "Customer says ' or 1=1 -- and 100% no budget",
          responses: [{ zh: '先确认预算范围', en: 'First confirm the budget range' }],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      for (const attack of ATTACKS) {
        const res = await get(`/api/objections/search?q=${encodeURIComponent(attack)}`);
        expect(res.statusCode, `${JSON.stringify(attack)}: ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.json().error.code).toBe('bad_request');
          continue;
        }
        const words = attack.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
        const result = res.json() as { hits: { objection: { id: string } }[] };
        if (words.length === 0) expect(result.hits, JSON.stringify(attack)).toEqual([]);
        for (const hit of result.hits) {
          const full = await get(`/api/objections/${hit.objection.id}`);
          const text = full.body.toLowerCase();
          for (const word of words)
            expect(text, `${JSON.stringify(attack)} → ${hit.objection.id}`).toContain(word);
        }
      }
      const mine = await get(`/api/objections/search?q=${encodeURIComponent("' or 1=1 --")}`);
      expect(mine.json().hits.map((h: { objection: { code: string } }) => h.objection.code)).toContain(
        'hostile-text',
      );
    });

    it('import endpoints: attacks in the mapping, the source name and the file name are data, not SQL', async () => {
      const csv = Buffer.from(
        "企业名称,所属城市\r\n注入测试'; drop table accounts; --有限公司,深圳市\r\n",
        'utf8',
      );
      const upload = multipart("list'; drop table import_jobs; --.csv", csv);
      const uploaded = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: { ...admin.headers, ...upload.headers },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const job = uploaded.json();
      expect(job.fileName).toBe("list'; drop table import_jobs; --.csv");
      for (const attack of ATTACKS) {
        const mapping = encodeURIComponent(JSON.stringify({ [attack]: 'name', 企业名称: 'name' }));
        const preview = await get(
          `/api/imports/${job.id}/preview?mapping=${mapping}&source=${encodeURIComponent(attack)}`,
        );
        expect(preview.statusCode, `${JSON.stringify(attack)}: ${preview.body}`).toBeLessThan(500);
        const other = await get(`/api/imports/${encodeURIComponent(attack)}/preview`);
        expect(other.statusCode, `${JSON.stringify(attack)}: ${other.body}`).toBeLessThan(500);
        expect(other.statusCode).toBeGreaterThanOrEqual(400);
      }
      const started = await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: admin.headers,
        payload: { source: { name: "vendor'; delete from accounts; --", kind: 'free' } },
      });
      expect(started.statusCode, started.body).toBe(202);
      await importRunnerFor(tdb.db)?.idle();
      const done = (await get(`/api/imports/${job.id}`)).json();
      expect(done.state, JSON.stringify(done)).toBe('succeeded');
      const sources = (await get('/api/sources')).json().items as { name: string; accounts: number }[];
      expect(sources.find((s) => s.name === "vendor'; delete from accounts; --")).toMatchObject({
        accounts: 1,
      });
      expect((await get('/api/accounts?pageSize=100')).json().total).toBe(NAMES.length + 1);
      expect((await get('/api/imports')).json().items.length).toBeGreaterThan(0);
    });

    it('uploads over the limit answer 413 with a clear message, also when streamed without a length', async () => {
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, 'name,city\r\n');
        })(),
      );
      const upload = multipart('streamed.csv', body);
      const res = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: { ...admin.headers, ...upload.headers },
      });
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().error).toMatchObject({
        code: 'payload_too_large',
        details: { problem: 'file_too_large' },
      });
      expect(res.json().error.message).toMatch(
        /larger than this server accepts \(1 MB; set TIERLINE_UPLOAD_LIMIT_MB/,
      );
    });

    it('an .xlsx zip bomb is refused with 413 naming the part, before it is unpacked', async () => {
      const unit = row(2, [s('A2', 1)]);
      const book = buildXlsx({
        sharedStrings: ['企业名称', '深圳市华信电子科技有限公司'],
        sheets: [{ name: 'S', sheetData: row(1, [s('A1', 0)]) + unit.repeat(400_000) }],
      });
      expect(book.length).toBeLessThan(1024 * 1024);
      // The directory says the sheet unpacks to 2 KB; it unpacks to ~12 MB.
      const name = Buffer.from('xl/worksheets/sheet1.xml');
      for (let at = book.indexOf(name); at !== -1; at = book.indexOf(name, at + 1)) {
        if (book.readUInt32LE(at - 46) === 0x02014b50) book.writeUInt32LE(2048, at - 46 + 24);
      }
      const upload = multipart('bomb.xlsx', book);
      const uploaded = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: { ...admin.headers, ...upload.headers },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const preview = await get(`/api/imports/${uploaded.json().id}/preview`);
      expect(preview.statusCode, preview.body).toBe(413);
      expect(preview.json().error).toMatchObject({
        code: 'payload_too_large',
        details: { problem: 'file_too_large', part: 'xl/worksheets/sheet1.xml' },
      });
      expect(preview.json().error.message).toMatch(/zip bomb/);
    });

    it('a CSV mixing UTF-8 and GBK rows: the GBK rows are rejected by line, in the preview and the report', async () => {
      // Mostly UTF-8 (so the file reads as UTF-8), with one row saved in GBK at line 5.
      const utf8Rows = [
        '杭州西溪数据服务有限公司,杭州市',
        '苏州工业园区创新材料有限公司,苏州市',
        '宁波北仑港务有限公司,宁波市',
      ];
      const csv = Buffer.concat([
        Buffer.from(`企业名称,所属城市\r\n${utf8Rows.join('\r\n')}\r\n`, 'utf8'),
        iconv.encode('南京江宁精密机械有限公司,南京市\r\n', 'gbk'),
        Buffer.from('无锡惠山新材料有限公司,无锡市\r\n深圳市华信电子科技有限公司,深圳市\r\n', 'utf8'),
      ]);
      const upload = multipart('mixed.csv', csv);
      const uploaded = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: { ...admin.headers, ...upload.headers },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const job = uploaded.json();
      const preview = (await get(`/api/imports/${job.id}/preview`)).json();
      expect(preview.detected.encoding).toBe('utf8');
      expect(preview.rows.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([
        [2, 'ok'],
        [3, 'ok'],
        [4, 'ok'],
        [5, 'rejected'],
        [6, 'ok'],
        [7, 'ok'],
      ]);
      expect(preview.rows[3].issues[0]).toMatchObject({ column: '企业名称', severity: 'error' });
      expect(preview.rows[3].issues[0].reason).toMatch(/mixes encodings/);
      const started = await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: admin.headers,
        payload: { source: { name: 'mixed encodings', kind: 'free' } },
      });
      expect(started.statusCode, started.body).toBe(202);
      await importRunnerFor(tdb.db)?.idle();
      const done = (await get(`/api/imports/${job.id}`)).json();
      expect(done).toMatchObject({ state: 'succeeded' });
      expect(JSON.stringify(done)).toMatch(/"rejected":1/);
      const rejects = await get(`/api/imports/${job.id}/rejects`);
      expect(rejects.statusCode).toBe(200);
      expect(rejects.body).toMatch(/,5,.*mixes encodings/);
    });
  });
}
