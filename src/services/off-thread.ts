import { fileURLToPath } from 'node:url';
import { msg } from '../domain/messages.ts';
import type { TMarketSaveInput, TTierCounts } from '../schemas/market-api.ts';
import type {
  TPlanCommit,
  TPlanRequest,
  TPlanResult,
  TTeamPlanCommit,
  TTeamPlanRequest,
  TTeamPlanResult,
} from '../schemas/plan-api.ts';
import type { Db } from '../storage/database.ts';
import type { Actor, ServiceContext } from './context.ts';
import { retier, saveMarket } from './market.ts';
import { commitPlan, commitTeamPlans, previewPlan, previewTeamPlans } from './plan.ts';
import { runWorkerTask } from './worker-task.ts';

/*
 * Work over every account of a big workspace, moved off the server's thread: saving the target market and
 * re-tiering (every account read, scored and updated; on SQLite synchronously, ≈ 2 s at 100,000 accounts, 7 s at
 * 300,000), and planning the whole workspace as one workload (the planner's CPU, seconds at 100,000 accounts, then
 * the save). In the server's thread a server would answer no request at all meanwhile, not even a read: on
 * SQLite for the whole call, on PostgreSQL for the scoring and the planner between its queries. From
 * `TIERLINE_OFF_THREAD_ACCOUNTS` accounts (default 20,000; counted cheaply, see `accountsUpTo`) it runs in a worker
 * thread that opens its own connection (off-thread-worker.ts; a SQLite file by its path, PostgreSQL by the URL and
 * schema the caller's database was opened with, `Db.reopen`) and closes it at the end. On SQLite reads go on (WAL)
 * and writes wait for its lock without blocking (storage/sqlite-driver.ts); on PostgreSQL the server's pool is
 * not used for the work at all. The result, or the service's error (an AppError crosses as plain data, see
 * worker-task.ts), is what the same call gives in place. Small workspaces and one rep's plan run in place (a
 * thread would only add its start-up, ~0.2 s), and so does a re-plan of named reps who own fewer accounts than the
 * threshold together.
 */

export type OffThreadTask =
  | { kind: 'saveMarket'; input: TMarketSaveInput }
  | { kind: 'retier' }
  | { kind: 'previewPlan'; request: TPlanRequest }
  | { kind: 'commitPlan'; request: TPlanCommit }
  | { kind: 'previewTeamPlans'; request: TTeamPlanRequest }
  | { kind: 'commitTeamPlans'; request: TTeamPlanCommit };

export interface OffThreadWorkerData {
  /** The SQLite file, or the PostgreSQL URL (with its password: the worker opens its own connections). */
  url: string;
  /** PostgreSQL: the schema the caller's connections use, when not given by the URL. */
  schema?: string;
  actor: Actor;
  /** The caller's clock at the start, as an ISO instant (the work's timestamps). */
  now: string;
  task: OffThreadTask;
}

/** Accounts from which the work moves to a worker thread (`TIERLINE_OFF_THREAD_ACCOUNTS`, default 20,000). */
function offThreadFrom(): number {
  const value = Number(process.env.TIERLINE_OFF_THREAD_ACCOUNTS);
  // A whole number (PostgreSQL's LIMIT takes no fraction), at most 2^53 - 1.
  return Number.isFinite(value) && value >= 0 ? Math.min(Math.ceil(value), Number.MAX_SAFE_INTEGER) : 20_000;
}

const WORKER_FILE = fileURLToPath(new URL('./off-thread-worker.ts', import.meta.url));

/** saveMarket, in a worker thread on a big workspace (see above). */
export function saveMarketOffThread(
  ctx: ServiceContext,
  input: TMarketSaveInput,
): ReturnType<typeof saveMarket> {
  return offThread(ctx, { kind: 'saveMarket', input }, () => saveMarket(ctx, input));
}

/** retier, in a worker thread on a big workspace (see above). */
export function retierOffThread(ctx: ServiceContext): Promise<TTierCounts> {
  return offThread(ctx, { kind: 'retier' }, () => retier(ctx));
}

