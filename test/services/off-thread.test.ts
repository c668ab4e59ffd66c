import dc from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BENCH_MARKET, seedWorkspace } from '../../bench/plan-data.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { renderMessage } from '../../src/domain/messages.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { retier, saveMarket } from '../../src/services/market.ts';
import {
  commitPlanOffThread,
  commitTeamPlansOffThread,
  previewPlanOffThread,
  previewTeamPlansOffThread,
  retierOffThread,
  saveMarketOffThread,
} from '../../src/services/off-thread.ts';
import { commitPlan, commitTeamPlans, previewPlan, previewTeamPlans } from '../../src/services/plan.ts';
import type { Db } from '../../src/storage/database.ts';
import { DIALECTS, FIXED_NOW, type TestDatabase } from '../helpers/databases.ts';

/*
 * Saving the market, re-tiering and planning the whole workspace run in a worker thread on a workspace over the threshold, SQLite
 * or PostgreSQL (off-thread.ts), so that a server keeps answering while every account is rewritten or planned. The
 * worker must give exactly what the same call gives in place, errors included, and the calling thread must stay
 * free meanwhile.
 */

const ACCOUNTS = 3_000;

/** The worker threads this thread starts while `work` runs (Node's `worker_threads` diagnostics channel). */
async function threadsStartedBy<T>(work: () => Promise<T>): Promise<{ value: T; threads: number }> {
  let threads = 0;
  const started = () => {
    threads++;
  };
  dc.subscribe('worker_threads', started);
  try {
    const value = await work();
    return { value, threads };
  } finally {
    dc.unsubscribe('worker_threads', started);
  }
}

