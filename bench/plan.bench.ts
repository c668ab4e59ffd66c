// Issue 4 item 13: tier and plan 100k and 1M accounts over 400 reps and save it; re-plan one account after a
// logged touch. `npm run bench -- plan` (this file and plan-agenda.bench.ts; `-- plan.bench` for this one only).
// BENCH_PLAN_SIZES=100000 runs the small workspace only (any sizes, comma-separated; the re-plan runs on the
// last); BENCH_POSTGRES_URL=postgres://… also runs the 100k case on PostgreSQL (schema bench_plan).
// Re-plan only: BENCH_PLAN_ONLY=replan skips the 400 × commitPlan comparison and reports the logTouch figures
// (seeding, tiering and saving the plans still run, to build the state, and are reported as usual), with the
// CPU time per log overall and per channel. BENCH_PLAN_DB=/path/plan-300k.db keeps that state: the first run
// saves the planned SQLite workspace there, later runs with the same size copy it instead of seeding again (the
// copy is logged into and thrown away, so runs start alike). BENCH_PLAN_LOGS=600 sets the number of logs (300).
// The logs run on a connection opened as `tierline serve` opens it (SQLite: write-ahead log checkpoints in a
// worker thread); BENCH_PLAN_CHECKPOINTS=inline keeps SQLite's default (checkpoints inside commits) to compare.
// Tier + plan + save only: BENCH_PLAN_ONLY=save runs seeding, saveMarket, planAllReps and saveRepPlans for each size
// (BENCH_PLAN_SIZES=100000 for the 100k case alone) and skips the 400 × commitPlan comparison and the logs.
// BENCH_PLAN_HISTORY=1 gives every in-market account a logged call and visit at a random instant of the two years
// before the plan, written after saveMarket (not timed), so that planning converts a last touch per account and
// channel to a local date. Each size also reports previewPlan for 400 reps one by one (CPU a preview) and hashes
// of the plans and previews (sha256 of every rep's check, touches, unplaced and day loads; equal old and new
// code means the same plans).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeContext, type ServiceContext, SYSTEM_ACTOR } from '../src/services/context.ts';
import { saveMarket } from '../src/services/market.ts';
import { commitPlan, planAllReps, previewPlan, saveRepPlans } from '../src/services/plan.ts';
import { logTouch } from '../src/services/touches.ts';
import { createDb, type Db } from '../src/storage/database.ts';
import { type Benchmark, type Measurement, percentile } from './harness.ts';
import {
  BENCH_AT,
  BENCH_MARKET,
  type BenchDb,
  benchId,
  bulkInsert,
  openBenchDb,
  prng,
  seedWorkspace,
} from './plan-data.ts';

const REPS = 400;
const PLAN_FROM = '2026-11-30';
/**
 * Each rep's own visit capacity. About 615k in-market accounts over 400 reps is 1,420–1,650 accounts a rep, which
 * need 10.3–12 visits a working day (A 4, B 2, C 1 a year; 261 working days) against the default 4: the default
 * does not fit and commit would refuse. At 16 a day the visits fit with room for the ±20% spacing, and calls
 * need ~28 a day against the default 40, so the bench measures plans that fit. The commit accepts an overload
 * all the same, so that a rep whose plan does not fit shows up in the notes ("N not fitting") instead of
 * failing the run: with 1M accounts 8 of 400 reps end with 1–4 visits on the last days of the horizon, whose
 * ±20% windows are clipped to one or two full days (the planner reports them unplaced); those 8 are planned a
 * second time with overbooking, as commitPlan does.
 */
const VISITS_PER_DAY = 16;
const TOUCH_LOGS = Number(process.env.BENCH_PLAN_LOGS ?? 300);
const TOUCH_WARMUP = 20;
const HISTORY = process.env.BENCH_PLAN_HISTORY === '1';
const PREVIEW_REPS = 400;

/**
 * A logged call and visit for every in-market account, each at a random instant (to the second) of the two years
 * before BENCH_AT: what planning reads as the accounts' last touches. Not timed.
 */
