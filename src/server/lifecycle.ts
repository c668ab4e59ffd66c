import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../storage/database.ts';
import type { AppInstance } from './app.ts';

/*
 * A serving process's life: ready → draining (after SIGTERM or SIGINT: /api/health/ready answers 503, no new
 * connections, requests in flight finish, the import runner stops taking jobs and gives back one it cannot
 * finish in time) → closed (database closed; on SQLite the write-ahead log checkpointed) → exit 0.
 */

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

export interface Lifecycle {
  /** Set when shutdown begins: readiness fails from then on. */
  draining: boolean;
  /** How long requests in flight and a running import job get to finish once shutdown begins. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** `--shutdown-timeout <seconds>`, else $TIERLINE_SHUTDOWN_TIMEOUT (seconds), else 10 s; in milliseconds. */
export function resolveShutdownTimeoutMs(
  flag?: string | number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = flag ?? env.TIERLINE_SHUTDOWN_TIMEOUT;
  if (raw === undefined || raw === '') return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    const from = flag !== undefined ? '--shutdown-timeout' : 'TIERLINE_SHUTDOWN_TIMEOUT';
    throw new Error(`${from}: "${raw}" is not a number of seconds between 0 and 3600.`);
  }
  return Math.round(seconds * 1000);
}

export interface ShutdownResult {
  /** Milliseconds from the start of the shutdown to the closed database. */
  ms: number;
  /** Connections with requests still open at the timeout were cut. */
  forced: boolean;
}

/**
 * Stops a listening app and closes its database: readiness fails at once, the listener closes (Fastify answers
 * 503 to further requests on kept-alive connections), requests in flight get `shutdownTimeoutMs` to finish
 * before their connections are cut, the import runner stops in the same window (onClose hook in
 * routes/imports.ts), then the database closes.
 */
export async function shutDown(app: AppInstance, db: Db, log: FastifyBaseLogger): Promise<ShutdownResult> {
  const started = Date.now();
  app.lifecycle.draining = true;
  let forced = false;
  const cut = setTimeout(() => {
    forced = true;
    log.warn(
      { timeoutMs: app.lifecycle.shutdownTimeoutMs },
      'requests still in flight at the shutdown timeout; closing their connections',
    );
    app.server.closeAllConnections();
  }, app.lifecycle.shutdownTimeoutMs);
  // The HTTP side is done when the server emits 'close' (every connection ended); the import runner may still
  // be using its share of the window inside app.close().
  app.server.once('close', () => clearTimeout(cut));
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
  await db.close();
  return { ms: Date.now() - started, forced };
}

/**
 * Shuts the served app down on SIGTERM or SIGINT and exits 0 (1 when shutting down failed). A second signal
 * while draining exits at once with 1. The log must be written synchronously (serve logs to process.stdout),
 * or the last lines could be lost or reordered at exit.
 */
export function exitOnSignals(app: AppInstance, db: Db): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal while shutting down: exiting now');
      process.exit(1);
    }
    stopping = true;
    app.log.info(
      { signal, timeoutMs: app.lifecycle.shutdownTimeoutMs },
      'shutting down: no new requests; finishing requests in flight',
    );
    // Whatever happens, do not hang past the timeout plus time to give back a job and close the database.
    const deadline = setTimeout(() => {
      app.log.error({ signal }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, app.lifecycle.shutdownTimeoutMs + 15_000);
    deadline.unref();
    shutDown(app, db, app.log).then(
      ({ ms, forced }) => {
        if (forced)
          app.log.warn({ signal, ms, forced }, 'shut down; requests still open at the timeout were cut');
        else app.log.info({ signal, ms, forced }, 'shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ signal, err: error }, 'shutting down failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
