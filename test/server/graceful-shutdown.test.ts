import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import {
  refusesConnections,
  type ServerProcess,
  signInOver,
  slowUpload,
  startServer,
} from '../helpers/server-process.ts';
import { seedPeople, TEST_PASSWORD } from '../helpers/session.ts';

// `tierline serve` on SQLite stopped with SIGTERM while a request is in flight: the request completes, new
// connections are refused, the process exits 0 with a clean log line and leaves one consistent database file.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown of tierline serve on SQLite', () => {
  let dir: string;
  let file: string;
  let email: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tierline-shutdown-'));
    file = join(dir, 'tierline.db');
    const db = await createDb(file);
    await migrateToLatest(db);
    email = (await seedPeople(db)).rep.email;
    await db.close();
  });
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the request in flight, exits 0 and leaves a clean database file', async () => {
    server = await startServer(file, {
      env: { TIERLINE_IMPORT_DIR: join(dir, 'imports') },
      args: ['--shutdown-timeout', '20'],
    });
    const s = server;
    const session = await signInOver(s.base, email, TEST_PASSWORD);
    const csv = Buffer.from(`企业名称,所属城市\r\n${'深圳市停机测试有限公司,深圳市\r\n'.repeat(2000)}`);
    const upload = slowUpload(s.base, session, 'shutdown.csv', csv);
    await sleep(400); // the server is now reading the body

    s.kill('SIGTERM');
    await sleep(800);
    expect(await refusesConnections(s.port), 'new connections after SIGTERM').toBe(true);
    let exited = false;
    void s.exited.then(() => {
      exited = true;
    });
    expect(exited, 'the process waits for the request in flight').toBe(false);

    upload.finish();
    const res = await upload.response;
    expect(res.status, res.body).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ state: 'uploaded', fileName: 'shutdown.csv' });
    expect(res.headers.connection).toBe('close');

    expect(await s.exited).toBe(0);
    const logs = s.logs();
    const begin = logs.find((l) => l.msg === 'shutting down: no new requests; finishing requests in flight');
    expect(begin).toMatchObject({ signal: 'SIGTERM', timeoutMs: 20_000 });
    const last = logs.at(-1);
    expect(last).toMatchObject({ msg: 'shut down cleanly', signal: 'SIGTERM', forced: false });
    expect(logs.some((l) => l.level === 50 || l.level === 60)).toBe(false);

    // The write-ahead log was checkpointed into the file and removed (or emptied) at close.
    const wal = `${file}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0, 'no WAL content left behind').toBe(true);
    const check = new SqliteDatabase(file, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      const job = check
        .prepare("select phase, origin from import_jobs where file_name = 'shutdown.csv'")
        .get();
      expect(job).toEqual({ phase: 'uploaded', origin: 'api' });
    } finally {
      check.close();
    }
  }, 120_000);

  it('exits at once with 1 on a second signal while draining', async () => {
    const s = await startServer(file, { env: { TIERLINE_IMPORT_DIR: join(dir, 'imports') } });
    server = s;
    const session = await signInOver(s.base, email, TEST_PASSWORD);
    const upload = slowUpload(s.base, session, 'never.csv', Buffer.from('企业名称\r\n甲有限公司\r\n'));
    upload.response.catch(() => {}); // the connection is cut
    await sleep(300);
    s.kill('SIGINT');
    await sleep(300);
    s.kill('SIGINT');
    expect(await s.exited).toBe(1);
    expect(s.logs().some((l) => l.msg === 'second signal while shutting down: exiting now')).toBe(true);
    const check = new SqliteDatabase(file);
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  }, 120_000);
});
