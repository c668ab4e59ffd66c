import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { csvText } from '../fixtures/vendor-csv.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import {
  type HttpSession,
  refusesConnections,
  type ServerProcess,
  signInOver,
  slowUpload,
  startServer,
  uploadOver,
} from '../helpers/server-process.ts';
import { type People, seedPeople, TEST_PASSWORD } from '../helpers/session.ts';

// Two real `tierline serve` processes on different ports sharing one PostgreSQL schema (and one uploads folder,
// as TIERLINE_IMPORT_DIR on a shared volume would be): a session made on one works on the other, import jobs
// started on both run exactly once each, a job whose server stops is given back and run once by the other, and a
// server stopped with SIGTERM finishes its request and exits 0.

const postgres = DIALECTS.find((d) => d.name === 'postgres');
const title = postgres
  ? 'two servers sharing one PostgreSQL'
  : 'two servers sharing one PostgreSQL (skipped: set TEST_DATABASE_URL to a PostgreSQL database to run it)';

const FILES = 6;
/** Rows of the file whose import is interrupted: enough to be still running when its server stops. */
const BIG_ROWS = 120_000;
const ROWS = 15;
const SYLLABLES = '安宝昌德丰广海和恒华嘉金康隆明瑞盛泰通祥';

/** File `f`'s prospects: ROWS companies no other file has (distinct names and USCCs). */
function prospectFile(f: number): Buffer {
  const rows = [['企业名称', '统一社会信用代码', '所属省份', '所属城市']];
  for (let r = 0; r < ROWS; r++) {
    const n = f * ROWS + r;
    const name = `深圳市${SYLLABLES[n % 20]}${SYLLABLES[Math.floor(n / 20) % 20]}多机测试科技有限公司`;
    rows.push([name, makeUscc(9000 + n), '广东省', '深圳市']);
  }
  return Buffer.from(csvText(rows));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!postgres)(title, () => {
  let tdb: TestDatabase;
  let people: People;
  let dir: string;
  let one: ServerProcess;
  let two: ServerProcess;
  let session: HttpSession;
  let survivorLeft: ServerProcess | undefined;

  const call = (server: ServerProcess, path: string, init: RequestInit = {}, csrf = true) =>
    fetch(`${server.base}${path}`, {
      ...init,
      headers: {
        cookie: session.cookie,
        ...(csrf ? { 'x-csrf-token': session.csrf } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  beforeAll(async () => {
    if (!postgres) return;
    tdb = await postgres.open();
    people = await seedPeople(tdb.db);
    dir = mkdtempSync(join(tmpdir(), 'tierline-multi-'));
    // A short shutdown window, so that an import still running at SIGTERM is given back to the queue.
    const env = { TIERLINE_IMPORT_DIR: dir, TIERLINE_SHUTDOWN_TIMEOUT: '3' };
    [one, two] = await Promise.all([startServer(tdb.url, { env }), startServer(tdb.url, { env })]);
    session = await signInOver(one.base, people.rep.email, TEST_PASSWORD);
  }, 180_000);
  afterAll(async () => {
    one?.kill('SIGKILL');
    two?.kill('SIGKILL');
    await Promise.all([one?.exited, two?.exited]);
    await tdb?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a session made on one server on the other, CSRF included', async () => {
    expect(one.port).not.toBe(two.port);
    const list = await call(two, '/api/accounts?pageSize=1', {}, false);
    expect(list.status).toBe(200);
    const withoutCsrf = await call(two, '/api/auth/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'no csrf', access: 'read' }),
      headers: { 'x-csrf-token': 'wrong' },
    });
    expect(withoutCsrf.status).toBe(403);
    const token = await call(two, '/api/auth/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'made on two', access: 'read' }),
    });
    expect(token.status, await token.clone().text()).toBe(201);
    const seenOnOne = (await (await call(one, '/api/auth/tokens')).json()) as
      | { name: string }[]
      | {
          items: { name: string }[];
        };
    const names = (Array.isArray(seenOnOne) ? seenOnOne : seenOnOne.items).map((t) => t.name);
    expect(names).toContain('made on two');
  });

  it('runs every import job exactly once, whichever server started it', async () => {
    const servers = [one, two];
    const jobs: string[] = [];
    for (let f = 0; f < FILES; f++) {
      jobs.push(
        await uploadOver((servers[f % 2] as ServerProcess).base, session, `multi-${f}.csv`, prospectFile(f)),
      );
    }
    // Start them all at once, half on each server: both runners race for the queue.
    const starts = await Promise.all(
      jobs.map((id, f) =>
        call(servers[(f + 1) % 2] as ServerProcess, `/api/imports/${id}/start`, {
          method: 'POST',
          body: JSON.stringify({ source: { name: `多机来源 ${f}`, kind: 'free' } }),
        }),
      ),
    );
    for (const res of starts) expect(res.status, await res.clone().text()).toBe(202);

    const deadline = Date.now() + 120_000;
    let states: string[] = [];
    while (Date.now() < deadline) {
      states = await Promise.all(
        jobs.map(async (id, f) => {
          const res = await call(servers[f % 2] as ServerProcess, `/api/imports/${id}`, {}, false);
          return ((await res.json()) as { state: string }).state;
        }),
      );
      if (states.every((s) => s === 'succeeded' || s === 'failed')) break;
      await sleep(500);
    }
    expect(states).toEqual(jobs.map(() => 'succeeded'));

    const db = tdb.db.kysely;
    const rows = await db
      .selectFrom('import_jobs')
      .select(['id', 'claimed_by', 'created_count', 'status'])
      .where('id', 'in', jobs)
      .execute();
    const pids = new Set([String(one.pid), String(two.pid)]);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'succeeded', created_count: ROWS });
      const [host, pid] = (row.claimed_by ?? '').split('/');
      expect(host).toBe(hostname());
      expect(pids.has(pid ?? ''), `${row.id} claimed by ${row.claimed_by}`).toBe(true);
    }
    // One set of accounts: FILES × ROWS companies, none twice.
    const accounts = await db
      .selectFrom('accounts')
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number>`count(distinct normalized_name)`.as('names'),
        sql<number>`count(distinct uscc)`.as('usccs'),
      ])
      .where('name', 'like', '%多机测试科技有限公司')
      .executeTakeFirstOrThrow();
    expect(accounts).toEqual({ n: FILES * ROWS, names: FILES * ROWS, usccs: FILES * ROWS });
    // Each job committed once: one import report in the audit log and ROWS source links per job.
    const reports = await db
      .selectFrom('audit_log')
      .select(['entity_id', sql<number>`count(*)`.as('n')])
      .where('entity', '=', 'import')
      .where('entity_id', 'in', jobs)
      .groupBy('entity_id')
      .execute();
    expect(reports.map((r) => Number(r.n))).toEqual(jobs.map(() => 1));
    const links = await db
      .selectFrom('account_sources')
      .select(['import_job_id', sql<number>`count(*)`.as('n')])
      .where('import_job_id', 'in', jobs)
      .groupBy('import_job_id')
      .execute();
    expect(links.map((l) => Number(l.n))).toEqual(jobs.map(() => ROWS));
  }, 180_000);

  it('gives a job back to the queue when its server stops, and the other server runs it once', async () => {
    const rows = [['企业名称', '所属省份', '所属城市']];
    for (let n = 0; n < BIG_ROWS; n++) rows.push([`大批停机测试${n}科技有限公司`, '广东省', '广州市']);
    const id = await uploadOver(one.base, session, 'big.csv', Buffer.from(csvText(rows)));
    const started = await call(one, `/api/imports/${id}/start`, {
      method: 'POST',
      body: JSON.stringify({ source: { name: '大批来源', kind: 'free' } }),
    });
    expect(started.status).toBe(202);
    const db = tdb.db.kysely;
    const job = () =>
      db
        .selectFrom('import_jobs')
        .select(['status', 'phase', 'claimed_by', 'created_count', 'error'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    let claimedBy = '';
    for (let i = 0; i < 200 && !claimedBy; i++) {
      const row = await job();
      if (row.status === 'running' && row.claimed_by) claimedBy = row.claimed_by;
      else await sleep(100);
    }
    const pid = claimedBy.split('/')[1];
    const [claimer, survivor] = pid === String(one.pid) ? [one, two] : [two, one];
    expect(String(claimer.pid)).toBe(pid);

    claimer.kill('SIGTERM');
    expect(await claimer.exited).toBe(0);
    const given = claimer.logs().find((l) => l.jobId === id);
    expect(given, claimer.stdout().slice(-2000)).toMatchObject({
      msg: 'import job not finished at shutdown: given back to the queue',
      released: true,
    });
    expect(claimer.logs().at(-1)).toMatchObject({ msg: 'shut down cleanly', forced: false });
    // Nothing of the interrupted run is visible; the job waits for (or already runs on) the other server.
    expect(['queued', 'running']).toContain((await job()).status);
    const partial = await db
      .selectFrom('accounts')
      .select(sql<number>`count(*)`.as('n'))
      .where('name', 'like', '大批停机测试%')
      .executeTakeFirstOrThrow();
    expect(Number(partial.n)).toBe(0);

    // The other server takes it at its next poll and runs it to the end, once.
    const deadline = Date.now() + 240_000;
    let state = '';
    while (Date.now() < deadline) {
      const res = await call(survivor, `/api/imports/${id}`, {}, false);
      state = ((await res.json()) as { state: string }).state;
      if (state === 'succeeded' || state === 'failed') break;
      await sleep(1000);
    }
    expect(state).toBe('succeeded');
    const done = await job();
    expect(done.claimed_by?.split('/')[1]).toBe(String(survivor.pid));
    expect(done.created_count).toBe(BIG_ROWS);
    const accounts = await db
      .selectFrom('accounts')
      .select([sql<number>`count(*)`.as('n'), sql<number>`count(distinct normalized_name)`.as('names')])
      .where('name', 'like', '大批停机测试%')
      .executeTakeFirstOrThrow();
    expect({ n: Number(accounts.n), names: Number(accounts.names) }).toEqual({
      n: BIG_ROWS,
      names: BIG_ROWS,
    });
    const reports = await db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)`.as('n'))
      .where('entity', '=', 'import')
      .where('entity_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(reports.n)).toBe(1);
    survivorLeft = survivor;
  }, 400_000);

  it('stops a server with SIGTERM mid-request: the request completes and it exits 0', async () => {
    const server = survivorLeft ?? two;
    const upload = slowUpload(server.base, session, 'late.csv', prospectFile(FILES));
    await sleep(500);
    server.kill('SIGTERM');
    await sleep(300);
    expect(await refusesConnections(server.port)).toBe(true);
    upload.finish();
    const res = await upload.response;
    expect(res.status, res.body).toBe(201);
    expect(res.headers.connection).toBe('close');
    const job = JSON.parse(res.body) as { id: string };
    expect(await server.exited).toBe(0);
    const last = server.logs().at(-1);
    expect(last, server.stdout().slice(-3000)).toMatchObject({
      msg: 'shut down cleanly',
      signal: 'SIGTERM',
      forced: false,
    });
    const row = await tdb.db.kysely
      .selectFrom('import_jobs')
      .select(['phase', 'file_name'])
      .where('id', '=', job.id)
      .executeTakeFirst();
    expect(row).toEqual({ phase: 'uploaded', file_name: 'late.csv' });
  }, 120_000);
});
