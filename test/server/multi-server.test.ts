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
// started on both run exactly once each, and one server stopped with SIGTERM finishes its request and exits 0.

const postgres = DIALECTS.find((d) => d.name === 'postgres');
const title = postgres
  ? 'two servers sharing one PostgreSQL'
  : 'two servers sharing one PostgreSQL (skipped: set TEST_DATABASE_URL to a PostgreSQL database to run it)';

const FILES = 6;
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
    const env = { TIERLINE_IMPORT_DIR: dir, TIERLINE_SHUTDOWN_TIMEOUT: '30' };
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
    const seenOnOne = (await (await call(one, '/api/auth/tokens')).json()) as { name: string }[] | {
      items: { name: string }[];
    };
    const names = (Array.isArray(seenOnOne) ? seenOnOne : seenOnOne.items).map((t) => t.name);
    expect(names).toContain('made on two');
  });

  it('runs every import job exactly once, whichever server started it', async () => {
    const servers = [one, two];
    const jobs: string[] = [];
    for (let f = 0; f < FILES; f++) {
      jobs.push(await uploadOver((servers[f % 2] as ServerProcess).base, session, `multi-${f}.csv`, prospectFile(f)));
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

  it('stops one server with SIGTERM mid-request: the request completes, it exits 0, the other carries on', async () => {
    const upload = slowUpload(two.base, session, 'late.csv', prospectFile(FILES));
    await sleep(500);
    two.kill('SIGTERM');
    await sleep(800);
    expect(await refusesConnections(two.port)).toBe(true);
    upload.finish();
    const res = await upload.response;
    expect(res.status, res.body).toBe(201);
    const job = JSON.parse(res.body) as { id: string };
    expect(await two.exited).toBe(0);
    const last = two.logs().at(-1);
    expect(last, two.stdout().slice(-3000)).toMatchObject({ msg: 'shut down cleanly', signal: 'SIGTERM', forced: false });

    // The job uploaded through the stopped server is there for the one still running.
    const seen = await call(one, `/api/imports/${job.id}`, {}, false);
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as { state: string }).state).toBe('uploaded');
    const ready = await fetch(`${one.base}/api/health/ready`);
    expect(ready.status).toBe(200);
  }, 120_000);
});
