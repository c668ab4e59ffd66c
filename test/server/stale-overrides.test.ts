import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { makeContext } from '../../src/services/context.ts';
import { DEMO_PASSWORD, loadDemoWorkspace } from '../../src/services/demo.ts';
import { DIALECTS, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type Session, signIn } from '../helpers/session.ts';

// Two managers act on the same record they both read: the second one's action names a version that is no longer
// the record's and is refused with 409 version_conflict carrying the record as it is now; nothing of it is saved.
for (const dialect of DIALECTS) {
  describe(`stale tier overrides and territory deletes on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let admin: Session;
    let manager: Session;

    beforeAll(async () => {
      tdb = await dialect.open();
      await loadDemoWorkspace(makeContext(tdb.db, undefined, fixedClock));
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      admin = await signIn(app, 'admin@demo.tierline.local', DEMO_PASSWORD);
      manager = await signIn(app, 'manager@demo.tierline.local', DEMO_PASSWORD);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    const overrideAudits = async (accountId: string) =>
      tdb.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'user_id'])
        .where('entity', '=', 'account')
        .where('entity_id', '=', accountId)
        .where('action', 'like', 'tier-override%')
        .execute();

    it("refuses a second manager's tier override made on the version both read, with the account as it is now", async () => {
      const row = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['id', 'version'])
        .where('in_market', '=', 1)
        .where('tier', '=', 'B')
        .where('tier_override', 'is', null)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const url = `/api/accounts/${row.id}/tier-override`;
      const read = (
        await app.inject({ method: 'GET', url: `/api/accounts/${row.id}`, headers: admin.headers })
      ).json();
      expect(read.version).toBe(row.version);

      const first = await app.inject({
        method: 'PUT',
        url,
        headers: manager.headers,
        payload: { tier: 'A', reason: 'Group purchasing', version: read.version },
      });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ tier: 'A', tierOverride: 'A' });
      expect(first.json().version).toBeGreaterThan(read.version);

      const second = await app.inject({
        method: 'PUT',
        url,
        headers: admin.headers,
        payload: { tier: 'C', reason: 'Lost the tender', version: read.version },
      });
      expect(second.statusCode).toBe(409);
      expect(second.json().error).toMatchObject({
        code: 'version_conflict',
        details: { current: first.json() },
      });
      const now = (
        await app.inject({ method: 'GET', url: `/api/accounts/${row.id}`, headers: admin.headers })
      ).json();
      expect(now).toEqual(first.json());
      expect(await overrideAudits(row.id)).toEqual([{ action: 'tier-override', user_id: manager.userId }]);

      // Without a version the override is refused before anything changes.
      const missing = await app.inject({
        method: 'PUT',
        url,
        headers: admin.headers,
        payload: { tier: 'C', reason: 'Lost the tender' },
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.details.issues).toEqual([
        expect.objectContaining({ path: 'body.version' }),
      ]);

      // Made again on the version the conflict carried, it is saved.
      const again = await app.inject({
        method: 'PUT',
        url,
        headers: admin.headers,
        payload: {
          tier: 'C',
          reason: 'Lost the tender',
          version: second.json().error.details.current.version,
        },
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({
        tier: 'C',
        tierOverride: 'C',
        tierOverrideReason: 'Lost the tender',
      });
      expect(await overrideAudits(row.id)).toHaveLength(2);
    });

    it('lets exactly one of two overrides made at once on the same version through', async () => {
      const rows = await tdb.db.kysely
        .selectFrom('accounts')
        .select(['id', 'version'])
        .where('in_market', '=', 1)
        .where('tier', '=', 'C')
        .where('tier_override', 'is', null)
        .orderBy('id')
        .limit(5)
        .execute();
      expect(rows).toHaveLength(5);
      for (const row of rows) {
        const url = `/api/accounts/${row.id}/tier-override`;
        const answers = await Promise.all(
          (
            [
              [manager, 'A'],
              [admin, 'B'],
            ] as const
          ).map(([session, tier]) =>
            app.inject({
              method: 'PUT',
              url,
              headers: session.headers,
              payload: { tier, reason: `Both at once: ${tier}`, version: row.version },
            }),
          ),
        );
        expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
        const winner = answers.find((a) => a.statusCode === 200)?.json();
        const loser = answers.find((a) => a.statusCode === 409)?.json();
        expect(loser.error.details.current).toEqual(winner);
        const stored = await tdb.db.kysely
          .selectFrom('accounts')
          .select(['tier_override', 'version'])
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        expect(stored).toEqual({ tier_override: winner.tierOverride, version: winner.version });
        expect(await overrideAudits(row.id)).toHaveLength(1);
      }
    });

    it('deletes a territory only on the version read: changed since, it answers 409 with it as it is now', async () => {
      const repId = (
        await tdb.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'li.na@demo.tierline.local')
          .executeTakeFirstOrThrow()
      ).id;
      const created = await app.inject({
        method: 'POST',
        url: '/api/territories',
        headers: manager.headers,
        payload: { name: 'Delete me', repId, cities: ['珠海市'] },
      });
      expect(created.statusCode).toBe(201);
      const { id, version } = created.json();
      const url = `/api/territories/${id}`;
      const edited = await app.inject({
        method: 'PATCH',
        url,
        headers: manager.headers,
        payload: { cities: ['珠海市', '中山市'], version },
      });
      expect(edited.statusCode).toBe(200);

      const stale = await app.inject({
        method: 'DELETE',
        url: `${url}?version=${version}`,
        headers: admin.headers,
      });
      expect(stale.statusCode).toBe(409);
      const { claimedAccounts: _claimed, ...current } = edited.json();
      expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { current } });
      const listed = async () =>
        (await app.inject({ method: 'GET', url: '/api/territories', headers: admin.headers }))
          .json()
          .items.filter((t: { id: string }) => t.id === id);
      expect(await listed()).toEqual([current]);

      const missing = await app.inject({ method: 'DELETE', url, headers: admin.headers });
      expect(missing.statusCode).toBe(400);
      expect(await listed()).toHaveLength(1);

      const deleted = await app.inject({
        method: 'DELETE',
        url: `${url}?version=${current.version}`,
        headers: admin.headers,
      });
      expect(deleted.statusCode).toBe(204);
      expect(await listed()).toEqual([]);
    });
  });
}
