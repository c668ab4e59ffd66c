// A bulk tier override over a filter of the Accounts list (services/account-bulk.ts bulkOverrideTier →
// market.ts applyTierOverrides → touches.ts replanTierChanges): the overridden accounts' open calls and visits are
// re-planned on the new tier's cadence in the action's one transaction. `npm run bench -- tier-override`.
//
// The workspace is plan.bench's 100k (bench/plan-data.ts: 400 reps, 16 visits a day, tiered, planned from
// 2026-11-30 for 12 months and saved; 400,437 planned touches), with a logged call for every third in-market
// account and a logged visit for every fifth, between 2026-10-01 and 2027-01-14, written straight into the log.
// The override runs on 2027-01-15 (seven weeks into the plan: earlier touches are overdue). Each case promotes
// the in-market B and C accounts of a set of cities to A (all of them for the largest), on its own copy of the
// workspace. Cases: BENCH_TIER_SIZES=5000,50000 (accounts, approximate: whole cities are taken). BENCH_TIER_DB=
// /path/tier-100k.db keeps the prepared workspace (written by the first run, copied by later ones).
// BENCH_POSTGRES_URL=postgres://… also runs BENCH_TIER_PG_SIZES (default: the first size) on PostgreSQL, the
// workspace prepared anew for each case (schema bench_tier; the server's CPU is not in the figures).
//
// Each case reports the wall and CPU time of the action and a digest of every planned touch afterwards (account,
// channel, due date, rep, status, plan, time; sorted): two versions of the re-plan run on the same kept SQLite
// workspace (BENCH_TIER_DB) store the same touches when their digests agree. (The PostgreSQL workspace is prepared
// anew for each case, and two preparations there gave different digests: compare those within one workspace.)
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bulkOverrideTier } from '../src/services/account-bulk.ts';
import { makeContext, SYSTEM_ACTOR } from '../src/services/context.ts';
import { saveMarket } from '../src/services/market.ts';
import { planAllReps, saveRepPlans } from '../src/services/plan.ts';
import { createDb, type Db } from '../src/storage/database.ts';
import type { Benchmark, Measurement } from './harness.ts';
import {
  BENCH_AT,
  BENCH_MARKET,
  benchId,
  bulkInsert,
  openBenchDb,
  prng,
  seedWorkspace,
} from './plan-data.ts';

const ACCOUNTS = 100_000;
const REPS = 400;
const VISITS_PER_DAY = 16;
const PLAN_FROM = '2026-11-30';
/** The day of the override (10:00 in Shanghai). */
const OVERRIDE_AT = '2027-01-15T02:00:00.000Z';
const SIZES = (process.env.BENCH_TIER_SIZES ?? '5000,50000').split(',').map(Number);

/** Seeds, tiers, plans and saves the workspace, then writes the logged touches. */
async function prepare(db: Db): Promise<void> {
  await seedWorkspace(db, { accounts: ACCOUNTS, reps: REPS, seed: 20261127, visitsPerDay: VISITS_PER_DAY });
  const ctx = makeContext(db, SYSTEM_ACTOR, () => new Date(BENCH_AT));
  await saveMarket(ctx, { criteria: BENCH_MARKET });
  const request = { from: PLAN_FROM, acceptOverload: true };
  await saveRepPlans(ctx, await planAllReps(ctx, request), request);
  const accounts = await db.kysely
    .selectFrom('accounts')
    .select(['id', 'owner_id'])
    .where('in_market', '=', 1)
    .orderBy('id')
    .execute();
  const random = prng(7);
  const first = Date.parse('2026-10-01T04:00:00.000Z');
  const span = Date.parse('2027-01-14T04:00:00.000Z') - first;
  const rows: unknown[][] = [];
  accounts.forEach((a, i) => {
    for (const [channel, every] of [
      ['call', 3],
      ['visit', 5],
    ] as const) {
      if (i % every !== 0) continue;
      const at = new Date(first + Math.floor(random() * (span / 86_400_000)) * 86_400_000).toISOString();
      rows.push([benchId(Date.parse(at), random), a.id, a.owner_id, channel, at, 'reached', at]);
    }
  });
  await bulkInsert(
    db,
    'activities',
    ['id', 'account_id', 'user_id', 'channel', 'occurred_at', 'outcome', 'created_at'],
    rows,
  );
}

/** The prepared SQLite workspace: kept in BENCH_TIER_DB when set (copied from there when it exists). */
async function preparedFile(): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const kept = process.env.BENCH_TIER_DB;
  if (kept && existsSync(kept)) return { file: kept, cleanup: async () => {} };
  const bench = await openBenchDb('sqlite');
  try {
    await prepare(bench.db);
    bench.db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    await bench.close();
  } catch (error) {
    await bench.cleanup();
    throw error;
  }
  if (kept) {
    copyFileSync(bench.url, kept);
    await bench.cleanup();
    return { file: kept, cleanup: async () => {} };
  }
  return { file: bench.url, cleanup: bench.cleanup };
}

