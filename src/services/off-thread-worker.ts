import { parentPort, workerData } from 'node:worker_threads';
import { plainError } from '../domain/errors.ts';
import { createDb, type Db } from '../storage/database.ts';
import { makeContext, type ServiceContext } from './context.ts';
import { retier, saveMarket } from './market.ts';
import type { OffThreadTask, OffThreadWorkerData } from './off-thread.ts';
import { commitPlan, commitTeamPlans, previewPlan, previewTeamPlans } from './plan.ts';
import type { WorkerTaskMessage } from './worker-task.ts';

// Work over every account of a big workspace, in a worker thread with its own connection (a SQLite file, or a small
// PostgreSQL pool), so that the server's thread keeps answering (see off-thread.ts).

const port = parentPort;
if (!port) throw new Error('off-thread-worker.ts runs only as a worker thread');
const data = workerData as OffThreadWorkerData;

function run(ctx: ServiceContext, task: OffThreadTask): Promise<unknown> {
  switch (task.kind) {
    case 'saveMarket':
      return saveMarket(ctx, task.input);
    case 'retier':
      return retier(ctx);
    case 'previewPlan':
      return previewPlan(ctx, task.request);
    case 'commitPlan':
      return commitPlan(ctx, task.request);
    case 'previewTeamPlans':
      return previewTeamPlans(ctx, task.request);
    case 'commitTeamPlans':
      return commitTeamPlans(ctx, task.request);
  }
}

const answer = (message: WorkerTaskMessage<unknown>) => port.postMessage(message);
let db: Db | undefined;
try {
  // The work is one transaction and a few reads beside it: four connections are plenty.
  db = await createDb(data.url, data.schema ? { schema: data.schema, poolSize: 4 } : { poolSize: 4 });
  const result = await run(
    makeContext(db, data.actor, () => new Date(data.now)),
    data.task,
  );
  answer({ type: 'result', result });
} catch (error) {
  answer({ type: 'error', error: plainError(error) });
} finally {
  await db?.close();
}
