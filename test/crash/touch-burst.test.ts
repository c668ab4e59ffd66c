import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { commitPlan } from '../../src/services/plan.ts';
import { createDb } from '../../src/storage/database.ts';
import { makeAccountInput } from '../fixtures/accounts.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';
import { type People, seedPeople, TEST_PASSWORD } from '../helpers/session.ts';

// Crash safety of logging touches through the real HTTP server: `tierline serve` on a database, a burst of
// concurrent POST /api/accounts/:id/touches, SIGKILL in the middle of it. After a restart every touch the server
// acknowledged (201) is there with what was sent, nothing is half-written (a touch and the planned touch it
// completed are linked both ways or not at all) and the database is intact.

const BIN = join(import.meta.dirname, '../../bin/tierline.js');
const ACCOUNTS = 60;
const WORKERS = 8;
const KILL_AFTER_ACKS = 80;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Ack {
  activityId: string;
  accountId: string;
  channel: 'call' | 'visit';
  note: string;
  completedTouchId: string | null;
}

for (const dialect of DIALECTS) {
  describe(`SIGKILL during a burst of logged touches through the HTTP server on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let people: People;
    const accountIds: string[] = [];
    let server: ChildProcess | undefined;

    beforeAll(async () => {
      tdb = await dialect.open();
      people = await seedPeople(tdb.db);
      const ctx = makeContext(tdb.db, SYSTEM_ACTOR);
      for (let i = 0; i < ACCOUNTS; i++) {
        const account = await createAccount(
          ctx,
          makeAccountInput({ province: '广东省', ownerId: people.rep.id }),
        );
        accountIds.push(account.id);
      }
      // Planned touches to complete: each logged touch completes one and re-plans that channel.
      await saveMarket(ctx, { criteria: { provinces: ['广东省'] } });
      await commitPlan(ctx, { repId: people.rep.id, acceptOverload: true });
    }, 120_000);
    afterAll(async () => {
      server?.kill('SIGKILL');
      await tdb.cleanup();
    });

    it('keeps every acknowledged touch, whole, and the database intact', async () => {
      const port = await freePort();
      let output = '';
      server = spawn(process.execPath, [BIN, '--db', tdb.url, 'serve', '--port', String(port)], {
        env: { ...process.env, DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout?.on('data', (d) => {
        output += d;
      });
      server.stderr?.on('data', (d) => {
        output += d;
      });
      const exited = new Promise<number | null>((resolve) => server?.on('exit', (code) => resolve(code)));
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`the server did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const signIn = await fetch(`${base}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: people.rep.email, password: TEST_PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrfToken } = (await signIn.json()) as { csrfToken: string };

      const acks: Ack[] = [];
      const sent: string[] = [];
      let failures = 0;
      let stop = false;
      let sequence = 0;
      let killed!: () => void;
      const killedNow = new Promise<void>((resolve) => {
        killed = resolve;
      });
      const worker = async () => {
        while (!stop) {
          sequence += 1;
          const accountId = accountIds[sequence % accountIds.length] as string;
          const channel = sequence % 3 === 0 ? 'visit' : 'call';
          const note = `burst ${sequence} ${Math.random().toString(36).slice(2)}`;
          sent.push(note);
          try {
            const res = await fetch(`${base}/api/accounts/${accountId}/touches`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
              body: JSON.stringify({ channel, outcome: 'reached', note }),
            });
            const body = (await res.json()) as {
              activity?: { id: string };
              completedTouchId?: string | null;
              error?: unknown;
            };
            if (res.status === 201 && body.activity) {
              acks.push({
                activityId: body.activity.id,
                accountId,
                channel,
                note,
                completedTouchId: body.completedTouchId ?? null,
              });
              if (acks.length === KILL_AFTER_ACKS) {
                // Mid-burst: the other workers have requests in flight.
                server?.kill('SIGKILL');
                killed();
              }
            } else if (!stop) throw new Error(`unexpected answer ${res.status}: ${JSON.stringify(body)}`);
          } catch (error) {
            if (error instanceof Error && error.message.startsWith('unexpected answer')) throw error;
            failures += 1; // the connection died with the server: not acknowledged
            if (acks.length >= KILL_AFTER_ACKS) stop = true;
          }
        }
      };
      const workers = Array.from({ length: WORKERS }, worker);
      await killedNow;
      stop = true;
      await Promise.all(workers);
      expect(await exited).toBeNull();
      expect(acks.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      expect(failures, 'requests in flight when the server was killed').toBeGreaterThan(0);

      // Reopen, as the next start would.
      const db = await createDb(tdb.url);
      try {
        if (db.sqlite) {
          expect(db.sqlite.prepare('pragma integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
          expect(db.sqlite.prepare('pragma foreign_key_check').all()).toEqual([]);
        }
        const stored = await db.kysely
          .selectFrom('activities')
          .select(['id', 'account_id', 'channel', 'note', 'planned_touch_id'])
          .where('note', 'like', 'burst %')
          .execute();
        const byId = new Map(stored.map((a) => [a.id, a]));
        for (const ack of acks) {
          expect(byId.get(ack.activityId), `acknowledged touch ${ack.note}`).toMatchObject({
            account_id: ack.accountId,
            channel: ack.channel,
            note: ack.note,
            planned_touch_id: ack.completedTouchId,
          });
        }
        // Nothing was stored that was not sent; what was stored but not acknowledged was committed as the
        // server died, before it could answer.
        const sentNotes = new Set(sent);
        expect(stored.every((a) => sentNotes.has(a.note ?? ''))).toBe(true);
        expect(stored.length - acks.length).toBeLessThanOrEqual(WORKERS);

        // Whole: an activity and the planned touch it completed point at each other, or neither exists.
        const halfLinked = await sql<{ n: number }>`
          select count(*) as n from activities a
          left join planned_touches t on t.id = a.planned_touch_id
          where a.planned_touch_id is not null
            and (t.id is null or t.status <> 'done' or t.activity_id is null or t.activity_id <> a.id)`.execute(
          db.kysely,
        );
        expect(Number(halfLinked.rows[0]?.n)).toBe(0);
        const doneWithoutActivity = await sql<{ n: number }>`
          select count(*) as n from planned_touches t
          where t.activity_id is not null and not exists (select 1 from activities a where a.id = t.activity_id)`.execute(
          db.kysely,
        );
        expect(Number(doneWithoutActivity.rows[0]?.n)).toBe(0);
        const orphanTouches = await sql<{ n: number }>`
          select count(*) as n from planned_touches t
          where not exists (select 1 from accounts a where a.id = t.account_id)`.execute(db.kysely);
        expect(Number(orphanTouches.rows[0]?.n)).toBe(0);
      } finally {
        await db.close();
      }
    }, 300_000);
  });
}
