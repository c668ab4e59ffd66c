import { parentPort, workerData } from 'node:worker_threads';
import { plainError } from '../domain/errors.ts';
import { createDb } from '../storage/database.ts';
import { makeContext, type ServiceContext } from './context.ts';
import { retier, saveMarket } from './market.ts';
import type { OffThreadTask, OffThreadWorkerData } from './off-thread.ts';
import { commitPlan, previewPlan } from './plan.ts';

// Work over every account of a big SQLite workspace, in a worker thread with its own connection, so that the
// server's thread keeps answering (see off-thread.ts).

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
  }
}

const db = await createDb(data.dbPath);
try {
  const result = await run(
    makeContext(db, data.actor, () => new Date(data.now)),
    data.task,
  );
  port.postMessage({ type: 'result', result });
} catch (error) {
  port.postMessage({ type: 'error', error: plainError(error) });
} finally {
  await db.close();
}
