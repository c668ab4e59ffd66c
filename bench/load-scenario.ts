// Issue 8 item 4: many concurrent clients mixing agenda reads, account search and touch logging against the real
// app on a listening socket (bench/load-server.ts, its own process), on SQLite or PostgreSQL. Used by
// bench/load.bench.ts (200 clients, 60 s, figures for docs/reliability.md) and by test/server/load.test.ts
// (a short run asserting the promises, not timings: no error reaches a client, every acknowledged log is stored).
import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createApiToken } from '../src/services/auth.ts';
import { makeContext } from '../src/services/context.ts';
import { percentile } from './harness.ts';
import { BENCH_AT, openBenchDb, prng, seedTouchHistory, seedWorkspace } from './plan-data.ts';

const here = dirname(fileURLToPath(import.meta.url));
const LOG_NOTE = 'load-run';
/** Out of every 20 requests: 12 agenda reads, 5 account searches, 3 logged touches. */
const MIX = [...Array(12).fill('agenda'), ...Array(5).fill('search'), ...Array(3).fill('log')] as Kind[];
const SEARCHES = ['广州', '深圳', '苏州', '杭州', '有限公司', '科技', '上海', '不存在的公司'];

type Kind = 'agenda' | 'search' | 'log';

export interface LoadOptions {
  database: 'sqlite' | { postgres: string; schema: string };
  accounts: number;
  reps: number;
  connections: number;
  seconds: number;
}

export interface KindReport {
  requests: number;
  p50: number;
  p99: number;
  /** Answers other than 2xx, by status. */
  failures: Record<string, number>;
}

export interface LoadReport {
  dialect: 'sqlite' | 'postgres';
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Requests that got no HTTP answer (connection errors and timeouts), as autocannon counts them. */
  errors: number;
  /** Of those, requests with no answer within the client's timeout (`timeoutSeconds`). */
  timeouts: number;
  timeoutSeconds: number;
  /**
   * Requests without an answer, by the kind of request and what happened: `agenda timeout`, `log ECONNRESET`, …
   * (the error code, else its message). Sums to `errors`.
   */
  errorsByKind: Record<string, number>;
  /** Clients (connections) that got at least one answer; all of them unless some were never served. */
  clientsServed: number;
  /** What the server saw of its connections (bench/load-server.ts). */
  server: ServerConnectionStats;
  byKind: Record<Kind, KindReport>;
  /** Bodies of the first few failed answers, to say what went wrong. */
  failureSamples: string[];
  logsAcknowledged: number;
  logsStored: number;
  seeded: { accounts: number; touches: number; activities: number };
}

/** The load server's count of its connections, sent when it closes. */
export interface ServerConnectionStats {
  /** Connections accepted; one per client unless a side closed one during the run. */
  connections: number;
  /**
   * Connections that ended other than by the client's FIN, by reason: a socket error code (ECONNRESET: reset by
   * the client, as autocannon does with a socket cut at the end of the run with an answer unread), or
   * `closed by the server` (an HTTP timeout of the server, a malformed request).
   */
  otherCloses: Record<string, number>;
}

const CLIENT_TIMEOUT_SECONDS = 30;

function startServer(
  url: string,
  schema: string | undefined,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(here, 'load-server.ts'), schema ? [url, schema] : [url], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // tsx's loader, also when the caller (a vitest worker) was not started with it.
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, port: (message as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`load server exited early with code ${code}`)));
  });
}

/** Closes the load server; resolves with its connection counts (none when it had already gone). */
function stopServer(child: ChildProcess): Promise<ServerConnectionStats | undefined> {
  if (child.exitCode !== null) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let stats: ServerConnectionStats | undefined;
    child.on('message', (message) => {
      const m = message as { stats?: ServerConnectionStats };
      if (m.stats) stats = m.stats;
    });
    child.once('exit', () => resolve(stats));
    child.send({ close: true });
  });
}

/** A short name for a request that got no answer: the system error code, else the message. */
function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.message : String(error);
}

