import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/*
 * Write-ahead log checkpoints off the request path (a serving SQLite database; docs/performance.md, "Plan").
 *
 * In WAL mode a commit appends the changed pages to the log; a checkpoint copies them into the database file and
 * syncs the log and the file (~5–15 ms each on a VM disk). By default SQLite checkpoints inside the commit that takes the log past
 * 1,000 pages, so every few dozen logged touches one request paid for everybody's writes: that was the p99 of
 * logTouch (24–38 ms, ≈10 ms without checkpoints). Here:
 *
 * - a worker thread with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)` every second, and again after
 *   0.1 s while it has not caught up with the log. PASSIVE neither waits for nor blocks the serving connection,
 *   and the copy and its syncs happen off the event loop (better-sqlite3 is synchronous);
 * - the serving connection keeps SQLite's own checkpoint in the write path only as a fallback, at 10,000 pages
 *   (40 MiB with 4 KiB pages) instead of 1,000: if the worker is starved, stuck or gone, the log still cannot grow
 *   without bound. It also matters under a steady stream of commits: SQLite starts the log over only at a write
 *   that finds every frame copied, and a checkpoint running beside a writer ends with the frames written meanwhile
 *   still to copy; the fallback then copies those few and lets the log start over. If the worker fails, the
 *   connection goes back to SQLite's default;
 * - closing the database stops the worker first (its connection closed), then `wal_checkpoint(TRUNCATE)` folds
 *   the rest in and empties the log (database.ts), so a stopped server leaves one self-contained file. A killed
 *   process leaves the log behind as before: SQLite replays it on the next open.
 *
 * Short-lived processes (CLI commands, tests) keep SQLite's default: they checkpoint at close anyway.
 */

/** Serving connection's own checkpoint threshold while the worker runs (pages of the log). */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;
/** SQLite's default threshold, restored when the worker stops unexpectedly. */
const DEFAULT_CHECKPOINT_PAGES = 1_000;

export interface BackgroundCheckpointOptions {
  /** Pause between checkpoints that caught up with the log; default 1,000 ms. */
  intervalMs?: number;
  /** Pause after one that did not; default 100 ms. */
  catchUpMs?: number;
  /** The serving connection's own checkpoint threshold meanwhile; default FALLBACK_CHECKPOINT_PAGES. */
  fallbackPages?: number;
}

export interface BackgroundCheckpoints {
  /**
   * Resolves once the worker's connection is open (it has read the log's index; until then its opening may keep
   * the serving connection from starting the log over), or once the worker has stopped without getting there.
   * Never rejects.
   */
  readonly ready: Promise<void>;
  /** Stops the worker and closes its connection (waits at most 2 s, then terminates it). */
  stop(): Promise<void>;
}

/** What checkpoint-worker.mjs takes. */
interface CheckpointWorkerData {
  path: string;
  /** Pause after a checkpoint that caught up with the log. */
  intervalMs: number;
  /** Pause after one that did not (frames were written meanwhile, or a reader held it back). */
  catchUpMs: number;
}

/**
 * What the worker tells the serving thread: its connection is open, or a checkpoint failed for another reason than
 * a busy database.
 */
type CheckpointWorkerMessage = { type: 'ready' } | { type: 'error'; message: string };

const WORKER = fileURLToPath(new URL('./checkpoint-worker.mjs', import.meta.url));

/** Starts checkpointing the database file of `sqlite` (in WAL mode) from a worker thread. */
export function startBackgroundCheckpoints(
  sqlite: SqliteDatabase.Database,
  path: string,
  options: BackgroundCheckpointOptions = {},
): BackgroundCheckpoints {
  const fallbackPages = Math.max(1, Math.floor(options.fallbackPages ?? FALLBACK_CHECKPOINT_PAGES));
  sqlite.pragma(`wal_autocheckpoint = ${fallbackPages}`);
  const workerData: CheckpointWorkerData = {
    path,
    intervalMs: options.intervalMs ?? 1_000,
    catchUpMs: options.catchUpMs ?? 100,
  };
  // No execArgv: the worker is plain JavaScript and needs none of the parent's loaders (tsx would cost ~250 ms).
  const worker = new Worker(WORKER, { workerData, execArgv: [] });
  // A process may end without closing its database: the worker does not keep it alive.
  worker.unref();
  let stopping = false;
  let fellBack = false;
  const fallBack = (reason: string) => {
    if (stopping || fellBack) return;
    fellBack = true;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_CHECKPOINT_PAGES}`);
    process.emitWarning(`SQLite checkpoints are back in the write path: ${reason}`, 'TierlineCheckpoint');
  };
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  worker.on('message', (message: CheckpointWorkerMessage) => {
    if (message.type === 'ready') markReady();
    else if (message.type === 'error') fallBack(`a background checkpoint failed (${message.message})`);
  });
  worker.on('error', (error) => fallBack(`the checkpoint worker failed (${error.message})`));
  worker.on('exit', (code) => {
    markReady();
    fallBack(`the checkpoint worker stopped (exit code ${code})`);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    ready,
    async stop() {
      if (stopping) return;
      stopping = true;
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
