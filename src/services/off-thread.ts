import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, errorFromPlain, type PlainError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import { workerBundle } from '../import/parse-worker-bundle.ts';
import type { TMarketSave, TTierCounts } from '../schemas/market-api.ts';
import type { TPlanCommit, TPlanRequest, TPlanResult } from '../schemas/plan-api.ts';
import type { Actor, ServiceContext } from './context.ts';
import { retier, saveMarket } from './market.ts';
import { commitPlan, previewPlan } from './plan.ts';

/*
 * Work over every account of a big SQLite workspace, moved off the server's thread: saving the target market and
 * re-tiering (synchronous SQLite: every account read and updated; ≈ 2 s at 100,000 accounts, 7 s at 300,000), and
 * planning the whole workspace as one workload (the planner's CPU, then the save). In the server's thread a server
 * would answer no request at all meanwhile, not even a read. From `TIERLINE_OFF_THREAD_ACCOUNTS` accounts (default
 * 20,000) it runs in a worker thread with its own connection instead (off-thread-worker.ts): reads go on (WAL), and
 * writes wait for its lock without blocking (storage/sqlite-driver.ts). Small workspaces, one rep's plan and
 * PostgreSQL run in place (a thread would only add its start-up, ~0.2 s).
 */

export type OffThreadTask =
  | { kind: 'saveMarket'; input: TMarketSave }
  | { kind: 'retier' }
  | { kind: 'previewPlan'; request: TPlanRequest }
  | { kind: 'commitPlan'; request: TPlanCommit };

export interface OffThreadWorkerData {
  module: string;
  dbPath: string;
  actor: Actor;
  /** The caller's clock at the start, as an ISO instant (the work's timestamps). */
  now: string;
  task: OffThreadTask;
}

/** Accounts from which the work moves to a worker thread (`TIERLINE_OFF_THREAD_ACCOUNTS`, default 20,000). */
function offThreadFrom(): number {
  const value = Number(process.env.TIERLINE_OFF_THREAD_ACCOUNTS);
  return Number.isFinite(value) && value >= 0 ? value : 20_000;
}

const WORKER_FILE = fileURLToPath(new URL('./off-thread-worker.ts', import.meta.url));
const WORKER_ENTRY = fileURLToPath(new URL('../import/worker-entry.mjs', import.meta.url));

/** saveMarket, in a worker thread on a big SQLite workspace (see above). */
export function saveMarketOffThread(ctx: ServiceContext, input: TMarketSave): ReturnType<typeof saveMarket> {
  return offThread(ctx, { kind: 'saveMarket', input }, () => saveMarket(ctx, input));
}

/** retier, in a worker thread on a big SQLite workspace (see above). */
export function retierOffThread(ctx: ServiceContext): Promise<TTierCounts> {
  return offThread(ctx, { kind: 'retier' }, () => retier(ctx));
}

/** previewPlan; the whole workspace's workload (no rep) in a worker thread on a big SQLite workspace. */
export function previewPlanOffThread(ctx: ServiceContext, request: TPlanRequest): Promise<TPlanResult> {
  const inPlace = () => previewPlan(ctx, request);
  return request.repId ? inPlace() : offThread(ctx, { kind: 'previewPlan', request }, inPlace);
}

/** commitPlan; the whole workspace's workload (no rep) in a worker thread on a big SQLite workspace. */
export function commitPlanOffThread(ctx: ServiceContext, request: TPlanCommit): Promise<TPlanResult> {
  const inPlace = () => commitPlan(ctx, request);
  return request.repId ? inPlace() : offThread(ctx, { kind: 'commitPlan', request }, inPlace);
}

async function offThread<T>(ctx: ServiceContext, task: OffThreadTask, inPlace: () => Promise<T>): Promise<T> {
  const { db } = ctx;
  if (db.dialect !== 'sqlite' || db.location === ':memory:') return inPlace();
  // The largest rowid: the number of accounts ever created, read from the table's b-tree without a scan.
  const row = await db.kysely
    .selectFrom('accounts')
    .select((eb) => eb.fn.max('rowid' as never).as('n'))
    .executeTakeFirst();
  if (Number(row?.n ?? 0) < offThreadFrom()) return inPlace();
  const data: OffThreadWorkerData = {
    module: pathToFileURL(WORKER_FILE).href,
    dbPath: db.location,
    actor: ctx.actor,
    now: ctx.now().toISOString(),
    task,
  };
  const bundle = await workerBundle(WORKER_FILE);
  return new Promise<T>((resolve, reject) => {
    const worker = bundle
      ? new Worker(bundle, { workerData: data, execArgv: [] })
      : new Worker(WORKER_ENTRY, { workerData: data });
    let settled = false;
    worker.on('message', (message: { type: 'result'; result: T } | { type: 'error'; error: PlainError }) => {
      settled = true;
      if (message.type === 'result') resolve(message.result);
      else reject(errorFromPlain(message.error));
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new AppError('internal', msg('work.thread_stopped', { code })));
    });
  });
}