/** previewPlan; the whole workspace's workload (no rep) in a worker thread on a big workspace. */
export function previewPlanOffThread(ctx: ServiceContext, request: TPlanRequest): Promise<TPlanResult> {
  const inPlace = () => previewPlan(ctx, request);
  return request.repId ? inPlace() : offThread(ctx, { kind: 'previewPlan', request }, inPlace);
}

/** commitPlan; the whole workspace's workload (no rep) in a worker thread on a big workspace. */
export function commitPlanOffThread(ctx: ServiceContext, request: TPlanCommit): Promise<TPlanResult> {
  const inPlace = () => commitPlan(ctx, request);
  return request.repId ? inPlace() : offThread(ctx, { kind: 'commitPlan', request }, inPlace);
}

/** previewTeamPlans (several reps' plans at once), in a worker thread on a big workspace. */
export function previewTeamPlansOffThread(
  ctx: ServiceContext,
  request: TTeamPlanRequest,
): Promise<TTeamPlanResult> {
  return offThread(
    ctx,
    { kind: 'previewTeamPlans', request },
    () => previewTeamPlans(ctx, request),
    request.repIds,
  );
}

/** commitTeamPlans (several reps' plans in one transaction), in a worker thread on a big workspace. */
export function commitTeamPlansOffThread(
  ctx: ServiceContext,
  request: TTeamPlanCommit,
): Promise<TTeamPlanResult> {
  return offThread(
    ctx,
    { kind: 'commitTeamPlans', request },
    () => commitTeamPlans(ctx, request),
    request.repIds,
  );
}

/**
 * Runs `task` in a worker thread when the work covers at least `offThreadFrom()` accounts, else `inPlace`. With
 * `ownerIds` (a re-plan of named reps) only those reps' accounts count, so re-planning three reps of a big workspace
 * stays in place instead of paying a worker's start.
 */
async function offThread<T>(
  ctx: ServiceContext,
  task: OffThreadTask,
  inPlace: () => Promise<T>,
  ownerIds?: readonly string[],
): Promise<T> {
  const database = workerDatabase(ctx.db);
  const from = offThreadFrom();
  if (!database) return inPlace();
  const covered = ownerIds
    ? await ownedAccountsUpTo(ctx.db, from, ownerIds)
    : await accountsUpTo(ctx.db, from);
  if (covered < from) return inPlace();
  const data: OffThreadWorkerData = { ...database, actor: ctx.actor, now: ctx.now().toISOString(), task };
  return runWorkerTask<T>({
    file: WORKER_FILE,
    data,
    stopped: (code) => msg('work.thread_stopped', { code }),
  });
}

/** How the worker opens the database itself; null when it cannot (an in-memory SQLite database). */
function workerDatabase(db: Db): Pick<OffThreadWorkerData, 'url' | 'schema'> | null {
  if (db.dialect === 'sqlite') return db.location === ':memory:' ? null : { url: db.location };
  return db.reopen ?? null;
}

/**
 * The number of accounts, or at least `limit` when there are that many: cheap at any size. SQLite: the largest
 * rowid (the accounts ever created), read from the table's b-tree without a scan. PostgreSQL: a count of at most
 * `limit` rows (`count(*)` over a `limit` subquery stops reading there, however big the table), exact for the
 * statement's snapshot; pg_class.reltuples would be an estimate that only ANALYZE updates (-1 before the first
 * one: a big import would run in place until autovacuum came by), and a plain `count(*)` reads every row.
 */
async function accountsUpTo(db: Db, limit: number): Promise<number> {
  if (db.dialect === 'sqlite') {
    const row = await db.kysely
      .selectFrom('accounts')
      .select((eb) => eb.fn.max('rowid' as never).as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
  const row = await db.kysely
    .selectFrom((eb) => eb.selectFrom('accounts').select('id').limit(limit).as('counted'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The accounts the given reps own, counted up to `limit` (the owner index, then at most `limit` rows). */
async function ownedAccountsUpTo(db: Db, limit: number, ownerIds: readonly string[]): Promise<number> {
  const row = await db.kysely
    .selectFrom((eb) =>
      eb
        .selectFrom('accounts')
        .select('id')
        .where('owner_id', 'in', [...ownerIds])
        .limit(limit)
        .as('owned'),
    )
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