/** The cities whose in-market B and C accounts add up to about `target` (largest first, all for a large target). */
async function citiesFor(db: Db, target: number): Promise<{ cities: string[]; accounts: number }> {
  const rows = await db.kysely
    .selectFrom('accounts')
    .select(['city', (eb) => eb.fn.countAll<number>().as('n')])
    .where('in_market', '=', 1)
    .where('tier', 'in', ['B', 'C'])
    .groupBy('city')
    .orderBy('n', 'desc')
    .orderBy('city')
    .execute();
  const cities: string[] = [];
  let accounts = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (!r.city || accounts + n > target * 1.02) continue;
    cities.push(r.city);
    accounts += n;
  }
  return { cities, accounts };
}

/** sha256 of every planned touch (without its id), sorted: equal for equal results. */
async function touchDigest(db: Db): Promise<string> {
  const rows = await db.kysely
    .selectFrom('planned_touches')
    .select(['account_id', 'channel', 'due_on', 'rep_id', 'status', 'plan_id', 'due_time'])
    .orderBy('account_id')
    .orderBy('channel')
    .orderBy('due_on')
    .orderBy('status')
    .execute();
  const hash = createHash('sha256');
  for (const r of rows)
    hash.update(
      `${r.account_id}|${r.channel}|${r.due_on}|${r.rep_id}|${r.status}|${r.plan_id}|${r.due_time}\n`,
    );
  return hash.digest('hex').slice(0, 16);
}

/** One bulk override of about `size` accounts on a prepared workspace: its figures. */
async function overrideCase(db: Db, label: string, size: number): Promise<Measurement[]> {
  const { cities, accounts } = await citiesFor(db, size);
  const ctx = makeContext(db, SYSTEM_ACTOR, () => new Date(OVERRIDE_AT));
  const openTouches = async () =>
    Number(
      (
        await db.kysely
          .selectFrom('planned_touches')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'planned')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await openTouches();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await bulkOverrideTier(ctx, {
    filter: { inMarket: true, tier: ['B', 'C'], city: cities },
    tier: 'A',
    reason: '基准测试：批量升级',
  });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const after = await openTouches();
  const replanned = await db.kysely
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'tier-override')
    .where('after', 'like', '%"replanned"%')
    .executeTakeFirstOrThrow();
  const name = `${label} ${size.toLocaleString('en')}`;
  return [
    {
      name: `${name}: bulk override (${result.changed.toLocaleString('en')} accounts)`,
      value: ms,
      unit: 'ms',
      notes: `${accounts} selected in ${cities.length} cities, ${result.changed} changed, ${Number(replanned.n)} re-planned; open touches ${before} → ${after}; cpu of this process ${Math.round((used.user + used.system) / 1000)} ms; load ${(loadavg()[0] ?? 0).toFixed(1)}; digest ${await touchDigest(db)}`,
    },
    { name: `${name}: per 500 accounts`, value: (ms / Math.max(1, result.changed)) * 500, unit: 'ms' },
  ];
}

const bench: Benchmark = {
  name: 'tier-override',
  description: `Bulk tier override (B and C promoted to A) of ~${SIZES.map((n) => n.toLocaleString('en')).join(' and ')} accounts with their open touches re-planned, ${ACCOUNTS.toLocaleString('en')} accounts over ${REPS} reps (SQLite; PostgreSQL with BENCH_POSTGRES_URL)`,
  async run() {
    const measurements: Measurement[] = [];
    const prepared = await preparedFile();
    try {
      for (const size of SIZES) {
        const dir = mkdtempSync(join(tmpdir(), 'tierline-bench-'));
        try {
          copyFileSync(prepared.file, join(dir, 'bench.db'));
          const db = await createDb(join(dir, 'bench.db'));
          try {
            measurements.push(...(await overrideCase(db, 'SQLite', size)));
          } finally {
            await db.close();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await prepared.cleanup();
    }
    // PostgreSQL: the workspace is prepared again for each case (schema bench_tier), a few minutes each.
    const postgres = process.env.BENCH_POSTGRES_URL;
    if (postgres) {
      for (const size of (process.env.BENCH_TIER_PG_SIZES ?? String(SIZES[0])).split(',').map(Number)) {
        const bench = await openBenchDb({ postgres, schema: 'bench_tier' });
        try {
          await prepare(bench.db);
          measurements.push(...(await overrideCase(bench.db, 'PostgreSQL', size)));
        } finally {
          await bench.cleanup();
        }
      }
    }
    return measurements;
  },
};

export default bench;
