import { parentPort, workerData } from 'node:worker_threads';
import { plainError } from '../domain/errors.ts';
import { presetParseWorkerBundle } from '../import/parse-worker-bundle.ts';
import { openSqliteBulk } from '../storage/bulk-connection.ts';
import { type PipelineEvent, type PipelineJob, type PipelineResult, runPipeline } from './import-pipeline.ts';
import type { WorkerTaskMessage } from './worker-task.ts';

// The SQLite import writer as a worker thread: better-sqlite3 is synchronous, so the staging and the merge run
// here with their own connection and the main thread (a server answering requests) never waits on them.

export interface WriterWorkerData {
  dbPath: string;
  job: PipelineJob;
  /** The parse worker's bundle (a data: URL) built by the parent; null: start it through tsx; absent: build it. */
  parseBundle?: string | null;
}

const port = parentPort;
if (!port) throw new Error('import-writer-worker.ts runs only as a worker thread');
const data = workerData as WriterWorkerData;
const post = (message: WorkerTaskMessage<PipelineResult, PipelineEvent>) => port.postMessage(message);
if (data.parseBundle !== undefined)
  presetParseWorkerBundle(data.parseBundle === null ? null : new URL(data.parseBundle));
const bulk = openSqliteBulk(data.dbPath);
try {
  const result = await runPipeline(data.job, bulk, (event) => post({ type: 'event', event }));
  // The merge left its pages in the write-ahead log (hundreds of MiB for a big list): copy them into the database
  // here, before the server's thread writes the job's end, whose commit would otherwise run that checkpoint itself
  // (SQLite's fallback at 10,000 log pages; ≈ 1 s of a stopped server after 300,000 rows).
  if (!data.job.dryRun) await bulk.exec('pragma wal_checkpoint(PASSIVE)');
  post({ type: 'result', result });
} catch (error) {
  post({ type: 'error', error: plainError(error) });
} finally {
  await bulk.close();
}
