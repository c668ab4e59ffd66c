import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_LEASE_MS, isAbandoned, recoverAbandonedJobs } from '../../src/services/import-prospects.ts';
import { createDb, type Db } from '../../src/storage/database.ts';
import { newId } from '../../src/storage/ids.ts';
import {
  claimNextImportJob,
  type ImportJobRow,
  insertImportJob,
  releaseImportJob,
} from '../../src/storage/repositories/imports.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';

// The import queue shared by several processes: every job claimed exactly once however many claim at once
// (row locks with SKIP LOCKED on PostgreSQL, a conditional UPDATE … RETURNING on SQLite), a dead claimant's job
// taken back after its lease, and a stopping server's job given back to the queue.

let sequence = 0;

for (const dialect of DIALECTS) {
  describe(`import job claims on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let other: Db;
    let dir: string;

    beforeAll(async () => {
      tdb = await dialect.open();
      // A second, independent connection (pool) to the same database, as a second server would have.
      other = await createDb(tdb.url);
      dir = mkdtempSync(join(tmpdir(), 'tierline-claims-'));
    });
    beforeEach(async () => {
      // Each case starts with an empty queue (jobs left running by one would look abandoned to the next).
      await tdb.db.kysely.deleteFrom('import_jobs').execute();
    });
    afterAll(async () => {
      await other.close();
      await tdb.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const addJob = async (over: Partial<ImportJobRow> = {}): Promise<string> => {
      sequence += 1;
      const id = newId(FIXED_NOW.getTime() + sequence);
      const path = join(dir, `${id}.upload`);
      writeFileSync(path, '企业名称\r\n甲有限公司\r\n');
      await insertImportJob(tdb.db.kysely, {
        id,
        source_id: null,
        file_name: `claims-${sequence}.csv`,
        file_sha256: null,
        status: 'queued',
        phase: 'ready',
        origin: 'api',
        file_path: path,
        file_size: 20,
        options: '{}',
        created_by: null,
        created_at: new Date(FIXED_NOW.getTime() + sequence).toISOString(),
        ...over,
      });
      return id;
    };
    const jobRow = (id: string) =>
      tdb.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const at = FIXED_NOW.toISOString();

    it('gives every queued job to exactly one of several concurrent claimers', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 24; i++) ids.add(await addJob());
      const claimers = [tdb.db, other, tdb.db, other].map(async (db, n) => {
        const token = `claimer-${n}`;
        const mine: string[] = [];
        for (;;) {
          const row = await claimNextImportJob(db.kysely, db.dialect, { token, at });
          if (!row) return mine;
          expect(row).toMatchObject({ status: 'running', claimed_by: token, started_at: at });
          mine.push(row.id);
        }
      });
      const results = await Promise.all(claimers);
      const all = results.flat();
      expect(all.length).toBe(ids.size);
      expect(new Set(all)).toEqual(ids);
      for (const [n, mine] of results.entries()) {
        for (const id of mine) expect((await jobRow(id)).claimed_by).toBe(`claimer-${n}`);
      }
      // Oldest first: a single claimer takes them in creation order.
      const first = await addJob();
      const second = await addJob();
      expect((await claimNextImportJob(tdb.db.kysely, dialect.name, { token: 't', at }))?.id).toBe(first);
      expect((await claimNextImportJob(other.kysely, dialect.name, { token: 't', at }))?.id).toBe(second);
    });

    it('leaves CLI jobs and uploads still waiting for their mapping alone', async () => {
      const cli = await addJob({ origin: 'cli' });
      const uploaded = await addJob({ phase: 'uploaded' });
      expect(await claimNextImportJob(tdb.db.kysely, dialect.name, { token: 't', at })).toBeUndefined();
      expect((await jobRow(cli)).status).toBe('queued');
      expect((await jobRow(uploaded)).status).toBe('queued');
    });

    it('takes a job back when its claimant is gone or its lease ran out', async () => {
      const now = new Date(FIXED_NOW.getTime() + 10 * 60_000);
      const stale = new Date(now.getTime() - IMPORT_LEASE_MS - 1000).toISOString();
      const fresh = new Date(now.getTime() - 30_000).toISOString();
      const running = { status: 'running' as const, phase: 'reading' as const };
      // Another machine, silent for longer than the lease: taken back.
      const elsewhereStale = await addJob({
        ...running,
        claimed_by: 'elsewhere.example/4242/aa',
        heartbeat_at: stale,
      });
      // Another machine, heartbeat fresh: still running there.
      const elsewhereFresh = await addJob({
        ...running,
        claimed_by: 'elsewhere.example/4243/bb',
        heartbeat_at: fresh,
      });
      // This machine, a process that is alive (our parent) with a stale heartbeat: on SQLite its merge writes
      // no heartbeat, so it keeps the job; on PostgreSQL heartbeats never stop, so the lease decides.
      const hereAlive = await addJob({
        ...running,
        claimed_by: `${hostname()}/${process.ppid}/cc`,
        heartbeat_at: stale,
      });
      // This machine, a pid that does not run: taken back at once even with a fresh heartbeat.
      const hereDead = await addJob({
        ...running,
        claimed_by: `${hostname()}/2147483646/dd`,
        heartbeat_at: fresh,
      });
      await tdb.db.kysely
        .insertInto('import_errors')
        .values({ id: newId(), job_id: elsewhereStale, line: 2, reason: 'x', severity: 'error' })
        .execute();
      expect(isAbandoned(await jobRow(hereAlive), now, 'sqlite')).toBe(false);
      expect(isAbandoned(await jobRow(hereAlive), now, 'postgres')).toBe(true);

      const { requeued } = await recoverAbandonedJobs(tdb.db, () => now);
      const expected = [elsewhereStale, hereDead, ...(dialect.name === 'postgres' ? [hereAlive] : [])];
      expect(requeued.sort()).toEqual(expected.sort());
      expect(await jobRow(elsewhereFresh)).toMatchObject({ status: 'running' });
      expect(await jobRow(elsewhereStale)).toMatchObject({
        status: 'queued',
        phase: 'ready',
        claimed_by: null,
      });
      expect((await jobRow(elsewhereStale)).error).toMatch(/elsewhere\.example\/4242\/aa.*queued again/);
      const errors = await tdb.db.kysely
        .selectFrom('import_errors')
        .select('id')
        .where('job_id', '=', elsewhereStale)
        .execute();
      expect(errors).toEqual([]);

      // And a server claims it again.
      const claimed: string[] = [];
      for (;;) {
        const row = await claimNextImportJob(other.kysely, dialect.name, { token: 'again', at });
        if (!row) break;
        claimed.push(row.id);
      }
      expect(claimed.sort()).toEqual(expected.sort());
    });

    it('gives a job back to the queue only for the claimant that holds it', async () => {
      const id = await addJob({
        status: 'running',
        phase: 'reading',
        claimed_by: 'holder',
        processed_rows: 5,
      });
      await tdb.db.kysely
        .insertInto('import_errors')
        .values({ id: newId(), job_id: id, line: 3, reason: 'x', severity: 'error' })
        .execute();
      expect(await releaseImportJob(tdb.db.kysely, id, 'somebody else', 'stop')).toBe(false);
      expect((await jobRow(id)).status).toBe('running');
      expect(await releaseImportJob(tdb.db.kysely, id, 'holder', 'server stopped')).toBe(true);
      expect(await jobRow(id)).toMatchObject({
        status: 'queued',
        phase: 'ready',
        claimed_by: null,
        processed_rows: 0,
        error: 'server stopped',
      });
      const errors = await tdb.db.kysely
        .selectFrom('import_errors')
        .select('id')
        .where('job_id', '=', id)
        .execute();
      expect(errors).toEqual([]);
    });
  });
}
