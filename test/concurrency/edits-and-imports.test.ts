import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/domain/registration/uscc.ts';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeContext } from '../../src/services/context.ts';
import { importFile } from '../../src/services/import-prospects.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

// Concurrency: two people saving the same account at the same moment (one wins, the other gets 409 with the
// record as it now stands), and two imports running at the same time over overlapping lists (both finish, no
// account is lost or created twice).

for (const dialect of DIALECTS) {
  describe(`two users edit one account at once, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Session;
    let manager: Session;

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      admin = await signIn(app, people.admin);
      manager = await signIn(app, people.manager);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    it('exactly one of two simultaneous saves wins; the other gets 409 with the winner’s record', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/accounts',
        headers: admin.headers,
        payload: makeAccountInput({ ownerId: people.rep.id }),
      });
      const id = created.json().id as string;
      let version = created.json().version as number;
      for (let round = 0; round < 12; round++) {
        const [a, b] = await Promise.all([
          app.inject({
            method: 'PATCH',
            url: `/api/accounts/${id}`,
            headers: admin.headers,
            payload: { version, city: `管理员城市${round}`, address: `admin ${round}` },
          }),
          app.inject({
            method: 'PATCH',
            url: `/api/accounts/${id}`,
            headers: manager.headers,
            payload: { version, city: `经理城市${round}`, address: `manager ${round}` },
          }),
        ]);
        const statuses = [a.statusCode, b.statusCode].sort();
        expect(statuses, `${a.body} | ${b.body}`).toEqual([200, 409]);
        const winner = a.statusCode === 200 ? a : b;
        const loser = a.statusCode === 200 ? b : a;
        const won = winner.json();
        expect(won.version).toBe(version + 1);
        const conflict = loser.json().error;
        expect(conflict.code).toBe('version_conflict');
        // The loser sees the record as it now stands: the winner's whole change, not a mix of the two.
        expect(conflict.details.current).toMatchObject({
          version: won.version,
          city: won.city,
          address: won.address,
        });
        const stored = (
          await app.inject({ method: 'GET', url: `/api/accounts/${id}`, headers: admin.headers })
        ).json();
        expect(stored).toMatchObject({ version: won.version, city: won.city, address: won.address });
        expect(stored.address.startsWith(stored.city.startsWith('管理员') ? 'admin' : 'manager')).toBe(true);
        version = won.version;
      }
    });
  });

  describe(`two imports at once, on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let dir: string;

    beforeAll(async () => {
      tdb = await dialect.open();
      dir = mkdtempSync(join(tmpdir(), 'tierline-concurrent-imports-'));
      process.env.TIERLINE_IMPORT_DIR = dir;
    });
    afterAll(async () => {
      await tdb.cleanup();
      delete process.env.TIERLINE_IMPORT_DIR;
      rmSync(dir, { recursive: true, force: true });
    });

    it('both finish; the overlapping companies are created once; nothing is lost', async () => {
      const people = await seedPeople(tdb.db);
      const ctxA = makeContext(tdb.db, { userId: people.admin.id, role: 'admin', teamId: null }, fixedClock);
      const ctxB = makeContext(
        tdb.db,
        { userId: people.manager.id, role: 'manager', teamId: people.teamA },
        fixedClock,
      );
      // Companies 0-2999 in file A, 2000-4999 in file B: 1000 in both (by credit code), 4000 after reordering
      // some of B's overlap to match by name and city only (no code).
      const line = (i: number, withCode: boolean) =>
        `并发测试${i}号科技有限公司,${withCode ? makeUscc(700_000 + i) : ''},广东省,深圳市\r\n`;
      const header = '企业名称,统一社会信用代码,省份,城市\r\n';
      let a = header;
      for (let i = 0; i < 3000; i++) a += line(i, true);
      let b = header;
      for (let i = 2000; i < 5000; i++) b += line(i, i % 2 === 0);
      writeFileSync(join(dir, 'a.csv'), a);
      writeFileSync(join(dir, 'b.csv'), b);

      const [reportA, reportB] = await Promise.all([
        importFile(
          ctxA,
          join(dir, 'a.csv'),
          { source: { name: 'list A', kind: 'free' } },
          { rejectsDir: dir },
        ),
        importFile(
          ctxB,
          join(dir, 'b.csv'),
          { source: { name: 'list B', kind: 'free' } },
          { rejectsDir: dir },
        ),
      ]);
      expect(reportA).toMatchObject({ rows: 3000, rejected: 0 });
      expect(reportB).toMatchObject({ rows: 3000, rejected: 0 });
      expect(reportA.created + reportA.merged).toBe(3000);
      expect(reportB.created + reportB.merged).toBe(3000);
      // 5000 distinct companies in all, each created by exactly one of the two imports.
      expect(reportA.created + reportB.created).toBe(5000);

      const accounts = await tdb.db.kysely.selectFrom('accounts').select(['name', 'uscc']).execute();
      expect(accounts).toHaveLength(5000);
      expect(new Set(accounts.map((x) => x.name)).size).toBe(5000);
      const codes = accounts.map((x) => x.uscc).filter((c): c is string => c !== null);
      expect(new Set(codes).size).toBe(codes.length);
      // Every company is linked to the list(s) it came from: 1000 to both.
      const links = await tdb.db.kysely.selectFrom('account_sources').select(['account_id']).execute();
      expect(links).toHaveLength(6000);
      expect(new Set(links.map((l) => l.account_id)).size).toBe(5000);
      const jobs = await tdb.db.kysely.selectFrom('import_jobs').select(['status']).execute();
      expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
    }, 300_000);
  });
}
