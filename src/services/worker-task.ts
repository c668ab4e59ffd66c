import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { AppError, errorFromPlain, type PlainError } from '../domain/errors.ts';
import type { Message } from '../domain/messages.ts';
import { workerBundle } from '../import/parse-worker-bundle.ts';

/*
 * One task in a worker thread of its own (the SQLite import writer, work over every account: import-prospects.ts,
 * off-thread.ts). The worker's module is started bundled (parse-worker-bundle.ts: no TypeScript loader in the
 * thread) or, when it cannot be bundled here, through tsx (worker-entry.mjs, which loads `workerData.module`). The
 * worker posts any number of events, then one result or one error as plain data (`plainError`), which comes back
 * as the same AppError (`errorFromPlain`); a thread that stops without either fails with the caller's message.
 */

/** What a task's worker posts: events while it runs, then one result or one error. */
export type WorkerTaskMessage<T, E = never> =
  | { type: 'event'; event: E }
  | { type: 'result'; result: T }
  | { type: 'error'; error: PlainError };

export interface WorkerTask<E> {
  /** The worker's TypeScript module, as an absolute path. */
  file: string;
  /** The worker's data (structured-cloned); `module`, the file's URL for worker-entry.mjs, is added to it. */
  data: object;
  resourceLimits?: ResourceLimits;
  onEvent?: (event: E) => void;
  /** The failure when the thread stops without an answer, from its exit code (an `internal` error). */
  stopped: (code: number) => Message;
}

const WORKER_ENTRY = fileURLToPath(new URL('../import/worker-entry.mjs', import.meta.url));

/** Runs `task.file` in a worker thread and gives its result, or its error (see above). */
export async function runWorkerTask<T, E = never>(task: WorkerTask<E>): Promise<T> {
  const workerData = { ...task.data, module: pathToFileURL(task.file).href };
  const options = task.resourceLimits ? { workerData, resourceLimits: task.resourceLimits } : { workerData };
  const bundle = await workerBundle(task.file);
  return new Promise<T>((resolve, reject) => {
    const worker = bundle
      ? new Worker(bundle, { ...options, execArgv: [] })
      : new Worker(WORKER_ENTRY, options);
    let settled = false;
    worker.on('message', (message: WorkerTaskMessage<T, E>) => {
      if (message.type === 'event') {
        task.onEvent?.(message.event);
        return;
      }
      settled = true;
      if (message.type === 'result') resolve(message.result);
      else reject(errorFromPlain(message.error));
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new AppError('internal', task.stopped(code)));
    });
  });
}