async function seedLoggedTouches(db: Db): Promise<number> {
  const random = prng(20261128);
  const accounts = await db.kysely
    .selectFrom('accounts')
    .select(['id', 'owner_id'])
    .where('in_market', '=', 1)
    .orderBy('id')
    .execute();
  const end = Date.parse(BENCH_AT);
  const span = 2 * 365 * 86_400_000;
  function* rows(): Generator<unknown[]> {
    let n = 0;
    for (const a of accounts) {
      for (const channel of ['call', 'visit'] as const) {
        const at = new Date(Math.floor((end - random() * span) / 1000) * 1000).toISOString();
        yield [benchId(Date.parse('2026-01-01') + n++, random), a.id, a.owner_id, channel, at, 'reached', at];
      }
    }
  }
  return bulkInsert(
    db,
    'activities',
    ['id', 'account_id', 'user_id', 'channel', 'occurred_at', 'outcome', 'created_at'],
    rows(),
  );
}

/** sha256 (first 12 hex digits) of JSON values given one by one. */
function hashOf(values: Iterable<unknown>): string {
  const hash = createHash('sha256');
  for (const v of values) hash.update(JSON.stringify(v));
  return hash.digest('hex').slice(0, 12);
}

interface Phase {
  ms: number;
  cpuMs: number;
  load: number;
}

/** Wall and process CPU time of `work`, with the 1-minute load average after it (other jobs share the box). */
async function phase<T>(work: () => Promise<T>): Promise<Phase & { result: T }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, load: loadavg()[0] ?? 0, result };
}

const noteOf = (p: Phase, extra = '') =>
  `cpu ${Math.round(p.cpuMs)} ms, load ${p.load.toFixed(1)}${extra ? `; ${extra}` : ''}`;

async function tierAndPlan(
  db: Db,
  label: string,
  accounts: number,
  targetMs: number,
): Promise<{ measurements: Measurement[]; ctx: ServiceContext }> {
  const seed = await phase(() =>
    seedWorkspace(db, { accounts, reps: REPS, seed: 20261127, visitsPerDay: VISITS_PER_DAY }),
  );
  const now = new Date(BENCH_AT);
  const ctx = makeContext(db, SYSTEM_ACTOR, () => now);
  const market = await phase(() => saveMarket(ctx, { criteria: BENCH_MARKET }));
  const logged = HISTORY ? await seedLoggedTouches(db) : 0;
  const request = { from: PLAN_FROM, acceptOverload: true };
  const planned = await phase(() => planAllReps(ctx, request));
  const planHash = hashOf(
    planned.result.map((p) => [p.repId, p.fits, p.check, p.plan.touches, p.plan.unplaced, p.plan.days]),
  );
  const saved = await phase(() => saveRepPlans(ctx, planned.result, request));
  // previewPlan one rep at a time (the single-rep load path of commitPlan and previewPlan), after the save.
  const previewReps = planned.result.slice(0, PREVIEW_REPS).map((p) => p.repId);
  const previews: unknown[] = [];
  const previewed = await phase(async () => {
    for (const repId of previewReps) previews.push(await previewPlan(ctx, { repId, from: PLAN_FROM }));
  });
  const plans = saved.result;
  const touches = plans.reduce((n, p) => n + p.touches, 0);
  const over = plans.filter((p) => !p.fits).length;
  const total = market.ms + planned.ms + saved.ms;
  const { A, B, C } = market.result.tiers;
  return {
    ctx,
    measurements: [
      {
        name: `${label}: seed accounts and reps (not timed)`,
        value: seed.ms,
        unit: 'ms',
        notes: `${seed.result.accounts} accounts, ${REPS} reps`,
      },
      {
        name: `${label}: saveMarket (match + tier + write)`,
        value: market.ms,
        unit: 'ms',
        notes: noteOf(market, `${market.result.matching} in market: A ${A}, B ${B}, C ${C}`),
      },
      {
        name: `${label}: plan all reps (load + check + build)`,
        value: planned.ms,
        unit: 'ms',
        notes: noteOf(
          planned,
          `${plans.length} reps, ${over} not fitting (saved with accept-overload); ${logged} logged touches; plans ${planHash}`,
        ),
      },
      {
        name: `${label}: save all plans`,
        value: saved.ms,
        unit: 'ms',
        notes: noteOf(saved, `${touches} planned touches`),
      },
      {
        name: `${label}: previewPlan, one rep (CPU a preview)`,
        value: previewed.cpuMs / previewReps.length,
        unit: 'ms',
        notes: noteOf(
          previewed,
          `${previewReps.length} reps one by one, wall ${(previewed.ms / previewReps.length).toFixed(2)} ms a preview; previews ${hashOf(previews)}`,
        ),
      },
      {
        name: `${label}: tier + plan + save, total`,
        value: total,
        unit: 'ms',
        target: `< ${targetMs} ms`,
        ok: total < targetMs,
        notes: `cpu ${Math.round(market.cpuMs + planned.cpuMs + saved.cpuMs)} ms`,
      },
    ],
  };
}