for (const dialect of DIALECTS) {
  describe(`work over every account in a worker thread on a ${dialect.name} workspace over the threshold`, () => {
    const opened: TestDatabase[] = [];
    const previous = process.env.TIERLINE_OFF_THREAD_ACCOUNTS;

    beforeAll(() => {
      process.env.TIERLINE_OFF_THREAD_ACCOUNTS = String(ACCOUNTS / 2);
    });
    afterAll(async () => {
      if (previous === undefined) delete process.env.TIERLINE_OFF_THREAD_ACCOUNTS;
      else process.env.TIERLINE_OFF_THREAD_ACCOUNTS = previous;
      for (const tdb of opened) await tdb.cleanup();
    });

    /** A new database with the same workspace of ACCOUNTS accounts every time (the same seed, the same ids). */
    async function seeded(): Promise<Db> {
      const tdb = await dialect.open();
      opened.push(tdb);
      await seedWorkspace(tdb.db, { accounts: ACCOUNTS, reps: 12, seed: 7, visitsPerDay: null });
      return tdb.db;
    }

    /** Every account's market state, and the market versions and audit entries written. */
    async function state(db: Db) {
      const accounts = await db.kysely
        .selectFrom('accounts')
        .select(['id', 'in_market', 'tier', 'potential_score', 'market_version'])
        .orderBy('id')
        .execute();
      const versions = await db.kysely
        .selectFrom('market_definitions')
        .select(['version', 'criteria', 'matching', 'created_at'])
        .orderBy('version')
        .execute();
      const audit = await db.kysely
        .selectFrom('audit_log')
        .select(['entity', 'action', 'at'])
        .where('entity', '=', 'market')
        .execute();
      return { accounts, versions, audit };
    }

    it('gives what saveMarket and retier give in place, from a thread of its own, the calling thread free', async () => {
      const inPlace = await seeded();
      const offThread = await seeded();
      const here = makeContext(inPlace, SYSTEM_ACTOR, () => FIXED_NOW);
      const there = makeContext(offThread, SYSTEM_ACTOR, () => FIXED_NOW);
      const input = { criteria: BENCH_MARKET, note: 'bench market' };
      let turns = 0;
      let counting = true;
      const count = () => {
        turns++;
        if (counting) setImmediate(count);
      };
      setImmediate(count);
      const saved = await threadsStartedBy(() => saveMarketOffThread(there, input));
      counting = false;
      // One worker thread did the work (in place: none; on PostgreSQL the scoring would hold this thread between
      // the queries, on SQLite the whole save would be one long synchronous run).
      expect(saved).toEqual({ value: await saveMarket(here, input), threads: 1 });
      expect(saved.value.matching).toBeGreaterThan(ACCOUNTS / 4);
      // The thread turned freely while 3,000 accounts were rewritten elsewhere.
      expect(turns).toBeGreaterThan(100);
      expect(await threadsStartedBy(() => retierOffThread(there))).toEqual({
        value: await retier(here),
        threads: 1,
      });
      expect(await state(offThread)).toEqual(await state(inPlace));
    }, 180_000);

    it('plans the whole workspace as one workload as in place, preview and commit', async () => {
      const inPlace = await seeded();
      const offThread = await seeded();
      const here = makeContext(inPlace, SYSTEM_ACTOR, () => FIXED_NOW);
      const there = makeContext(offThread, SYSTEM_ACTOR, () => FIXED_NOW);
      await saveMarket(here, { criteria: BENCH_MARKET });
      await saveMarket(there, { criteria: BENCH_MARKET });
      const request = { from: '2026-11-30', months: 3 };
      expect(await threadsStartedBy(() => previewPlanOffThread(there, request))).toEqual({
        value: await previewPlan(here, request),
        threads: 1,
      });
      const commit = { ...request, acceptOverload: true };
      const committedThere = await threadsStartedBy(() => commitPlanOffThread(there, commit));
      const committedHere = await commitPlan(here, commit);
      expect(committedThere.threads).toBe(1);
      expect({ ...committedThere.value, planId: null }).toEqual({ ...committedHere, planId: null });
      expect(committedThere.value.committed).toBe(true);
      const touches = (db: Db) =>
        db.kysely
          .selectFrom('planned_touches')
          .select(['account_id', 'channel', 'due_on', 'status'])
          .orderBy('account_id')
          .orderBy('channel')
          .orderBy('due_on')
          .execute();
      const stored = await touches(offThread);
      expect(stored.length).toBeGreaterThan(ACCOUNTS / 2);
      expect(stored).toEqual(await touches(inPlace));
    }, 240_000);

    it('plans several reps as in place, preview and commit', async () => {
      const inPlace = await seeded();
      const offThread = await seeded();
      const here = makeContext(inPlace, SYSTEM_ACTOR, () => FIXED_NOW);
      const there = makeContext(offThread, SYSTEM_ACTOR, () => FIXED_NOW);
      await saveMarket(here, { criteria: BENCH_MARKET });
      await saveMarket(there, { criteria: BENCH_MARKET });
      const reps = await inPlace.kysely
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'rep')
        .orderBy('id')
        .limit(3)
        .execute();
      const request = { repIds: reps.map((r) => r.id), from: '2026-11-30', months: 3 };
      const owned = await inPlace.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('owner_id', 'in', request.repIds)
        .executeTakeFirstOrThrow();
      const ownedCount = Number(owned.n);
      // Only the named reps' accounts count towards the threshold: fewer than it run in place, however big the
      // workspace (the whole workspace here is over it).
      expect(ownedCount).toBeLessThan(ACCOUNTS / 2);
      expect(await threadsStartedBy(() => previewTeamPlansOffThread(there, request))).toEqual({
        value: await previewTeamPlans(here, request),
        threads: 0,
      });
      process.env.TIERLINE_OFF_THREAD_ACCOUNTS = String(ownedCount);
      onTestFinished(() => {
        process.env.TIERLINE_OFF_THREAD_ACCOUNTS = String(ACCOUNTS / 2);
      });
      expect(await threadsStartedBy(() => previewTeamPlansOffThread(there, request))).toEqual({
        value: await previewTeamPlans(here, request),
        threads: 1,
      });
      const commit = { ...request, acceptOverloadFor: request.repIds };
      const committedThere = await threadsStartedBy(() => commitTeamPlansOffThread(there, commit));
      const committedHere = await commitTeamPlans(here, commit);
      expect(committedThere.threads).toBe(1);
      const withoutIds = (result: typeof committedHere) => ({
        ...result,
        reps: result.reps.map((r) => ({ ...r, planId: typeof r.planId })),
      });
      expect(withoutIds(committedThere.value)).toEqual(withoutIds(committedHere));
      expect(committedHere.reps.map((r) => r.planId)).not.toContain(null);
    }, 240_000);

    it('brings the service’s refusal back with its catalog message, and changes nothing', async () => {
      const db = await seeded();
      const rep = makeContext(db, { userId: 'someone', role: 'rep', teamId: null }, () => FIXED_NOW);
      const { value: error, threads } = await threadsStartedBy(() =>
        saveMarketOffThread(rep, { criteria: BENCH_MARKET }).catch((e: unknown) => e),
      );
      expect(threads).toBe(1);
      expect(isAppError(error) && error.code).toBe('forbidden');
      expect(isAppError(error) && error.localized && renderMessage(error.localized, 'zh-CN')).toMatch(
        /[\u4e00-\u9fff]/,
      );
      expect((await state(db)).versions).toEqual([]);

      // From exactly TIERLINE_OFF_THREAD_ACCOUNTS accounts on; below that in place.
      try {
        process.env.TIERLINE_OFF_THREAD_ACCOUNTS = String(ACCOUNTS + 1);
        const below = await threadsStartedBy(() =>
          saveMarketOffThread(rep, { criteria: BENCH_MARKET }).catch((e: unknown) => e),
        );
        expect(below.threads).toBe(0);
        expect(isAppError(below.value) && below.value.code).toBe('forbidden');
        process.env.TIERLINE_OFF_THREAD_ACCOUNTS = String(ACCOUNTS);
        const from = await threadsStartedBy(() =>
          saveMarketOffThread(rep, { criteria: BENCH_MARKET }).catch((e: unknown) => e),
        );
        expect(from.threads).toBe(1);
        expect(isAppError(from.value) && from.value.code).toBe('forbidden');
      } finally {
        process.env.TIERLINE_OFF_THREAD_ACCOUNTS = String(ACCOUNTS / 2);
      }
    }, 120_000);
  });
}
