import { parentPort, workerData } from 'node:worker_threads';
import { plainError } from '../domain/errors.ts';
import { createDb } from '../storage/database.ts';
import { makeContext } from './context.ts';
import { retier, saveMarket } from './market.ts';
import type { MarketWorkerData } from './market-off-thread.ts';

// Saving the market or re-tiering a big SQLite workspace, in a worker thread with its own connection: the work is
// synchronous SQLite (every account read and updated), so in the server's thread it would stop every request for
// seconds (see market-off-thread.ts).

const port = parentPort;
if (!port) throw new Error('market-worker.ts runs only as a worker thread');
const data = workerData as MarketWorkerData;
const db = await createDb(data.dbPath);
try {
  const ctx = makeContext(db, data.actor, () => new Date(data.now));
  const result = data.task.kind === 'save' ? await saveMarket(ctx, data.task.input) : await retier(ctx);
  port.postMessage({ type: 'result', result });
} catch (error) {
  port.postMessage({ type: 'error', error: plainError(error) });
} finally {
  await db.close();
}
