import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_MARKET, seedWorkspace } from '../../bench/plan-data.ts';
import { workerBundle } from '../../src/import/parse-worker-bundle.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { saveMarket } from '../../src/services/market.ts';
import { planAllReps, saveRepPlans } from '../../src/services/plan.ts';
import { createDb, type Db } from '../../src/storage/database.ts';
import { DIALECTS, type TestDatabase } from '../helpers/databases.ts';

// Crash safety of a plan commit for all reps (services/plan.ts commitPlansForAllReps = planAllReps +
// saveRepPlans): a child process commits every rep's plan and is killed with SIGKILL while its write transaction
// is open, once as the write starts and once well into it. Afterwards the database is intact, every rep still has
// exactly the plan it had before (no rep half old, half new; no plan record without its touches), and a rerun
// commits every rep's new plan completely.

const CHILD = join(import.meta.dirname, 'children/commit-all-reps.ts');

/**
 * The child's command line: its module bundled once per file by esbuild (as the import's worker threads are,
 * src/import/parse-worker-bundle.ts) into a plain .mjs file, so each child starts without tsx's loader (~1.5 s of
 * CPU each); through tsx when that bundle cannot be built.
 */
async function childCommand(dir: string): Promise<string[]> {
  const bundle = await workerBundle(CHILD);
  if (!bundle) return ['--import', 'tsx', CHILD];
  const file = join(dir, 'commit-all-reps.mjs');
  writeFileSync(file, Buffer.from(bundle.href.slice(bundle.href.indexOf(',') + 1), 'base64'));
  return [file];
}
const OLD_FROM = '2026-11-30';
const NEW_FROM = '2026-12-07';
const NOW = new Date('2026-11-27T02:00:00.000Z');

interface Snapshot {
  /** Per rep: its accounts' open planned touches from NEW_FROM on, as "account channel due plan". */
  touches: Map<string, string[]>;
  plans: number;
  plannedTouches: number;
  orphans: number;
}

