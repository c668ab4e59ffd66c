import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import {
  discardImportJob,
  expireFailedImportFiles,
  failedImportTtlMs,
  getImportJob,
  importFile,
  listImportJobs,
  runImportJob,
  startImport,
  sweepOrphanUploads,
  UPLOADS_OWNER_FILE,
  uploadsDir,
} from '../../src/services/import-prospects.ts';
import { ImportRunner } from '../../src/services/import-runner.ts';
import { newId } from '../../src/storage/ids.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';
import { type People, type SeededUser, seedPeople } from '../helpers/session.ts';
import { storeUpload } from '../helpers/uploads.ts';

// Housekeeping of import jobs and their files (docs/deploy.md, Settings). A failed import can be run again while
// its uploaded file is kept, or discarded (the job and its file); the import runner removes the file of one that
// failed more than $TIERLINE_FAILED_IMPORT_TTL_DAYS ago, keeping the job and its report (file_expired_at), and
// upload files no job knows once older than $TIERLINE_UPLOAD_TTL_HOURS, in the uploads folder only. Time is the
// calls' clocks, and files' ages are set with utimes, never a sleep.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A list without a column the import recognises as the company name: starting it works, running it fails. */
const NO_NAME_CSV = 'x,y\r\n甲有限公司,深圳市\r\n乙有限公司,广州市\r\n';
const at = (ms: number) => new Date(FIXED_NOW.getTime() + ms);
const clockAt = (ms: number) => () => at(ms);