/** 400 × commitPlan over the saved plan: what a caller without commitPlansForAllReps would do. */
async function perRepCommits(
  ctx: ServiceContext,
  label: string,
  reps: readonly string[],
): Promise<Measurement> {
  const loop = await phase(async () => {
    for (const repId of reps) await commitPlan(ctx, { repId, from: PLAN_FROM, acceptOverload: true });
  });
  return {
    name: `${label}: re-plan as ${reps.length} × commitPlan (for comparison)`,
    value: loop.ms,
    unit: 'ms',
    notes: noteOf(loop, 'replaces the saved plan rep by rep, one transaction each'),
  };
}

/** logTouch end to end through the service: complete the next planned touch and re-plan that channel. */
async function touchLogs(db: Db, label: string): Promise<Measurement[]> {
  // Seven weeks into the plan; earlier touches are overdue (nobody logged them), as in a real workspace.
  const now = new Date('2027-01-15T02:00:00.000Z');
  const ctx = makeContext(db, SYSTEM_ACTOR, () => now);
  const random = prng(4242);
  const ids = await db.kysely
    .selectFrom('accounts')
    .select('id')
    .where('in_market', '=', 1)
    .orderBy('id')
    .execute();
  const samples: number[] = [];
  // CPU time of this process per log, by channel (µs; the warm-up left out; all threads, so with background
  // checkpoints the worker's share is in it).
  const cpuOf = { call: { us: 0, n: 0 }, visit: { us: 0, n: 0 } };
  let replanned = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < TOUCH_WARMUP + TOUCH_LOGS; i++) {
    const accountId = ids[Math.floor(random() * ids.length)]?.id as string;
    const channel = i % 3 === 0 ? 'visit' : 'call';
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const result = await logTouch(ctx, accountId, {
      channel,
      outcome: i % 4 === 0 ? 'no_answer' : 'reached',
      note: '基准测试',
    });
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpuBefore);
    if (i >= TOUCH_WARMUP) {
      samples.push(ms);
      cpuOf[channel].us += used.user + used.system;
      cpuOf[channel].n++;
      if (result.nextTouches.length > 0) replanned++;
    }
  }
  const used = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  const perLog = (c: { us: number; n: number }) => (c.us / Math.max(1, c.n) / 1000).toFixed(2);
  const cpuPerLog = (cpuOf.call.us + cpuOf.visit.us) / Math.max(1, cpuOf.call.n + cpuOf.visit.n) / 1000;
  const notes = `${TOUCH_LOGS} logs after ${TOUCH_WARMUP} warm-up, ${replanned} re-planned; cpu ${Math.round((used.user + used.system) / 1000)} ms in all, a log ${cpuPerLog.toFixed(2)} ms (call ${perLog(cpuOf.call)}, visit ${perLog(cpuOf.visit)}); load ${(loadavg()[0] ?? 0).toFixed(1)}`;
  return [
    {
      name: `${label}: logTouch + re-plan p50`,
      value: p50,
      unit: 'ms',
      target: '< 5 ms',
      ok: p50 < 5,
      notes,
    },
    { name: `${label}: logTouch + re-plan p99`, value: p99, unit: 'ms', target: '< 5 ms', ok: p99 < 5 },
    { name: `${label}: logTouch + re-plan, CPU a log`, value: cpuPerLog, unit: 'ms' },
  ];
}

