import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, makeContext, type ServiceContext } from '../../src/services/context.ts';
import {
  discardImportJob,
  discardStaleUploads,
  getImportJob,
  listImportJobs,
  startImport,
  uploadTtlMs,
} from '../../src/services/import-prospects.ts';
import { ImportRunner, UPLOAD_SWEEP_MS } from '../../src/services/import-runner.ts';
import { updateImportJob } from '../../src/storage/repositories/imports.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';
import { storeUpload } from '../helpers/uploads.ts';

// Uploads nobody started (the wizard left after the upload): whoever may see one can discard it, the job and its
// file; the import runner removes those older than $TIERLINE_UPLOAD_TTL_HOURS (default 24 h) by itself. A job
// that was started is never removed by that; of those, only a failed one may be discarded (import-retention.test.ts).
// Time is the contexts' clocks, never a sleep.

const HOUR = 3_600_000;
const CSV = '企业名称,所属城市\r\n甲有限公司,深圳市\r\n';

for (const dialect of DIALECTS) {
  describe(`discarding uploads never started on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let dir: string;
    const previousDir = process.env.TIERLINE_IMPORT_DIR;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-discard-'));
      process.env.TIERLINE_IMPORT_DIR = dir;
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
    });
    beforeEach(async () => {
      await tdb.db.kysely.deleteFrom('import_jobs').execute();
    });
    afterAll(async () => {
      await tdb.cleanup();
      if (previousDir === undefined) delete process.env.TIERLINE_IMPORT_DIR;
      else process.env.TIERLINE_IMPORT_DIR = previousDir;
      rmSync(dir, { recursive: true, force: true });
    });

    const as = (user: SeededUser, at = FIXED_NOW): ServiceContext =>
      makeContext(
        tdb.db,
        { userId: user.id, role: user.role, teamId: user.teamId } satisfies Actor,
        () => at,
      );

    /** An upload by `user` at `at`, as POST /api/imports stores it: the file under the imports folder, the job. */
    const upload = (user: SeededUser, at = FIXED_NOW) => storeUpload(as(user, at), at, CSV);

    const exists = async (id: string) =>
      (await tdb.db.kysely.selectFrom('import_jobs').select('id').where('id', '=', id).executeTakeFirst()) !==
      undefined;

    it('lets whoever may see an upload never started discard it with its file, and no one else', async () => {
      const mine = await upload(people.rep);
      expect((await getImportJob(as(people.rep), mine.id)).state).toBe('uploaded');
      // Another team's rep and manager do not see it: 404, as for a job that does not exist.
      await expect(discardImportJob(as(people.otherRep), mine.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(discardImportJob(as(people.otherManager), mine.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(await exists(mine.id)).toBe(true);
      expect(existsSync(mine.path)).toBe(true);

      await discardImportJob(as(people.rep), mine.id);
      expect(await exists(mine.id)).toBe(false);
      expect(existsSync(mine.path)).toBe(false);
      expect((await listImportJobs(as(people.rep))).map((j) => j.id)).not.toContain(mine.id);
      await expect(discardImportJob(as(people.rep), mine.id)).rejects.toMatchObject({ code: 'not_found' });
      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select(['user_id', 'action'])
        .where('entity', '=', 'import_job')
        .where('entity_id', '=', mine.id)
        .execute();
      expect(audit).toEqual([{ user_id: people.rep.id, action: 'discard' }]);

      // The rep's manager and an admin may discard it too (they see it in their recent imports).
      const forManager = await upload(people.rep);
      await discardImportJob(as(people.manager), forManager.id);
      const forAdmin = await upload(people.mate);
      await discardImportJob(as(people.admin), forAdmin.id);
      expect(await exists(forManager.id)).toBe(false);
      expect(await exists(forAdmin.id)).toBe(false);
      expect(existsSync(forAdmin.path)).toBe(false);
    });

    // A failed import may be discarded (test/services/import-retention.test.ts).
    it('refuses to discard a job queued, running or done: 409, file kept', async () => {
      const started = await upload(people.rep);
      await startImport(as(people.rep), started.id, { source: { name: 'discard test', kind: 'free' } });
      expect((await getImportJob(as(people.rep), started.id)).state).toBe('queued');
      await expect(discardImportJob(as(people.rep), started.id)).rejects.toMatchObject({
        code: 'conflict',
        details: { state: 'queued' },
      });
      for (const status of ['running', 'succeeded'] as const) {
        await updateImportJob(tdb.db.kysely, started.id, {
          status,
          phase: status === 'running' ? 'reading' : 'done',
        });
        await expect(discardImportJob(as(people.admin), started.id)).rejects.toMatchObject({
          code: 'conflict',
          details: { state: status },
        });
      }
      expect(await exists(started.id)).toBe(true);
      expect(existsSync(started.path)).toBe(true);
    });

    it('removes uploads never started once older than the time to live, files included, nothing else', async () => {
      const old = await upload(people.rep);
      const oldOfManager = await upload(people.manager, new Date(FIXED_NOW.getTime() + HOUR));
      const fresh = await upload(people.rep, new Date(FIXED_NOW.getTime() + 20 * HOUR));
      const startedOld = await upload(people.rep);
      await startImport(as(people.rep), startedOld.id, { source: { name: 'discard test', kind: 'free' } });
      const failedOld = await upload(people.mate);
      await updateImportJob(tdb.db.kysely, failedOld.id, { status: 'failed', phase: 'done' });

      // 24 hours after the first upload, to the millisecond: not older than 24 hours yet.
      const day = new Date(FIXED_NOW.getTime() + 24 * HOUR);
      expect(await discardStaleUploads(tdb.db, () => day)).toEqual([]);
      const later = new Date(FIXED_NOW.getTime() + 25 * HOUR + 1);
      expect((await discardStaleUploads(tdb.db, () => later)).sort()).toEqual(
        [old.id, oldOfManager.id].sort(),
      );
      for (const gone of [old, oldOfManager]) {
        expect(await exists(gone.id)).toBe(false);
        expect(existsSync(gone.path)).toBe(false);
      }
      for (const kept of [fresh, startedOld, failedOld]) {
        expect(await exists(kept.id)).toBe(true);
        expect(existsSync(kept.path)).toBe(true);
      }
      const audit = await tdb.db.kysely
        .selectFrom('audit_log')
        .select(['user_id', 'action', 'at'])
        .where('entity', '=', 'import_job')
        .where('entity_id', '=', old.id)
        .execute();
      expect(audit).toEqual([{ user_id: null, action: 'expire', at: later.toISOString() }]);
      // Nothing more until the fresh one is old enough.
      expect(await discardStaleUploads(tdb.db, () => later)).toEqual([]);
      expect(await discardStaleUploads(tdb.db, () => new Date(FIXED_NOW.getTime() + 44 * HOUR + 1))).toEqual([
        fresh.id,
      ]);
    });

    it('lists an upload never started until it expires, says when, and not until the runner next tidies', async () => {
      const left = await upload(people.rep);
      const failed = await upload(people.rep);
      await updateImportJob(tdb.db.kysely, failed.id, { status: 'failed', phase: 'done' });
      const listed = async (user: SeededUser, hours: number) =>
        listImportJobs(as(user, new Date(FIXED_NOW.getTime() + hours * HOUR)));

      const day = await listed(people.rep, 24);
      expect(day.find((j) => j.id === left.id)).toMatchObject({
        state: 'uploaded',
        expiresAt: new Date(FIXED_NOW.getTime() + 24 * HOUR).toISOString(),
      });
      expect(day.find((j) => j.id === failed.id)?.expiresAt).toBeNull();
      // Past its time to live the upload leaves the list at once (its manager's too), while the job waits for the
      // runner's next look (hourly) to be removed with its file; a job that started stays listed.
      for (const user of [people.rep, people.manager]) {
        const later = (await listed(user, 24 + 1 / 3600)).map((j) => j.id);
        expect(later).not.toContain(left.id);
        expect(later).toContain(failed.id);
      }
      expect(await exists(left.id)).toBe(true);
      // Its owner may still open it by its link, or discard it.
      expect((await getImportJob(as(people.rep), left.id)).state).toBe('uploaded');
    });

    it('takes the time to live from TIERLINE_UPLOAD_TTL_HOURS (default 24 hours)', async () => {
      expect(uploadTtlMs({})).toBe(24 * HOUR);
      expect(uploadTtlMs({ TIERLINE_UPLOAD_TTL_HOURS: '' })).toBe(24 * HOUR);
      expect(uploadTtlMs({ TIERLINE_UPLOAD_TTL_HOURS: '2' })).toBe(2 * HOUR);
      expect(uploadTtlMs({ TIERLINE_UPLOAD_TTL_HOURS: '0.5' })).toBe(HOUR / 2);
      const previous = process.env.TIERLINE_UPLOAD_TTL_HOURS;
      process.env.TIERLINE_UPLOAD_TTL_HOURS = '2';
      try {
        const job = await upload(people.rep);
        const at = (hours: number) => () => new Date(FIXED_NOW.getTime() + hours * HOUR);
        expect(await discardStaleUploads(tdb.db, at(1.5))).toEqual([]);
        expect(await discardStaleUploads(tdb.db, at(2.5))).toEqual([job.id]);
      } finally {
        if (previous === undefined) delete process.env.TIERLINE_UPLOAD_TTL_HOURS;
        else process.env.TIERLINE_UPLOAD_TTL_HOURS = previous;
      }
    });

    it('has the import runner remove them when it starts, then once an hour on its clock', async () => {
      let clock = new Date(FIXED_NOW.getTime() + 30 * HOUR);
      const old = await upload(people.rep);
      const runner = new ImportRunner(tdb.db, { now: () => clock, pollMs: 60_000 });
      try {
        runner.start();
        await runner.idle();
        expect(await exists(old.id)).toBe(false);
        expect(existsSync(old.path)).toBe(false);

        // Uploaded 25 hours before the runner's now, but the runner looked less than an hour ago.
        const next = await upload(people.rep, new Date(clock.getTime() - 25 * HOUR));
        clock = new Date(clock.getTime() + UPLOAD_SWEEP_MS - 1);
        runner.kick();
        await runner.idle();
        expect(await exists(next.id)).toBe(true);
        clock = new Date(clock.getTime() + 1);
        runner.kick();
        await runner.idle();
        expect(await exists(next.id)).toBe(false);
        expect(existsSync(next.path)).toBe(false);
      } finally {
        await runner.stop();
      }
    });
  });
}
