import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { importRunnerFor } from '../../src/services/import-runner.ts';
import { csvText, VENDOR_HEADER, vendorRow } from '../fixtures/vendor-csv.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';
import { multipart } from '../helpers/uploads.ts';

// The owner of the accounts an import creates, through the API as the web wizard sends it (POST …/start
// `ownerId`), and the Accounts list's `unassigned` filter. The audit's case first: a manager imports the S&P 500
// list (no place, so in no territory) and must see every account it created on GET /api/accounts.

const SP500_ZH = readFileSync('/work/shared/testdata/external/firmographics/sp500-zh/constituents.csv');
const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`owner of imported accounts through the API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let dir: string;
    const sessions: Record<string, Session> = {};
    let seq = 0;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-import-owner-api-'));
      process.env.TIERLINE_IMPORT_DIR = dir;
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      for (const who of ['rep', 'mate', 'otherRep', 'manager', 'otherManager', 'admin'] as const)
        sessions[who] = await signIn(app, people[who]);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
      delete process.env.TIERLINE_IMPORT_DIR;
      rmSync(dir, { recursive: true, force: true });
    });

    const as = (who: string) => (sessions[who] as Session).headers;

    const upload = async (who: string, name: string, content: Buffer) => {
      const body = multipart(name, content);
      const res = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: body.payload,
        headers: { ...as(who), ...body.headers },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; state: string; createdAt: string; expiresAt: string | null };
    };
    const start = (who: string, id: string, extra: Record<string, unknown> = {}) =>
      app.inject({
        method: 'POST',
        url: `/api/imports/${id}/start`,
        headers: as(who),
        payload: { source: { name: `list ${id}`, kind: 'free' }, ...extra },
      });
    const finished = async (who: string, id: string) => {
      await importRunnerFor(tdb.db)?.idle();
      const res = await app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: as(who) });
      const job = res.json();
      expect(job.state, job.error).toBe('succeeded');
      return job as { sourceId: string; counts: { created: number }; owner?: unknown; expiresAt: unknown };
    };
    const total = async (who: string, query: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/accounts?${query}&pageSize=1`,
        headers: as(who),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().total as number;
    };
    /** Two new companies: one in 广东省 (the rep's territory), one with no place. */
    const twoCompanies = () => {
      seq += 1;
      return Buffer.from(
        csvText([
          VENDOR_HEADER,
          vendorRow(`广州第${seq}号科技有限公司`, makeUscc(8000 + seq * 2), '广东省', '广州市'),
          vendorRow(`无地址第${seq}号有限公司`, makeUscc(8001 + seq * 2), '', ''),
        ]),
      );
    };

    it("answers a manager's import with the manager as owner, and the manager sees every account it created", async () => {
      const job = await upload('manager', 'constituents.csv', SP500_ZH);
      // An upload not started: no owner chosen yet, and when the server removes it (TIERLINE_UPLOAD_TTL_HOURS).
      expect(job.state).toBe('uploaded');
      expect(job).not.toHaveProperty('owner');
      expect(job.expiresAt).toBe(new Date(FIXED_NOW.getTime() + 24 * HOUR).toISOString());
      const started = await start('manager', job.id);
      expect(started.statusCode, started.body).toBe(202);
      expect(started.json().owner).toEqual({ id: people.manager.id, name: people.manager.name });
      expect(started.json().expiresAt).toBeNull();
      const done = await finished('manager', job.id);
      expect(done.counts.created).toBeGreaterThan(500);
      const source = `sourceId=${done.sourceId}`;
      expect(await total('manager', source)).toBe(done.counts.created);
      expect(await total('otherManager', source)).toBe(0);
      expect(await total('otherRep', source)).toBe(0);
      expect(await total('admin', `${source}&unassigned=true`)).toBe(0);
      expect(await total('admin', `${source}&ownerId=${people.manager.id}`)).toBe(done.counts.created);
    });

    it('refuses an owner the starter may not name, and the upload stays to be started with a right one', async () => {
      const job = await upload('manager', 'for-a-rep.csv', twoCompanies());
      for (const ownerId of [null, people.otherRep.id]) {
        const refused = await start('manager', job.id, { ownerId });
        expect(refused.statusCode, refused.body).toBe(403);
        expect(refused.json().error).toMatchObject({ code: 'forbidden', details: { field: 'ownerId' } });
      }
      // In the reader's language.
      const zh = await app.inject({
        method: 'POST',
        url: `/api/imports/${job.id}/start`,
        headers: { ...as('manager'), 'accept-language': 'zh-CN' },
        payload: { source: { name: 'x', kind: 'free' }, ownerId: null },
      });
      expect(zh.json().error.message).toMatch(/^ownerId: 经理导入时/);
      const again = await start('manager', job.id, { ownerId: people.rep.id });
      expect(again.statusCode, again.body).toBe(202);
      const done = await finished('manager', job.id);
      expect(done.owner).toEqual({ id: people.rep.id, name: people.rep.name });
      const source = `sourceId=${done.sourceId}`;
      expect(await total('rep', source)).toBe(2);
      expect(await total('manager', source)).toBe(2);
      expect(await total('otherRep', source)).toBe(0);
      expect(await total('otherManager', source)).toBe(0);

      // A rep may name only themselves.
      const reps = await upload('rep', 'mine.csv', twoCompanies());
      const byRep = await start('rep', reps.id, { ownerId: people.mate.id });
      expect(byRep.statusCode, byRep.body).toBe(403);
    });

    it("leaves an admin's import without owner when asked, and ?unassigned=true lists what each may see of those", async () => {
      const job = await upload('admin', 'admin.csv', twoCompanies());
      const started = await start('admin', job.id, { ownerId: null });
      expect(started.statusCode, started.body).toBe(202);
      const done = await finished('admin', job.id);
      expect(done.owner).toBeNull();
      const source = `sourceId=${done.sourceId}`;
      expect(await total('admin', `${source}&unassigned=true`)).toBe(2);
      expect(await total('admin', `${source}&unassigned=false`)).toBe(0);
      // The 广东 one lies in the rep's territory: the rep and their manager see it; nobody else.
      expect(await total('manager', `${source}&unassigned=true`)).toBe(1);
      expect(await total('rep', `${source}&unassigned=true`)).toBe(1);
      for (const who of ['mate', 'otherRep', 'otherManager'])
        expect(await total(who, `${source}&unassigned=true`), who).toBe(0);
    });
  });
}