/** Seeds a workspace, runs the mixed load, and checks what was stored. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const b = await openBenchDb(options.database);
  let child: ChildProcess | undefined;
  try {
    const { db } = b;
    const ws = await seedWorkspace(db, {
      accounts: options.accounts,
      reps: options.reps,
      seed: 20261210,
      visitsPerDay: null,
      tiered: true,
    });
    const history = await seedTouchHistory(db, { today, seed: 20261211 });

    // Each rep works with a personal write token, logs touches on accounts they own and searches their scope.
    const reps: { authorization: string; accounts: string[] }[] = [];
    for (const repId of ws.reps) {
      const ctx = makeContext(db, { userId: repId, role: 'rep', teamId: null }, () => new Date(BENCH_AT));
      const { token } = await createApiToken(ctx, { name: 'load', access: 'write' });
      const owned = await db.kysely
        .selectFrom('accounts')
        .select('id')
        .where('owner_id', '=', repId)
        .where('in_market', '=', 1)
        .orderBy('id')
        .limit(20)
        .execute();
      if (owned.length === 0) continue;
      reps.push({ authorization: `Bearer ${token}`, accounts: owned.map((a) => a.id) });
    }

    const url = options.database === 'sqlite' ? db.location : options.database.postgres;
    const schema = options.database === 'sqlite' ? undefined : options.database.schema;
    const server = await startServer(url, schema);
    child = server.child;

    const random = prng(42);
    let sent = 0;
    const latencies: Record<Kind, number[]> = { agenda: [], search: [], log: [] };
    const failures: Record<Kind, Record<string, number>> = { agenda: {}, search: {}, log: {} };
    const failureSamples: string[] = [];
    const errorsByKind: Record<string, number> = {};
    const noAnswer = (kind: unknown, what: string) => {
      const key = `${typeof kind === 'string' ? kind : 'unknown'} ${what}`;
      errorsByKind[key] = (errorsByKind[key] ?? 0) + 1;
    };
    let logsAcknowledged = 0;
    let clientsServed = 0;
    const result = await autocannon({
      url: `http://127.0.0.1:${server.port}`,
      connections: options.connections,
      duration: options.seconds,
      timeout: CLIENT_TIMEOUT_SECONDS,
      // Which clients got any answer at all (one kept waiting for its connection to be accepted has no failed
      // request to count until its timeout), and the run's own count of requests without an answer, by request
      // kind and cause (autocannon's total only says how many). A connection error is reported while the failed
      // request is still the client's current one; a timeout only after the client has reconnected and set up
      // its next request, so its kind is taken at 'request', which the client emits before moving on.
      setupClient(client) {
        let served = false;
        client.on('response', () => {
          if (!served) clientsServed++;
          served = true;
        });
        let previousKind: unknown;
        client.on('request', () => {
          previousKind = client.requestIterator.context.kind;
        });
        client.on('connError', (error) => noAnswer(client.requestIterator.context.kind, errorName(error)));
        client.on('timeout', () => noAnswer(previousKind, 'timeout'));
      },
      requests: [
        {
          setupRequest(request, context) {
            const kind = MIX[sent++ % MIX.length] as Kind;
            const rep = reps[Math.floor(random() * reps.length)] as (typeof reps)[number];
            context.kind = kind;
            context.started = performance.now();
            const headers = { ...request.headers, authorization: rep.authorization };
            if (kind === 'agenda')
              return { ...request, method: 'GET', path: `/api/agenda?date=${today}`, headers };
            if (kind === 'search') {
              const term = SEARCHES[Math.floor(random() * SEARCHES.length)] as string;
              return {
                ...request,
                method: 'GET',
                path: `/api/accounts?search=${encodeURIComponent(term)}&pageSize=50`,
                headers,
              };
            }
            const account = rep.accounts[Math.floor(random() * rep.accounts.length)] as string;
            return {
              ...request,
              method: 'POST',
              path: `/api/accounts/${account}/touches`,
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify({ channel: 'call', outcome: 'reached', note: LOG_NOTE }),
            };
          },
          onResponse(status, body, context) {
            const kind = context.kind as Kind;
            latencies[kind].push(performance.now() - (context.started as number));
            if (status >= 200 && status < 300) {
              if (kind === 'log') logsAcknowledged++;
              return;
            }
            failures[kind][status] = (failures[kind][status] ?? 0) + 1;
            if (failureSamples.length < 5) failureSamples.push(`${kind} ${status}: ${body.slice(0, 300)}`);
          },
        },
      ],
    });
    const serverStats = await stopServer(child);

    const stored = await db.kysely
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('note', '=', LOG_NOTE)
      .executeTakeFirstOrThrow();
    const kindReport = (kind: Kind): KindReport => {
      const sorted = latencies[kind].sort((x, y) => x - y);
      return {
        requests: sorted.length,
        p50: Math.round(percentile(sorted, 50) * 10) / 10,
        p99: Math.round(percentile(sorted, 99) * 10) / 10,
        failures: failures[kind],
      };
    };
    return {
      dialect: db.dialect,
      connections: options.connections,
      seconds: options.seconds,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      timeoutSeconds: CLIENT_TIMEOUT_SECONDS,
      errorsByKind,
      clientsServed,
      server: serverStats ?? { connections: 0, otherCloses: {} },
      byKind: { agenda: kindReport('agenda'), search: kindReport('search'), log: kindReport('log') },
      failureSamples,
      logsAcknowledged,
      logsStored: Number(stored.n),
      seeded: { accounts: ws.accounts, touches: history.touches, activities: history.activities },
    };
  } finally {
    if (child) await stopServer(child);
    await b.cleanup();
  }
}