async function snapshot(db: Db): Promise<Snapshot> {
  const rows = await db.kysely
    .selectFrom('planned_touches as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['a.owner_id', 't.account_id', 't.channel', 't.due_on', 't.plan_id'])
    .where('t.status', '=', 'planned')
    .where('t.due_on', '>=', NEW_FROM)
    .execute();
  const touches = new Map<string, string[]>();
  for (const r of rows) {
    const key = r.owner_id ?? '';
    const list = touches.get(key) ?? [];
    list.push(`${r.account_id} ${r.channel} ${r.due_on} ${r.plan_id}`);
    touches.set(key, list);
  }
  for (const list of touches.values()) list.sort();
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
    Number((await query.execute(db.kysely)).rows[0]?.n ?? -1);
  return {
    touches,
    plans: await count(sql<{ n: number }>`select count(*) as n from plans`),
    plannedTouches: await count(sql<{ n: number }>`select count(*) as n from planned_touches`),
    orphans: await count(
      sql<{
        n: number;
      }>`select count(*) as n from planned_touches t where t.plan_id is not null and not exists (select 1 from plans p where p.id = t.plan_id)`,
    ),
  };
}

for (const dialect of DIALECTS) {
  describe(`SIGKILL during a plan commit for all reps on ${dialect.name}`, () => {
    let tdb: TestDatabase;
    let reps: string[];
    let saveMs = 0;
    /** planned_touches' indexes as the migrations made them (SQLite; the save may drop and rebuild them). */
    let indexes: unknown[] = [];
    const touchIndexes = (sqlite: SqliteDatabase.Database | undefined) =>
      sqlite
        ?.prepare(
          "select name, sql from sqlite_master where type = 'index' and tbl_name = 'planned_touches' order by rowid",
        )
        .all() ?? [];
    const appName = `tierline-crash-${process.pid}-${Date.now().toString(36)}`;
    let childUrl: string;
    let childDir: string;
    let childArgs: string[];

    beforeAll(async () => {
      childDir = mkdtempSync(join(tmpdir(), 'tierline-crash-child-'));
      childArgs = await childCommand(childDir);
      tdb = await dialect.open();
      indexes = touchIndexes(tdb.db.sqlite);
      const workspace = await seedWorkspace(tdb.db, {
        accounts: 12_000,
        reps: 20,
        seed: 11,
        visitsPerDay: 16,
      });
      reps = workspace.reps;
      const ctx = makeContext(tdb.db, SYSTEM_ACTOR, () => NOW);
      await saveMarket(ctx, { criteria: BENCH_MARKET });
      // The old plans: what every rep has before the crash.
      const request = { from: OLD_FROM, acceptOverload: true };
      const plans = await planAllReps(ctx, request);
      const started = performance.now();
      await saveRepPlans(ctx, plans, request);
      saveMs = performance.now() - started;
      if (dialect.name === 'postgres') {
        const url = new URL(tdb.url);
        url.searchParams.set('application_name', appName);
        childUrl = url.toString();
      } else childUrl = tdb.url;
    }, 300_000);
    afterAll(async () => {
      await tdb.cleanup();
      rmSync(childDir, { recursive: true, force: true });
    });

    /** True while another connection holds a write transaction open. */
    async function writeInProgress(): Promise<boolean> {
      if (dialect.name === 'sqlite') {
        const probe = new SqliteDatabase(tdb.url, { timeout: 0 });
        try {
          probe.exec('begin immediate');
          probe.exec('rollback');
          return false;
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
          throw error;
        } finally {
          probe.close();
        }
      }
      const result = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where application_name = ${appName} and backend_xid is not null`.execute(tdb.db.kysely);
      return Number(result.rows[0]?.n ?? 0) > 0;
    }

    function startChild(): {
      child: ChildProcess;
      saving: Promise<void>;
      exited: Promise<number | null>;
      out: () => string;
    } {
      const child = spawn(process.execPath, [...childArgs, childUrl, NEW_FROM], {
        env: { ...process.env, DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let onSaving: () => void = () => {};
      const saving = new Promise<void>((resolve) => {
        onSaving = resolve;
      });
      child.stdout?.on('data', (d) => {
        stdout += d;
        if (stdout.includes('saving\n')) onSaving();
      });
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, saving, exited, out: () => `${stdout}\n${stderr}` };
    }

    async function expectIntact(): Promise<void> {
      if (dialect.name !== 'sqlite') return;
      // A fresh connection, as after a restart: it replays (or discards) what the killed process left in the WAL.
      const reopened = await createDb(tdb.url);
      try {
        expect(reopened.sqlite?.prepare('pragma integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
        expect(reopened.sqlite?.prepare('pragma foreign_key_check').all()).toEqual([]);
        expect(touchIndexes(reopened.sqlite)).toEqual(indexes);
      } finally {
        await reopened.close();
      }
    }

    it('leaves every rep with its old plan entirely; the rerun saves every new plan entirely', async () => {
      const first = await snapshot(tdb.db);
      expect(first.orphans).toBe(0);
      expect([...first.touches.values()].reduce((n, l) => n + l.length, 0)).toBeGreaterThan(10_000);

      // Once as the write starts, once well into it. On a busy machine the commit can finish inside the wait: then
      // that run proves nothing and the kill is tried again sooner (the state before each run is its own baseline).
      for (const delayMs of [0, Math.round(saveMs * 0.4)]) {
        let landed = false;
        for (let wait = delayMs; !landed; wait = Math.floor(wait / 2)) {
          const before = await snapshot(tdb.db);
          const run = startChild();
          await run.saving;
          const deadline = Date.now() + 60_000;
          while (!(await writeInProgress())) {
            if (Date.now() > deadline) throw new Error(`the write never started: ${run.out()}`);
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const stillWriting = await writeInProgress();
          run.child.kill('SIGKILL');
          const code = await run.exited;
          if (wait > 0 && (code !== null || !stillWriting)) continue; // committed before the kill: sooner
          expect(code, `the commit finished before it was killed (${wait} ms): ${run.out()}`).toBeNull();
          expect(stillWriting, `killed after ${wait} ms of writing`).toBe(true);
          landed = true;

          await expectIntact();
          const after = await snapshot(tdb.db);
          expect(after.plans).toBe(before.plans);
          expect(after.plannedTouches).toBe(before.plannedTouches);
          expect(after.orphans).toBe(0);
          for (const repId of reps) {
            expect(after.touches.get(repId), `rep ${repId} after a kill at ${wait} ms`).toEqual(
              before.touches.get(repId),
            );
          }
        }
      }

      const before = await snapshot(tdb.db);
      const rerun = startChild();
      const code = await rerun.exited;
      expect(code, rerun.out()).toBe(0);
      const summaries = JSON.parse(rerun.out().split('\n')[1] ?? '[]') as {
        repId: string;
        touches: number;
        planId: string;
      }[];
      expect(summaries.map((s) => s.repId).sort()).toEqual([...reps].sort());
      await expectIntact();
      const done = await snapshot(tdb.db);
      expect(done.plans).toBe(before.plans + reps.length);
      expect(done.orphans).toBe(0);
      for (const s of summaries) {
        const stored = await tdb.db.kysely
          .selectFrom('planned_touches')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('plan_id', '=', s.planId)
          .executeTakeFirstOrThrow();
        expect(Number(stored.n), `plan of rep ${s.repId}`).toBe(s.touches);
        // From NEW_FROM on, the rep's open touches all belong to the new plan.
        const touches = done.touches.get(s.repId) ?? [];
        expect(
          touches.every((t) => t.endsWith(` ${s.planId}`)),
          `rep ${s.repId}`,
        ).toBe(true);
        expect(touches.length).toBe(s.touches);
      }
    }, 600_000);
  });
}
