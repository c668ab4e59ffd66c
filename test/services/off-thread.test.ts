import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_MARKET, seedWorkspace } from '../../bench/plan-data.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { renderMessage } from '../../src/domain/messages.ts';
import { makeContext, SYSTEM_ACTOR } from '../../src/services/context.ts';
import { retier, saveMarket } from '../../src/services/market.ts';
import {
  commitPlanOffThread,
  previewPlanOffThread,
  retierOffThread,
  saveMarketOffThread,
} from '../../src/services/off-thread.ts';
import { commitPlan, previewPlan } from '../../src/services/plan.ts';
import { createDb, type Db } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { FIXED_NOW } from '../helpers/databases.ts';

/*
 * Saving the market, re-tiering and planning the whole workspace run in a worker thread on a big SQLite workspace
 * (off-thread.ts), so that a server keeps answering while every account is rewritten or planned. The worker must give exactly what the same call gives
 * in place, errors included, and the calling thread must stay free meanwhile.
 */

const ACCOUNTS = 20_000;

describe('the market saved and re-tiered in a worker thread on a big SQLite workspace', () => {
  let dir: string;
  let seeded: string;
  const previous = process.env.TIERLINE_OFF_THREAD_ACCOUNTS;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tierline-off-thread-'));
    seeded = join(dir, 'seeded.db');
    const db = await createDb(seeded);
    await migrateToLatest(db);
    await seedWorkspace(db, { accounts: ACCOUNTS, reps: 12, seed: 7, visitsPerDay: null });
    await db.close();
    process.env.TIERLINE_OFF_THREAD_ACCOUNTS = String(ACCOUNTS / 2);
  }, 120_000);
  afterAll(() => {
    if (previous === undefined) delete process.env.TIERLINE_OFF_THREAD_ACCOUNTS;
    else process.env.TIERLINE_OFF_THREAD_ACCOUNTS = previous;
    rmSync(dir, { recursive: true, force: true });
  });

  async function copy(name: string): Promise<Db> {
    const path = join(dir, `${name}.db`);
    copyFileSync(seeded, path);
    return createDb(path);
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

  it('gives what saveMarket and retier give in place, and leaves the calling thread free', async () => {
    const inPlace = await copy('in-place');
    const offThread = await copy('off-thread');
    try {
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
      const saved = await saveMarketOffThread(there, input);
      counting = false;
      expect(saved).toEqual(await saveMarket(here, input));
      expect(saved.matching).toBeGreaterThan(ACCOUNTS / 4);
      // The thread turned freely while 20,000 accounts were rewritten elsewhere (in place: one long synchronous run).
      expect(turns).toBeGreaterThan(100);
      expect(await retierOffThread(there)).toEqual(await retier(here));
      expect(await state(offThread)).toEqual(await state(inPlace));
    } finally {
      await inPlace.close();
      await offThread.close();
    }
  }, 120_000);

  it('plans the whole workspace as one workload as in place, preview and commit', async () => {
    const inPlace = await copy('plan-in-place');
    const offThread = await copy('plan-off-thread');
    try {
      const here = makeContext(inPlace, SYSTEM_ACTOR, () => FIXED_NOW);
      const there = makeContext(offThread, SYSTEM_ACTOR, () => FIXED_NOW);
      await saveMarket(here, { criteria: BENCH_MARKET });
      await saveMarket(there, { criteria: BENCH_MARKET });
      const request = { from: '2026-11-30', months: 3 };
      expect(await previewPlanOffThread(there, request)).toEqual(await previewPlan(here, request));
      const commit = { ...request, acceptOverload: true };
      const committedThere = await commitPlanOffThread(there, commit);
      const committedHere = await commitPlan(here, commit);
      expect({ ...committedThere, planId: null }).toEqual({ ...committedHere, planId: null });
      expect(committedThere.committed).toBe(true);
      const touches = (db: Db) =>
        db.kysely
          .selectFrom('planned_touches')
          .select(['account_id', 'channel', 'due_on', 'status'])
          .orderBy(['account_id', 'channel', 'due_on'])
          .execute();
      const stored = await touches(offThread);
      expect(stored.length).toBeGreaterThan(ACCOUNTS / 2);
      expect(stored).toEqual(await touches(inPlace));
    } finally {
      await inPlace.close();
      await offThread.close();
    }
  }, 180_000);

  it('brings the service’s refusal back with its catalog message, and changes nothing', async () => {
    const db = await copy('refused');
    try {
      const rep = makeContext(db, { userId: 'someone', role: 'rep', teamId: null }, () => FIXED_NOW);
      const error = await saveMarketOffThread(rep, { criteria: BENCH_MARKET }).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('forbidden');
      expect(isAppError(error) && error.localized && renderMessage(error.localized, 'zh-CN')).toMatch(
        /[\u4e00-\u9fff]/,
      );
      expect((await state(db)).versions).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