async function withDb<T>(
  kind: Parameters<typeof openBenchDb>[0],
  work: (b: BenchDb) => Promise<T>,
): Promise<T> {
  const b = await openBenchDb(kind);
  try {
    return await work(b);
  } finally {
    await b.cleanup();
  }
}

/** SQLite checkpoints as a server runs them unless BENCH_PLAN_CHECKPOINTS=inline. */
const backgroundCheckpoints = process.env.BENCH_PLAN_CHECKPOINTS !== 'inline';

/** `work` on a second connection to the SQLite file of `db`, opened as `tierline serve` opens its own. */
async function asServed<T>(db: Db, work: (served: Db) => Promise<T>): Promise<T> {
  if (db.dialect !== 'sqlite') return work(db);
  const served = await createDb(db.location, { backgroundCheckpoints });
  try {
    return await work(served);
  } finally {
    await served.close();
  }
}

/**
 * The SQLite workspace of one size, tiered, planned and saved: seeded here, or copied from BENCH_PLAN_DB when that
 * file exists (it is written after the first seeding otherwise).
 */
async function plannedSqlite(
  accounts: number,
  label: string,
  work: (db: Db, ctx: ServiceContext, measurements: Measurement[]) => Promise<void>,
): Promise<void> {
  const kept = process.env.BENCH_PLAN_DB;
  if (kept && existsSync(kept)) {
    const dir = mkdtempSync(join(tmpdir(), 'tierline-bench-'));
    try {
      copyFileSync(kept, join(dir, 'bench.db'));
      const db = await createDb(join(dir, 'bench.db'));
      try {
        const n = await db.kysely
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(n.n) !== accounts)
          throw new Error(
            `${kept} holds ${n.n} accounts, not ${accounts}: remove it or change BENCH_PLAN_SIZES`,
          );
        const now = new Date(BENCH_AT);
        await work(
          db,
          makeContext(db, SYSTEM_ACTOR, () => now),
          [],
        );
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  await withDb('sqlite', async ({ db }) => {
    const { measurements, ctx } = await tierAndPlan(
      db,
      label,
      accounts,
      accounts >= 1_000_000 ? 12_000 : 2_000,
    );
    if (kept && db.sqlite) {
      db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      copyFileSync(db.location, kept);
    }
    await work(db, ctx, measurements);
  });
}

const bench: Benchmark = {
  name: 'plan',
  description: `Tier, plan and save 100k and 1M accounts over ${REPS} reps; logTouch re-planning one account (SQLite; PostgreSQL with BENCH_POSTGRES_URL)`,
  async run() {
    const out: Measurement[] = [];
    const sizes = (process.env.BENCH_PLAN_SIZES ?? '100000,1000000').split(',').map(Number);
    const replanOnly = process.env.BENCH_PLAN_ONLY === 'replan';
    const saveOnly = process.env.BENCH_PLAN_ONLY === 'save';
    for (const [i, accounts] of sizes.entries()) {
      const last = i === sizes.length - 1;
      // Re-plan only: the smaller workspaces are not needed.
      if (replanOnly && !last) continue;
      const label = `SQLite ${accounts / 1000}k`;
      await plannedSqlite(accounts, label, async (db, ctx, measurements) => {
        out.push(...measurements);
        if (saveOnly) return;
        if (accounts < 1_000_000 && !replanOnly) {
          const reps = await db.kysely.selectFrom('users').select('id').where('role', '=', 'rep').execute();
          out.push(
            await perRepCommits(
              ctx,
              label,
              reps.map((r) => r.id),
            ),
          );
        }
        // Re-planning is measured on the largest workspace.
        if (last) out.push(...(await asServed(db, (served) => touchLogs(served, label))));
      });
    }
    const postgres = process.env.BENCH_POSTGRES_URL;
    if (postgres) {
      await withDb({ postgres, schema: 'bench_plan' }, async ({ db }) => {
        const label = 'PostgreSQL 100k';
        out.push(...(await tierAndPlan(db, label, 100_000, 2_000)).measurements);
        if (!saveOnly) out.push(...(await touchLogs(db, label)));
      });
    }
    return out;
  },
};

export default bench;
