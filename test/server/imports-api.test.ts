import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { importRunnerFor } from '../../src/services/import-runner.ts';
import { badUscc, csvText, VENDOR_HEADER } from '../fixtures/vendor-csv.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';
import { multipart } from '../helpers/uploads.ts';

const vendorFile = () =>
  iconv.encode(
    csvText([
      VENDOR_HEADER,
      [
        '深圳市华信电子科技有限公司',
        makeUscc(501),
        '广东省',
        '深圳市',
        '南山区',
        '100-499人',
        '3500万',
        '500',
        '面议',
        '13800138000',
        '',
        'huaxin.com.cn',
        '张伟',
        '',
        '',
      ],
      ['', makeUscc(502), '广东省', '深圳市', '', '', '', '', '', '', '', '', '', '', ''],
      ['广州坏码有限公司', badUscc(503), '广东省', '广州市', '', '', '', '', '', '', '', '', '', '', ''],
      ['深圳市华信电子科技股份有限公司', '', '广东省', '深圳市', '', '', '', '', '', '', '', '', '', '', ''],
    ]),
    'gbk',
  );

for (const dialect of DIALECTS) {
  describe(`imports API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    const sessions: Record<string, Session> = {};

    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-imports-api-'));
      // Uploads go under the test's folder, not ./data/imports.
      process.env.TIERLINE_IMPORT_DIR = dir;
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      for (const who of ['rep', 'otherRep', 'manager', 'otherManager', 'admin'] as const) {
        sessions[who] = await signIn(app, people[who]);
      }
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
      delete process.env.TIERLINE_IMPORT_DIR;
      rmSync(dir, { recursive: true, force: true });
    });

    const as = (who: string) => (sessions[who] as Session).headers;

    it('upload → preview → start → progress → result → rejected rows', async () => {
      const upload = multipart('企查查导出.csv', vendorFile(), 'text/csv');
      const uploaded = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: { ...as('rep'), ...upload.headers },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const job = uploaded.json();
      expect(job).toMatchObject({ state: 'uploaded', fileName: '企查查导出.csv', origin: 'api' });

      const preview = await app.inject({
        method: 'GET',
        url: `/api/imports/${job.id}/preview`,
        headers: as('rep'),
      });
      expect(preview.statusCode, preview.body).toBe(200);
      const p = preview.json();
      expect(p.detected).toMatchObject({ kind: 'delimited', encoding: 'gb18030', delimiter: ',' });
      expect(p.headers).toEqual(VENDOR_HEADER);
      expect(p.mapping.find((m: { header: string }) => m.header === '注册资本(万元)')).toMatchObject({
        field: 'registeredCapital',
        scale: 10000,
      });
      expect(p.mapping.find((m: { header: string }) => m.header === '备注')).toMatchObject({ field: null });
      expect(p.rows).toHaveLength(4);
      expect(p.rows[0]).toMatchObject({
        line: 2,
        status: 'warning',
        values: {
          name: '深圳市华信电子科技有限公司',
          annualSales: 35_000_000,
          registeredCapital: 5_000_000,
          employeesMin: 100,
        },
        issues: [{ column: '净资产', value: '面议', severity: 'warning' }],
      });
      expect(p.rows[1]).toMatchObject({
        status: 'rejected',
        issues: [{ column: '企业名称', severity: 'error' }],
      });
      expect(p.rows[2].issues[0].reason).toMatch(/check character/);
      // A Chinese reader gets the reasons in Chinese (import/reason-zh.ts), the rest of the preview unchanged.
      const previewZh = await app.inject({
        method: 'GET',
        url: `/api/imports/${job.id}/preview`,
        headers: { ...as('rep'), 'accept-language': 'zh-CN,zh;q=0.9' },
      });
      const pZh = previewZh.json();
      expect(pZh.rows[0].issues[0].reason).toBe('应为金额，如 3500万、1.2亿 或 1,234,567（读到的是“面议”）');
      expect(pZh.rows[1].issues[0].reason).toBe('企业名称为空；每一行都必须有企业名称');
      // The issue names its column; the reason says only what is wrong, once.
      expect(pZh.rows[2].issues[0]).toMatchObject({ column: '统一社会信用代码' });
      expect(pZh.rows[2].issues[0].reason).toMatch(/^校验码不符：应为 .+，实际为 .+$/);
      expect({ ...pZh, rows: null }).toEqual({ ...p, rows: null });

      // The wizard edits the mapping: 备注 stays a custom field, 官网 is ignored as website.
      const started = await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: as('rep'),
        payload: { source: { name: '企查查', kind: 'purchased', cost: 1200 }, mapping: { 官网: null } },
      });
      expect(started.statusCode, started.body).toBe(202);
      expect(started.json().state).toBe('queued');
      await importRunnerFor(tdb.db)?.idle();

      const status = await app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: as('rep') });
      expect(status.statusCode).toBe(200);
      expect(status.json()).toMatchObject({
        state: 'succeeded',
        phase: 'done',
        progress: { processedRows: 4, totalRows: 4, fraction: 1 },
        counts: { rows: 4, created: 1, merged: 1, rejected: 2, warnings: 1 },
        report: { duplicatesInFile: 1 },
      });
      const account = await tdb.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('uscc', '=', makeUscc(501))
        .executeTakeFirstOrThrow();
      expect(account.owner_id).toBe(people.rep.id);
      expect(account.website_domain).toBeNull();
      expect(JSON.parse(account.custom_fields)).toMatchObject({ 官网: 'huaxin.com.cn' });

      const rejects = await app.inject({
        method: 'GET',
        url: `/api/imports/${job.id}/rejects`,
        headers: as('rep'),
      });
      expect(rejects.statusCode).toBe(200);
      expect(rejects.headers['content-type']).toMatch(/^text\/csv/);
      expect(rejects.headers['content-disposition']).toContain(encodeURIComponent('企查查导出-rejected.csv'));
      const lines = rejects.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe(`${VENDOR_HEADER.join(',')},line,reason,original`);
      expect(lines.slice(1).map((l) => /,(\d+),(?:"[^"]*"|[^,]*),$/.exec(l)?.[1])).toEqual(['3', '4']);
      expect(lines[1]).toMatch(/,3,企业名称: the company name is empty; every row needs one,$/);
      // The web's link asks for the reasons in the UI's language; the headers stay, so the fixed file re-imports.
      const rejectsZh = (
        await app.inject({
          method: 'GET',
          url: `/api/imports/${job.id}/rejects?lang=zh-CN`,
          headers: as('rep'),
        })
      ).body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(rejectsZh[0]).toBe(lines[0]);
      expect(rejectsZh[1]).toMatch(/,3,企业名称：企业名称为空；每一行都必须有企业名称,$/);
      // The column once, the reason in one language.
      expect(rejectsZh[2]).toMatch(/,4,"?统一社会信用代码：校验码不符：应为 .+，实际为 [^，]+"?,$/);

      // Visible to the creator, their manager and admins; nobody else (404, not 403).
      for (const who of ['manager', 'admin']) {
        expect(
          (await app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: as(who) })).statusCode,
        ).toBe(200);
      }
      for (const who of ['otherRep', 'otherManager']) {
        expect(
          (await app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: as(who) })).statusCode,
        ).toBe(404);
        expect(
          (await app.inject({ method: 'GET', url: `/api/imports/${job.id}/rejects`, headers: as(who) }))
            .statusCode,
        ).toBe(404);
        const list = (await app.inject({ method: 'GET', url: '/api/imports', headers: as(who) })).json();
        expect(list.items.map((j: { id: string }) => j.id)).not.toContain(job.id);
      }
      const mine = (await app.inject({ method: 'GET', url: '/api/imports', headers: as('manager') })).json();
      expect(mine.items.map((j: { id: string }) => j.id)).toContain(job.id);

      const sources = (await app.inject({ method: 'GET', url: '/api/sources', headers: as('rep') })).json();
      expect(sources.items.find((s: { name: string }) => s.name === '企查查')).toMatchObject({
        cost: 1200,
        accounts: 1,
      });
    });

    it('refuses to start twice and checks the mapping before anything runs', async () => {
      const upload = multipart('list.csv', Buffer.from('企业名称,城市\r\n某某有限公司,上海\r\n'), 'text/csv');
      const job = (
        await app.inject({
          method: 'POST',
          url: '/api/imports',
          payload: upload.payload,
          headers: { ...as('admin'), ...upload.headers },
        })
      ).json();
      const bad = await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: as('admin'),
        payload: { source: { name: 'x', kind: 'free' }, mapping: { 没有这列: 'name' } },
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.message).toMatch(/没有这列/);
      const ok = await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: as('admin'),
        payload: { source: { name: 'x', kind: 'free' } },
      });
      expect(ok.statusCode).toBe(202);
      await importRunnerFor(tdb.db)?.idle();
      const again = await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: as('admin'),
        payload: { source: { name: 'x', kind: 'free' } },
      });
      expect(again.statusCode).toBe(409);
    });

    it('needs a signed-in user', async () => {
      const upload = multipart('list.csv', Buffer.from('企业名称\r\n某某有限公司\r\n'), 'text/csv');
      const res = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: upload.headers,
      });
      expect(res.statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/imports' })).statusCode).toBe(401);
    });

    it('answers 413 in the error shape beyond the upload limit', async () => {
      const previous = process.env.TIERLINE_UPLOAD_LIMIT_MB;
      process.env.TIERLINE_UPLOAD_LIMIT_MB = '1';
      const small = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      try {
        const session = await signIn(small, people.admin);
        const big = Buffer.alloc(1.5 * 1024 * 1024, 'a,b\r\n');
        const upload = multipart('big.csv', big, 'text/csv');
        const res = await small.inject({
          method: 'POST',
          url: '/api/imports',
          payload: upload.payload,
          headers: { ...session.headers, ...upload.headers },
        });
        expect(res.statusCode).toBe(413);
        expect(res.json().error).toMatchObject({ code: 'payload_too_large' });
        expect(res.json().error.message).toMatch(/TIERLINE_UPLOAD_LIMIT_MB/);
        const huge = multipart('huge.csv', Buffer.alloc(3 * 1024 * 1024, 'a'), 'text/csv');
        const declared = await small.inject({
          method: 'POST',
          url: '/api/imports',
          payload: huge.payload,
          headers: { ...session.headers, ...huge.headers },
        });
        expect(declared.statusCode).toBe(413);
      } finally {
        if (previous === undefined) delete process.env.TIERLINE_UPLOAD_LIMIT_MB;
        else process.env.TIERLINE_UPLOAD_LIMIT_MB = previous;
        await small.close();
      }
    });
  });
}
