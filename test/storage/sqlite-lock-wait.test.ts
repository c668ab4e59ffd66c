import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/domain/errors.ts';
import { buildApp } from '../../src/server/app.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { createDb, type Db } from '../../src/storage/database.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { seedPeople, signIn } from '../helpers/session.ts';

/*
 * Another connection holding SQLite's write lock (an import's merge in its worker thread, a CLI command on the same
 * file): the server's writes wait for it without blocking the thread, its reads go on meanwhile, and a write that
 * waits too long is refused as busy (503), never half done (src/storage/sqlite-driver.ts).
 */

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('the SQLite test dialect is missing');

/** A promise's state without waiting for it. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

/** Turns of the event loop: each one proves the thread is not held in SQLite's busy handler. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('writes wait for another connection’s SQLite write lock without blocking the server', () => {
  let tdb: TestDatabase;
  let other: SqliteDatabase.Database;
  let system: ServiceContext;
  const accounts = async () =>
    (
      await tdb.db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .execute()
    )[0]?.n;

  beforeEach(async () => {
    tdb = await sqlite.open();
    await seedPeople(tdb.db);
    system = makeContext(tdb.db, SYSTEM_ACTOR, () => FIXED_NOW);
    other = new SqliteDatabase(tdb.url);
    other.pragma('busy_timeout = 0');
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('rollback');
    other.close();
    await tdb.cleanup();
  });

  it('a transaction and a single write wait, reads go on, and both land once the lock is free', async () => {
    other.exec('begin immediate');
    const created = createAccount(system, makeAccountInput({ name: '等锁客户有限公司' }));
    const renamed = tdb.db.kysely
      .updateTable('users')
      .set({ name: 'Renamed while locked' })
      .where('role', '=', 'admin')
      .execute();
    await turns(10);
    expect(await settled(created)).toBe(false);
    expect(await settled(renamed)).toBe(false);
    // Reads are served meanwhile (they would queue behind a writer that held the connection while it waited).
    expect(Number(await accounts())).toBe(0);
    other.exec('commit');
    const account = await created;
    await renamed;
    expect(account.name).toBe('等锁客户有限公司');
    expect(Number(await accounts())).toBe(1);
    const admin = await tdb.db.kysely
      .selectFrom('users')
      .select('name')
      .where('role', '=', 'admin')
      .execute();
    expect(admin.map((u) => u.name)).toEqual(['Renamed while locked']);
  });

  it('takes the write lock at BEGIN, so a transaction that reads first cannot be refused at its first write', async () => {
    let tried = false;
    await tdb.db.kysely.transaction().execute(async (trx) => {
      await trx.selectFrom('accounts').select('id').execute();
      // Before this transaction's first write, another connection can no longer start writing…
      expect(() => other.exec('begin immediate')).toThrow(/database is locked/);
      tried = true;
      // …so the write cannot meet SQLITE_BUSY_SNAPSHOT (a database changed since this transaction's read).
      await trx
        .updateTable('users')
        .set({ name: 'Written after a read' })
        .where('role', '=', 'rep')
        .execute();
    });
    expect(tried).toBe(true);
  });

  it('keeps Kysely savepoints: a part rolled back, the rest committed', async () => {
    const trx = await tdb.db.kysely.startTransaction().execute();
    await trx.updateTable('users').set({ name: 'Kept' }).where('role', '=', 'admin').execute();
    const part = await trx.savepoint('a "quoted" part').execute();
    await part.updateTable('users').set({ name: 'Undone' }).where('role', '=', 'admin').execute();
    await part.rollbackToSavepoint('a "quoted" part').execute();
    await trx.commit().execute();
    const admin = await tdb.db.kysely
      .selectFrom('users')
      .select('name')
      .where('role', '=', 'admin')
      .execute();
    expect(admin.map((u) => u.name)).toEqual(['Kept']);
  });

  it('refuses a write that waited longer than its limit as busy, leaving nothing written', async () => {
    const impatient: Db = await createDb(tdb.url, { lockWaitMs: 150 });
    try {
      other.exec('begin immediate');
      let settled = false;
      const refused = createAccount(
        makeContext(impatient, SYSTEM_ACTOR, () => FIXED_NOW),
        makeAccountInput({ name: '等不及的客户' }),
      )
        .catch((e: unknown) => e)
        .finally(() => {
          settled = true;
        });
      // Reads on the same connection are served while the write waits: the wait is never spent in SQLite's busy
      // handler, which would hold the thread (and the connection) until the write gave up.
      let reads = 0;
      while (!settled) {
        await impatient.kysely.selectFrom('users').select('id').execute();
        if (!settled) reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const error = await refused;
      expect(isAppError(error) && error.code).toBe('unavailable');
      expect(reads).toBeGreaterThan(0);
      other.exec('commit');
      expect(Number(await accounts())).toBe(0);
    } finally {
      await impatient.close();
    }
  });

  it('answers 503 with Retry-After in the reader’s language over HTTP', async () => {
    const impatient: Db = await createDb(tdb.url, { lockWaitMs: 150 });
    const app = await buildApp(impatient, { now: fixedClock, webRoot: '/nonexistent' });
    try {
      const people = await seedPeople(impatient);
      const admin = await signIn(app, people.admin);
      other.exec('begin immediate');
      const res = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({ name: '忙碌时的客户' }),
        headers: { ...admin.headers, 'accept-language': 'zh-CN' },
      });
      other.exec('commit');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error).toMatchObject({ code: 'unavailable' });
      expect(res.json().error.message).toContain('数据库正在保存');
    } finally {
      await app.close();
      await impatient.close();
    }
  });
});
