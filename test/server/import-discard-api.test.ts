import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { importRunnerFor } from '../../src/services/import-runner.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople, signIn } from '../helpers/session.ts';
import { multipart } from '../helpers/uploads.ts';

// DELETE /api/imports/:id discards an upload that was never started or an import that failed (the job and its
// file), 409 for one queued, running or done; the server's import runner removes uploads never started after
// TIERLINE_UPLOAD_TTL_HOURS, and the files of failed imports after TIERLINE_FAILED_IMPORT_TTL_DAYS (the job stays,
// no longer retryable), on the app's clock.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CSV = Buffer.from('企业名称,所属城市\r\n甲有限公司,深圳市\r\n');
/** No column the import takes for the company name: it starts, then fails as it runs. */
const NO_NAME_CSV = Buffer.from('x,y\r\n甲有限公司,深圳市\r\n');

for (const dialect of DIALECTS) {
  describe(`discarding uploads through the API on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let dir: string;
    let clock = FIXED_NOW;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-discard-api-'));
      process.env.TIERLINE_IMPORT_DIR = dir;
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: () => clock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
      delete process.env.TIERLINE_IMPORT_DIR;
      rmSync(dir, { recursive: true, force: true });
    });

    const headersOf = async (user: SeededUser) => (await signIn(app, user)).headers;
    const filePath = async (id: string) =>
      (
        await tdb.db.kysely
          .selectFrom('import_jobs')
          .select('file_path')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).file_path as string;

    async function upload(headers: Record<string, string>, csv = CSV): Promise<{ id: string; path: string }> {
      const body = multipart('abandoned.csv', csv, 'text/csv');
      const res = await app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: body.payload,
        headers: { ...headers, ...body.headers },
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      return { id, path: await filePath(id) };
    }

    it('discards an upload never started, with its file; 404 for others; 409 once started', async () => {
      const rep = await headersOf(people.rep);
      const job = await upload(rep);
      expect(existsSync(job.path)).toBe(true);
      const del = (headers: Record<string, string>, id = job.id) =>
        app.inject({ method: 'DELETE', url: `/api/imports/${id}`, headers });

      const other = await del(await headersOf(people.otherRep));
      expect(other.statusCode, other.body).toBe(404);
      const gone = await del(rep);
      expect(gone.statusCode, gone.body).toBe(204);
      expect(existsSync(job.path)).toBe(false);
      expect(
        (await app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: rep })).statusCode,
      ).toBe(404);
      const list = await app.inject({ method: 'GET', url: '/api/imports', headers: rep });
      expect(list.json().items.map((j: { id: string }) => j.id)).not.toContain(job.id);
      expect((await del(rep)).statusCode).toBe(404);

      const started = await upload(rep);
      const start = await app.inject({
        method: 'POST',
        url: `/api/imports/${started.id}/start`,
        headers: rep,
        payload: { source: { name: 'discard api', kind: 'free' } },
      });
      expect(start.statusCode, start.body).toBe(202);
      await importRunnerFor(tdb.db)?.idle();
      const refused = await del(rep, started.id);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error).toMatchObject({ code: 'conflict', details: { state: 'succeeded' } });
      expect(refused.json().error.message).toMatch(
        /only an upload that was never started or an import that failed can be discarded/,
      );
      const refusedZh = await app.inject({
        method: 'DELETE',
        url: `/api/imports/${started.id}`,
        headers: { ...rep, 'accept-language': 'zh-CN' },
      });
      expect(refusedZh.json().error.message).toMatch(/只有上传后尚未开始或导入失败的任务才能丢弃/);
      expect(
        (await app.inject({ method: 'GET', url: `/api/imports/${started.id}`, headers: rep })).json().state,
      ).toBe('succeeded');
    });

    it("removes uploads left unstarted for 24 hours by itself, on the app's clock", async () => {
      const manager = await headersOf(people.manager);
      const abandoned = await upload(manager);
      const runner = importRunnerFor(tdb.db);
      expect(runner).toBeDefined();
      // A day later to the hour: still kept.
      clock = new Date(FIXED_NOW.getTime() + 24 * HOUR);
      runner?.kick();
      await runner?.idle();
      expect(existsSync(abandoned.path)).toBe(true);
      // Two hours after that (the runner looks at most once an hour): removed, file included.
      clock = new Date(FIXED_NOW.getTime() + 26 * HOUR);
      runner?.kick();
      await runner?.idle();
      expect(existsSync(abandoned.path)).toBe(false);
      const again = await headersOf(people.manager);
      const res = await app.inject({ method: 'GET', url: `/api/imports/${abandoned.id}`, headers: again });
      expect(res.statusCode).toBe(404);
    });

    it('discards a failed import; the runner removes the file of one failed 7 days ago, keeping the job', async () => {
      const rep = await headersOf(people.rep);
      const runner = importRunnerFor(tdb.db);
      const failedAt = clock;
      const fail = async () => {
        const job = await upload(rep, NO_NAME_CSV);
        const start = await app.inject({
          method: 'POST',
          url: `/api/imports/${job.id}/start`,
          headers: rep,
          payload: { source: { name: `failing ${job.id}`, kind: 'free' } },
        });
        expect(start.statusCode, start.body).toBe(202);
        await runner?.idle();
        return job;
      };
      const get = async (id: string, headers = rep) =>
        app.inject({ method: 'GET', url: `/api/imports/${id}`, headers });

      const discarded = await fail();
      expect((await get(discarded.id)).json()).toMatchObject({
        state: 'failed',
        retryable: true,
        fileExpiredAt: null,
      });
      const del = await app.inject({ method: 'DELETE', url: `/api/imports/${discarded.id}`, headers: rep });
      expect(del.statusCode, del.body).toBe(204);
      expect(existsSync(discarded.path)).toBe(false);
      expect((await get(discarded.id)).statusCode).toBe(404);

      const kept = await fail();
      const before = (await get(kept.id)).json();
      expect(before.error).toMatch(/company name/);
      // Seven days and two hours later (the runner looks at most once an hour): the file goes, the job stays.
      clock = new Date(failedAt.getTime() + 7 * DAY + 2 * HOUR);
      runner?.kick();
      await runner?.idle();
      expect(existsSync(kept.path)).toBe(false);
      const after = await get(kept.id, await headersOf(people.rep));
      expect(after.json()).toEqual({ ...before, fileExpiredAt: clock.toISOString(), retryable: false });
      const retry = await app.inject({
        method: 'POST',
        url: `/api/imports/${kept.id}/start`,
        headers: { ...(await headersOf(people.rep)), 'accept-language': 'zh-CN' },
        payload: { source: { name: 'again', kind: 'free' } },
      });
      expect(retry.statusCode, retry.body).toBe(422);
      expect(retry.json().error).toMatchObject({ details: { problem: 'file_expired' } });
      expect(retry.json().error.message).toMatch(/上传的文件已于 \d{4}-\d{2}-\d{2} 删除/);
    });
  });
}