for (const dialect of DIALECTS) {
  describe(`failed imports and stray upload files on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    let dir: string;
    const previousDir = process.env.TIERLINE_IMPORT_DIR;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tierline-retention-'));
      process.env.TIERLINE_IMPORT_DIR = dir;
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
    });
    beforeEach(async () => {
      process.env.TIERLINE_IMPORT_DIR = dir;
      await tdb.db.kysely.deleteFrom('import_jobs').execute();
    });
    afterAll(async () => {
      await tdb.cleanup();
      if (previousDir === undefined) delete process.env.TIERLINE_IMPORT_DIR;
      else process.env.TIERLINE_IMPORT_DIR = previousDir;
      rmSync(dir, { recursive: true, force: true });
    });

    const as = (user: SeededUser, now = FIXED_NOW): ServiceContext =>
      makeContext(
        tdb.db,
        { userId: user.id, role: user.role, teamId: user.teamId } satisfies Actor,
        () => now,
      );

    /** An upload by `user` at `when`, as POST /api/imports stores it: the file under the uploads folder, the job. */
    const upload = (user: SeededUser, when = FIXED_NOW, csv = NO_NAME_CSV) =>
      storeUpload(as(user, when), when, csv);

    /** An upload started and run at `when`, failing as it runs (no name column): a failed job, its file kept. */
    async function failedUpload(user: SeededUser, when = FIXED_NOW) {
      const target = await upload(user, when);
      // A source of its own: a source remembers the mapping of its last import, which would make the run work.
      await startImport(as(user, when), target.id, {
        source: { name: `failing ${target.id}`, kind: 'free' },
      });
      await expect(runImportJob(tdb.db, target.id, { now: () => when })).rejects.toThrow(/company name/);
      return target;
    }

    const jobRow = (id: string) =>
      tdb.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    const auditOf = (id: string) =>
      tdb.db.kysely
        .selectFrom('audit_log')
        .select(['user_id', 'action', 'at', 'before'])
        .where('entity', '=', 'import_job')
        .where('entity_id', '=', id)
        .orderBy('at')
        .execute();

    it('runs a failed import again while its file is kept', async () => {
      const job = await failedUpload(people.rep);
      const failed = await getImportJob(as(people.rep), job.id);
      expect(failed).toMatchObject({ state: 'failed', retryable: true, fileExpiredAt: null });
      expect(failed.error).toMatch(/company name/);

      // Run again with a mapping that names the company column: the same job, queued, then done.
      const again = await startImport(as(people.rep), job.id, {
        source: { name: 'retention', kind: 'free' },
        mapping: { x: 'name', y: 'city' },
      });
      expect(again).toMatchObject({ state: 'queued', error: null, retryable: false });
      await runImportJob(tdb.db, job.id, { now: clockAt(HOUR) });
      expect(await getImportJob(as(people.rep), job.id)).toMatchObject({
        state: 'succeeded',
        counts: { created: 2 },
        retryable: false,
      });
    });

    it('discards a failed import, its job and its file; 404 for whoever may not see it; audited with why', async () => {
      const job = await failedUpload(people.rep);
      await expect(discardImportJob(as(people.otherRep), job.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(existsSync(job.path)).toBe(true);

      await discardImportJob(as(people.manager), job.id);
      expect(await jobRow(job.id)).toBeUndefined();
      expect(existsSync(job.path)).toBe(false);
      expect((await listImportJobs(as(people.rep))).map((j) => j.id)).not.toContain(job.id);
      const [audit, ...more] = await auditOf(job.id);
      expect(more).toEqual([]);
      expect(audit).toMatchObject({ user_id: people.manager.id, action: 'discard' });
      expect(JSON.parse(audit?.before ?? '{}')).toMatchObject({
        fileName: 'list.csv',
        createdBy: people.rep.id,
        state: 'failed',
        error: expect.stringMatching(/company name/),
      });
      await expect(discardImportJob(as(people.rep), job.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('discards a failed CLI import without touching the file, which is the user’s own; it is rerun by the CLI', async () => {
      const path = join(dir, 'my-list.csv');
      writeFileSync(path, NO_NAME_CSV);
      await expect(
        importFile(
          makeContext(tdb.db, SYSTEM_ACTOR, () => FIXED_NOW),
          path,
          { source: { name: 'cli' } },
        ),
      ).rejects.toThrow(/company name/);
      const [row] = await tdb.db.kysely.selectFrom('import_jobs').selectAll().execute();
      expect(row).toMatchObject({ status: 'failed', origin: 'cli', file_path: path });
      const id = row?.id ?? '';
      expect((await getImportJob(as(people.admin), id)).retryable).toBe(false);
      // Queued through the API it would wait for ever (the runner takes uploads only): refused.
      await expect(
        startImport(as(people.admin), id, { source: { name: 'cli', kind: 'free' } }),
      ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/tierline import/) });
      // Nor does its file expire: only the server's own copies are removed.
      expect(await expireFailedImportFiles(tdb.db, clockAt(30 * DAY))).toEqual([]);
      await discardImportJob(as(people.admin), id);
      expect(await jobRow(id)).toBeUndefined();
      expect(readFileSync(path, 'utf8')).toBe(NO_NAME_CSV);
    });

    it('removes the file of an import that failed longer ago than the time to live, keeping the job and its report', async () => {
      const old = await failedUpload(people.rep);
      const later = await failedUpload(people.mate, at(3 * DAY));
      const rerun = await failedUpload(people.rep);
      await startImport(as(people.rep, at(DAY)), rerun.id, { source: { name: 'retention', kind: 'free' } });
      const done = await upload(people.rep, FIXED_NOW, '企业名称,所属城市\r\n丙有限公司,深圳市\r\n');
      await startImport(as(people.rep), done.id, { source: { name: 'retention', kind: 'free' } });
      await runImportJob(tdb.db, done.id, { now: () => FIXED_NOW });
      const before = await getImportJob(as(people.rep), old.id);

      // Seven days after the failure, to the millisecond: not older than seven days yet.
      expect(await expireFailedImportFiles(tdb.db, clockAt(7 * DAY))).toEqual([]);
      const expiry = at(7 * DAY + 1);
      expect(await expireFailedImportFiles(tdb.db, () => expiry)).toEqual([old.id]);
      expect(existsSync(old.path)).toBe(false);
      // The job stays, with its reason and counts, marked: it is no longer offered to run again.
      const after = await getImportJob(as(people.rep), old.id);
      expect(after).toEqual({ ...before, fileExpiredAt: expiry.toISOString(), retryable: false });
      await expect(
        startImport(as(people.rep, expiry), old.id, { source: { name: 'retention', kind: 'free' } }),
      ).rejects.toMatchObject({ code: 'unprocessable', details: { problem: 'file_expired' } });
      const [audit] = await auditOf(old.id);
      expect(audit).toMatchObject({ user_id: null, action: 'expire_file', at: expiry.toISOString() });

      // The job run again (queued) and the one that succeeded keep their files; the later failure until its turn.
      for (const kept of [later, rerun, done]) expect(existsSync(kept.path)).toBe(true);
      expect(await expireFailedImportFiles(tdb.db, () => expiry)).toEqual([]);
      expect(await expireFailedImportFiles(tdb.db, clockAt(10 * DAY + 1))).toEqual([later.id]);
      expect(existsSync(later.path)).toBe(false);
      // Discarding the expired job still works (its file is gone already).
      await discardImportJob(as(people.rep), old.id);
      expect(await jobRow(old.id)).toBeUndefined();
    });

    it('takes the time to live from TIERLINE_FAILED_IMPORT_TTL_DAYS (default 7 days)', async () => {
      expect(failedImportTtlMs({})).toBe(7 * DAY);
      expect(failedImportTtlMs({ TIERLINE_FAILED_IMPORT_TTL_DAYS: '' })).toBe(7 * DAY);
      expect(failedImportTtlMs({ TIERLINE_FAILED_IMPORT_TTL_DAYS: '2' })).toBe(2 * DAY);
      expect(failedImportTtlMs({ TIERLINE_FAILED_IMPORT_TTL_DAYS: '0.5' })).toBe(DAY / 2);
      const previous = process.env.TIERLINE_FAILED_IMPORT_TTL_DAYS;
      process.env.TIERLINE_FAILED_IMPORT_TTL_DAYS = '2';
      try {
        const job = await failedUpload(people.rep);
        expect(await expireFailedImportFiles(tdb.db, clockAt(1.5 * DAY))).toEqual([]);
        expect(await expireFailedImportFiles(tdb.db, clockAt(2.5 * DAY))).toEqual([job.id]);
      } finally {
        if (previous === undefined) delete process.env.TIERLINE_FAILED_IMPORT_TTL_DAYS;
        else process.env.TIERLINE_FAILED_IMPORT_TTL_DAYS = previous;
      }
    });

    it('removes old upload files no job knows, and nothing else', async () => {
      const now = at(30 * DAY);
      const uploads = uploadsDir(tdb.db);
      // The files of earlier tests' jobs (deleted before each test) would be strays too.
      rmSync(uploads, { recursive: true, force: true });
      mkdirSync(uploads, { recursive: true });
      const aged = (path: string, ms: number) => {
        const time = new Date(now.getTime() - ms);
        utimesSync(path, time, time);
        return path;
      };
      const file = (path: string, ageMs: number) => {
        writeFileSync(path, NO_NAME_CSV);
        return aged(path, ageMs);
      };
      const named = (ms = FIXED_NOW.getTime()) => `${newId(ms)}.upload`;

      const orphan = file(join(uploads, named()), 25 * HOUR);
      const fresh = file(join(uploads, named()), 23 * HOUR);
      // Old files of jobs: by their id (an upload never started, a job that failed) …
      const unstarted = await upload(people.rep);
      aged(unstarted.path, 40 * DAY);
      const failed = await failedUpload(people.rep);
      aged(failed.path, 40 * DAY);
      // … or as a job's file under another name (a CLI job run on a file that sits there).
      const cliFile = file(join(uploads, named()), 40 * DAY);
      const cliJob = newId(FIXED_NOW.getTime());
      await tdb.db.kysely
        .insertInto('import_jobs')
        .values({
          id: cliJob,
          file_name: 'cli.csv',
          status: 'succeeded',
          phase: 'done',
          origin: 'cli',
          file_path: cliFile,
          created_at: FIXED_NOW.toISOString(),
        })
        .execute();
      // Not uploads: other names, a folder, a link (to a file outside), files outside the uploads folder.
      const notes = file(join(uploads, 'notes.txt'), 40 * DAY);
      const oddName = file(join(uploads, 'list.upload'), 40 * DAY);
      const folder = join(uploads, named());
      mkdirSync(folder);
      writeFileSync(join(folder, 'inside.csv'), NO_NAME_CSV);
      aged(folder, 40 * DAY);
      const outside = file(join(dir, named()), 40 * DAY);
      const link = join(uploads, named());
      symlinkSync(outside, link);
      const rejectsFile = file(join(dir, 'list.rejected.0123456789ab.csv'), 40 * DAY);

      const sweep = await sweepOrphanUploads(tdb.db, () => now);
      expect(sweep).toEqual({ removed: [orphan.slice(uploads.length + 1)], shared: false });
      expect(existsSync(orphan)).toBe(false);
      for (const kept of [fresh, unstarted.path, failed.path, cliFile, notes, oddName, outside, rejectsFile])
        expect(existsSync(kept), kept).toBe(true);
      expect(existsSync(join(folder, 'inside.csv'))).toBe(true);
      expect(existsSync(link)).toBe(true);
      expect(readFileSync(outside, 'utf8')).toBe(NO_NAME_CSV);
      // The folder now names this workspace; a second sweep finds nothing more.
      expect(readFileSync(join(uploads, UPLOADS_OWNER_FILE), 'utf8').trim()).toMatch(/^[0-9a-f-]{36}$/);
      expect(await sweepOrphanUploads(tdb.db, () => now)).toEqual({ removed: [], shared: false });
    });

    it('leaves an uploads folder shared with another workspace alone, and stops the other sweeping it too', async () => {
      const shared = mkdtempSync(join(tmpdir(), 'tierline-retention-shared-'));
      process.env.TIERLINE_IMPORT_DIR = shared;
      try {
        const now = at(30 * DAY);
        const uploads = uploadsDir(tdb.db);
        mkdirSync(uploads, { recursive: true });
        // Another database's upload, unknown to this one, and that workspace's marker.
        const theirs = join(uploads, `${newId(FIXED_NOW.getTime())}.upload`);
        writeFileSync(theirs, NO_NAME_CSV);
        utimesSync(theirs, FIXED_NOW, FIXED_NOW);
        writeFileSync(join(uploads, UPLOADS_OWNER_FILE), '0190b6d2-0000-7000-8000-000000000000\n');

        expect(await sweepOrphanUploads(tdb.db, () => now)).toEqual({ removed: [], shared: true });
        expect(existsSync(theirs)).toBe(true);
        // Marked shared, so that the other workspace's sweep stops too; this one keeps refusing.
        expect(readFileSync(join(uploads, UPLOADS_OWNER_FILE), 'utf8').trim()).toBe('shared');
        expect(await sweepOrphanUploads(tdb.db, () => now)).toEqual({ removed: [], shared: true });
        expect(existsSync(theirs)).toBe(true);
      } finally {
        process.env.TIERLINE_IMPORT_DIR = dir;
        rmSync(shared, { recursive: true, force: true });
      }
    });

    it('has the import runner do both when it starts, with the uploads never started', async () => {
      const clock = at(60 * DAY);
      const failed = await failedUpload(people.rep, at(50 * DAY));
      const unstarted = await upload(people.rep, at(58 * DAY));
      const orphan = join(uploadsDir(tdb.db), `${newId(FIXED_NOW.getTime())}.upload`);
      writeFileSync(orphan, NO_NAME_CSV);
      utimesSync(orphan, at(58 * DAY), at(58 * DAY));
      // Files of jobs look as old as their jobs.
      utimesSync(failed.path, at(50 * DAY), at(50 * DAY));
      utimesSync(unstarted.path, at(58 * DAY), at(58 * DAY));
      const logged: string[] = [];
      const runner = new ImportRunner(tdb.db, {
        now: () => clock,
        pollMs: 60_000,
        log: (message) => logged.push(message),
      });
      try {
        runner.start();
        await runner.idle();
      } finally {
        await runner.stop();
      }
      expect(logged).toEqual([]);
      expect(existsSync(failed.path)).toBe(false);
      expect((await jobRow(failed.id))?.file_expired_at).toBe(clock.toISOString());
      expect(existsSync(unstarted.path)).toBe(false);
      expect(await jobRow(unstarted.id)).toBeUndefined();
      expect(existsSync(orphan)).toBe(false);
    });
  });
}
