import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppInstance, buildApp } from '../../src/server/app.ts';
import { newId } from '../../src/storage/ids.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, FIXED_NOW, fixedClock, type TestDatabase } from '../helpers/databases.ts';
import { type People, type Session, seedPeople, signIn } from '../helpers/session.ts';

/*
 * A log sent again with the same `clientId` (a phone that lost the answer and retries, the web app's outbox sending
 * what it kept offline) logs the touch once: the second request answers the first log with 200 and
 * `replayed: true`, completes nothing more and moves no stage. The same id on a different log is refused.
 */
for (const dialect of DIALECTS) {
  describe(`a log sent twice with one clientId is logged once on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let app: AppInstance;
    let people: People;
    let admin: Session;
    let rep: Session;
    let mate: Session;
    const call = (who: Session, options: InjectOptions) =>
      app.inject({ ...options, headers: { ...who.headers, ...(options.headers ?? {}) } });

    beforeAll(async () => {
      tdb = await dialect.open();
      app = await buildApp(tdb.db, { now: fixedClock, webRoot: '/nonexistent' });
      people = await seedPeople(tdb.db);
      admin = await signIn(app, people.admin);
      rep = await signIn(app, people.rep);
      mate = await signIn(app, people.mate);
    });
    afterAll(async () => {
      await app.close();
      await tdb.cleanup();
    });

    /** An account of the rep with two open planned calls (next week and the month after). */
    async function accountWithCalls(): Promise<{ id: string; calls: string[] }> {
      const created = await call(admin, {
        method: 'POST',
        url: '/api/accounts',
        payload: makeAccountInput({ ownerId: people.rep.id }),
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      const at = FIXED_NOW.toISOString();
      const calls = [newId(), newId()];
      await tdb.db.kysely
        .insertInto('planned_touches')
        .values(
          calls.map((touchId, k) => ({
            id: touchId,
            account_id: id,
            rep_id: people.rep.id,
            plan_id: null,
            channel: 'call' as const,
            due_on: k === 0 ? '2026-10-12' : '2026-11-09',
            due_time: null,
            status: 'planned' as const,
            activity_id: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
      return { id, calls };
    }

    const activitiesOf = (accountId: string) =>
      tdb.db.kysely.selectFrom('activities').selectAll().where('account_id', '=', accountId).execute();

    it('answers the second send with the first log: 200, replayed, nothing logged or completed twice', async () => {
      const account = await accountWithCalls();
      const payload = {
        channel: 'call',
        outcome: 'meeting_booked',
        note: '约了下周三见面',
        clientId: 'f1c2a3b4-0000-4000-8000-000000000001',
      };
      const url = `/api/accounts/${account.id}/touches`;
      const first = await call(rep, { method: 'POST', url, payload });
      expect(first.statusCode).toBe(201);
      const logged = first.json();
      expect(logged).toMatchObject({ completedTouchId: account.calls[0], replayed: false, stage: 'meeting' });

      const again = await call(rep, { method: 'POST', url, payload });
      expect(again.statusCode).toBe(200);
      const replayed = again.json();
      expect(replayed.replayed).toBe(true);
      expect(replayed.activity).toEqual(logged.activity);
      expect(replayed.completedTouchId).toBe(account.calls[0]);
      expect(replayed.stage).toBe('meeting');
      expect(replayed.nextTouches).toEqual(logged.nextTouches);

      const rows = await activitiesOf(account.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.client_id).toBe(payload.clientId);
      const touches = await tdb.db.kysely
        .selectFrom('planned_touches')
        .select(['status'])
        .where('account_id', '=', account.id)
        .where('channel', '=', 'call')
        .execute();
      expect(touches.filter((t) => t.status === 'done')).toHaveLength(1);
    });

    it('logs twice without a clientId, and with two different ones', async () => {
      const account = await accountWithCalls();
      const url = `/api/accounts/${account.id}/touches`;
      for (const clientId of [undefined, undefined, 'second-log-0001', 'third-log-00001']) {
        const payload = { channel: 'call', outcome: 'no_answer', ...(clientId ? { clientId } : {}) };
        const response = await call(rep, { method: 'POST', url, payload });
        expect(response.statusCode).toBe(201);
        expect(response.json().replayed).toBe(false);
      }
      expect(await activitiesOf(account.id)).toHaveLength(4);
    });

    it('refuses the same clientId on a different log, and from another person, in both languages', async () => {
      const account = await accountWithCalls();
      const url = `/api/accounts/${account.id}/touches`;
      const clientId = 'reused-client-id-42';
      const first = await call(rep, {
        method: 'POST',
        url,
        payload: { channel: 'call', outcome: 'reached', clientId },
      });
      expect(first.statusCode).toBe(201);

      const otherOutcome = await call(rep, {
        method: 'POST',
        url,
        payload: { channel: 'call', outcome: 'refused', clientId },
      });
      expect(otherOutcome.statusCode).toBe(409);
      expect(otherOutcome.json().error).toMatchObject({ code: 'conflict', details: { field: 'clientId' } });
      expect(otherOutcome.json().error.message).toBe(
        'clientId "reused-client-id-42" was already used for a different log (another account, channel, outcome or person): make a new id for each log.',
      );
      const otherChannel = await call(rep, {
        method: 'POST',
        url,
        payload: { channel: 'visit', outcome: 'reached', clientId },
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(otherChannel.statusCode).toBe(409);
      expect(otherChannel.json().error.message).toContain(
        'clientId“reused-client-id-42”已用于另一条不同的联系记录',
      );

      // The mate (same team, may see the account) sends the rep's id: refused, not answered with the rep's log.
      const byMate = await call(mate, {
        method: 'POST',
        url,
        payload: { channel: 'call', outcome: 'reached', clientId },
      });
      expect([404, 409]).toContain(byMate.statusCode);
      expect(JSON.stringify(byMate.json())).not.toContain(first.json().activity.id);
      expect(await activitiesOf(account.id)).toHaveLength(1);
    });

    it('refuses a clientId that is not 8–64 letters, digits, "-" or "_", naming the field', async () => {
      const account = await accountWithCalls();
      const response = await call(rep, {
        method: 'POST',
        url: `/api/accounts/${account.id}/touches`,
        payload: { channel: 'call', outcome: 'reached', clientId: 'short' },
      });
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().error)).toContain('clientId');
      expect(await activitiesOf(account.id)).toHaveLength(0);
    });

    it('logs once when the same log is sent twice at the same moment', async () => {
      const account = await accountWithCalls();
      const url = `/api/accounts/${account.id}/touches`;
      const payload = { channel: 'call', outcome: 'reached', clientId: 'both-at-once-0001' };
      const answers = await Promise.all([
        call(rep, { method: 'POST', url, payload }),
        call(rep, { method: 'POST', url, payload }),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
      const [a, b] = answers.map((answer) => answer.json());
      expect(a.activity.id).toBe(b.activity.id);
      expect(await activitiesOf(account.id)).toHaveLength(1);
    });
  });
}
