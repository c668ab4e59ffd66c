import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, errorFromPlain, type PlainError } from '../domain/errors.ts';
import { msg } from '../domain/messages.ts';
import {
  type ImportFileInfo,
  type MappingColumn,
  openImportFile,
  type PrepareProgress,
  prepareBatches,
} from './import-file.ts';
import type { ParseWorkerData, ToParseWorker } from './parse-worker.ts';
import { parseWorkerBundle } from './parse-worker-bundle.ts';
import type { PreparedBatch } from './prepare-rows.ts';

/**
 * Prepared rows of an import file, read in the calling thread or in a worker thread (for large files: the
 * worker decodes and validates while the caller stores, so the two cores work at once).
 */
export interface PreparedSource {
  readonly info: ImportFileInfo;
  /** Starts reading with the given mapping. Can be called once. Breaking out of the loop stops the reader. */
  batches(
    columns: MappingColumn[],
  ): AsyncGenerator<PreparedBatch & { progress: PrepareProgress }, void, undefined>;
  close(): Promise<void>;
}

const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));
const WORKER_MODULE = pathToFileURL(fileURLToPath(new URL('./parse-worker.ts', import.meta.url))).href;

type FromWorker =
  | { type: 'opened'; info: ImportFileInfo }
  | { type: 'batch'; batch: PreparedBatch & { progress: PrepareProgress } }
  | { type: 'done' }
  | { type: 'error'; error: PlainError };

/** Opens the file (in a worker when `thread`), reads its header and waits for `batches(columns)`. */
export async function openPreparedSource(
  path: string,
  options: { sheet?: string; thread?: boolean } = {},
): Promise<PreparedSource> {
  if (!options.thread) {
    const opened = await openImportFile(path, options.sheet ? { sheet: options.sheet } : {});
    return {
      info: opened.info,
      batches: (columns) => prepareBatches(opened, columns),
      close: () => opened.close(),
    };
  }
  return WorkerSource.open(path, options.sheet);
}

class WorkerSource implements PreparedSource {
  private readonly queue: FromWorker[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private closed = false;
  info!: ImportFileInfo;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => this.push(message));
    worker.on('error', (error) => {
      this.failure = error;
      this.wake?.();
    });
    worker.on('exit', (code) => {
      if (!this.closed && code !== 0 && !this.failure)
        this.failure = new AppError('internal', msg('imports.parse_worker_stopped', { code }));
      this.wake?.();
    });
  }

  static async open(path: string, sheet: string | undefined): Promise<WorkerSource> {
    const data: ParseWorkerData = { module: WORKER_MODULE, path, ...(sheet ? { sheet } : {}) };
    // A bounded heap: the parser keeps nothing between batches, so garbage is collected early. A young
    // generation of 8 MiB instead of V8's default saves ~25 MiB of RSS at the same CPU (200,000 rows).
    const resourceLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };
    const bundle = await parseWorkerBundle();
    const source = new WorkerSource(
      bundle
        ? // Plain JavaScript: none of the parent's loaders (execArgv would repeat `--import tsx`).
          new Worker(bundle, { workerData: data, execArgv: [], resourceLimits })
        : new Worker(WORKER_ENTRY, { workerData: data, resourceLimits }),
    );
    const first = await source.next();
    if (first?.type !== 'opened') {
      await source.close();
      throw source.failure ?? new Error('the parse worker did not open the file');
    }
    source.info = first.info;
    return source;
  }

  private push(message: FromWorker) {
    if (message.type === 'error') {
      // The catalog message crosses too, so the failure can be shown in the reader's language.
      this.failure = errorFromPlain(message.error);
    } else this.queue.push(message);
    this.wake?.();
  }

  private async next(): Promise<FromWorker | undefined> {
    for (;;) {
      const message = this.queue.shift();
      if (message) return message;
      if (this.failure) throw this.failure;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  private post(message: ToParseWorker) {
    this.worker.postMessage(message);
  }

  async *batches(columns: MappingColumn[]) {
    this.post({ type: 'start', columns });
    try {
      for (;;) {
        const message = await this.next();
        if (!message || message.type === 'done') return;
        if (message.type === 'batch') {
          this.post({ type: 'credit' });
          yield message.batch;
        }
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.post({ type: 'stop' });
    await this.worker.terminate();
  }
}
