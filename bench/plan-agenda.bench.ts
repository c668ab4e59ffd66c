// Issue 4 item 13: with 5 million planned touches stored, GET /api/agenda under 32 concurrent connections on a
// real listening server keeps p99 under 20 ms and serves at least 0.8x the requests per second of a bare
// node:http handler running the same SQL in the same run. `npm run bench -- plan` (with plan.bench.ts) or
// `npm run bench -- agenda` (BENCH_AGENDA_TOUCHES=200000 for a quick run). Both servers run in a child process (bench/agenda-server.ts) so that autocannon,
// here, and the server each get one of the two cores; they take turns, ROUNDS times, and medians are reported.
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { createApiToken } from '../src/services/auth.ts';
import { makeContext } from '../src/services/context.ts';
import { type Benchmark, type Measurement, time } from './harness.ts';
import { BENCH_AT, openBenchDb, prng, seedTouchHistory, seedWorkspace } from './plan-data.ts';

const here = dirname(fileURLToPath(import.meta.url));
const REPS = 400;
/** ~6.5 touches per in-market account a year (A 16, B 6, C 3 at 20/30/50%): 5M touches need ~770k accounts. */
const TOUCHES = Number(process.env.BENCH_AGENDA_TOUCHES ?? 5_000_000);
const TODAY = '2026-11-27'; // a Friday
/** The working days of TODAY's week: reps look at today and back at the days before. */
const DATES = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const CONNECTIONS = 32;
const WARMUP_S = 3;
const DURATION_S = 10;
const ROUNDS = 3;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

interface Server {
  port: number;
  stop(): Promise<void>;
}

/** Starts agenda-server.ts in a child process (tsx's loader comes with process.execArgv). */
function startServer(
  mode: 'app' | 'bare' | 'floor',
  file: string,
  children: Set<ChildProcess>,
): Promise<Server> {
  const child = fork(
    join(here, 'agenda-server.ts'),
    [mode, file, ...(mode === 'floor' ? [DATES.join(',')] : [])],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start within 60 s`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${mode} server exited with ${code} before listening`));
    });
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve({
        port: (message as { port: number }).port,
        async stop() {
          child.send({ close: true });
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

interface Target {
  path: string;
  authorization: string;
}

/** Requests rotate over every rep and the week's dates in a fixed shuffled order, each with the rep's token. */
function rotation(targets: readonly Target[]) {
  let next = 0;
  return (request: { path?: string; headers?: Record<string, string> }) => {
    const target = targets[next++ % targets.length] as Target;
    return {
      ...request,
      path: target.path,
      headers: { ...request.headers, authorization: target.authorization },
    };
  };
}

/**
 * One autocannon run. A slow answer counts in the latency (30 s before a request times out); an error answer
 * or a connection error fails the run, since the figures would not be about the agenda any more.
 */
async function load(port: number, targets: readonly Target[], seconds: number): Promise<Result> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [{ setupRequest: rotation(targets) }],
  });
  if (result.non2xx || result.errors > result.timeouts) {
    throw new Error(
      `load run failed: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
  }
  if (result.timeouts)
    console.warn(`  ${result.timeouts} requests took over 30 s (counted as errors by autocannon)`);
  return result;
}

const bench: Benchmark = {
  name: 'plan-agenda',
  description: `GET /api/agenda with ${TOUCHES / 1e6}M planned touches (SQLite), ${CONNECTIONS} connections, app vs bare node:http`,
  async run() {
    const children = new Set<ChildProcess>();
    const b = await openBenchDb('sqlite');
    try {
      const { db } = b;
      const seeded = await time(async () => {
        const ws = await seedWorkspace(db, {
          accounts: Math.ceil(TOUCHES / 6.5),
          reps: REPS,
          seed: 20261128,
          visitsPerDay: null,
          tiered: true,
        });
        const history = await seedTouchHistory(db, { today: TODAY, seed: 20261129 });
        return { ...ws, ...history };
      });
      const { reps, touches, activities } = seeded.result;

      // The agenda query must range over planned_touches_rep_status_due_channel_idx (rep_id, status, due_on, …).
      const sqlite = db.sqlite;
      if (!sqlite) throw new Error('expected SQLite');
      const plan = (
        sqlite
          .prepare(
            `explain query plan select t.id from planned_touches as t inner join accounts as a on a.id = t.account_id
             where t.status = 'planned' and t.due_on <= ? and t.rep_id = ? order by t.due_on limit 5000`,
          )
          .all(TODAY, reps[0]) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('; ');
      if (!plan.includes('planned_touches_rep_status_due_channel_idx'))
        throw new Error(`agenda query plan: ${plan}`);

      // Each rep reads their own agenda with a personal read-only API token (Authorization: Bearer).
      const tokens = new Map<string, string>();
      for (const repId of reps) {
        const ctx = makeContext(db, { userId: repId, role: 'rep', teamId: null }, () => new Date(BENCH_AT));
        tokens.set(repId, (await createApiToken(ctx, { name: 'bench', access: 'read' })).token);
      }
      // Hand the file to the servers: no connection of ours stays open next to them.
      const file = db.location;
      await b.close();
      const random = prng(7);
      const targets: Target[] = reps
        .flatMap((repId) => DATES.map((date) => ({ repId, date })))
        .map((t) => ({ ...t, order: random() }))
        .sort((x, y) => x.order - y.order)
        .map(({ repId, date }) => ({
          path: `/api/agenda?repId=${repId}&date=${date}`,
          authorization: `Bearer ${tokens.get(repId)}`,
        }));

      // Same answers from both servers (the bare handler must do the same work), and the agenda sizes served.
      const app = await startServer('app', file, children);
      const bare = await startServer('bare', file, children);
      let items = 0;
      const checked = 50;
      try {
        for (const t of targets.slice(0, checked)) {
          const get = (port: number) =>
            fetch(`http://127.0.0.1:${port}${t.path}`, { headers: { authorization: t.authorization } }).then(
              async (r) => {
                if (r.status !== 200) throw new Error(`${t.path} answered ${r.status}: ${await r.text()}`);
                return r.json() as Promise<{ items: unknown[] }>;
              },
            );
          const [fromApp, fromBare] = await Promise.all([get(app.port), get(bare.port)]);
          if (!isDeepStrictEqual(fromApp, fromBare)) {
            const app = fromApp as Record<string, unknown>;
            const bare = fromBare as Record<string, unknown>;
            const keys = [...new Set([...Object.keys(app), ...Object.keys(bare)])].filter(
              (k) => !isDeepStrictEqual(app[k], bare[k]),
            );
            const show = (v: unknown) => JSON.stringify(v)?.slice(0, 300);
            throw new Error(
              `app and bare handler answer ${t.path} differently: ${keys.map((k) => `${k}: app ${show(app[k])}, bare ${show(bare[k])}`).join('; ')}`,
            );
          }
          items += fromApp.items.length;
        }
      } finally {
        await app.stop();
        await bare.stop();
      }

      const runs: Record<'app' | 'bare', Result[]> = { app: [], bare: [] };
      const ratios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const order: ('app' | 'bare')[] = round % 2 ? ['bare', 'app'] : ['app', 'bare'];
        const rps: Partial<Record<'app' | 'bare', number>> = {};
        for (const mode of order) {
          const server = await startServer(mode, file, children);
          try {
            await load(server.port, targets, WARMUP_S);
            const result = await load(server.port, targets, DURATION_S);
            console.log(
              `  round ${round + 1} ${mode}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
            );
            runs[mode].push(result);
            rps[mode] = result.requests.average;
          } finally {
            await server.stop();
          }
        }
        ratios.push((rps.app ?? 0) / (rps.bare ?? 1));
      }

      // The floor: the same answers from memory (agenda-server.ts floor), one round after the others. Its p99 is
      // the least any server answering these agendas can have on this machine with autocannon beside it.
      const floorServerStarted = await startServer('floor', file, children);
      let floor: Result;
      try {
        await load(floorServerStarted.port, targets, WARMUP_S);
        floor = await load(floorServerStarted.port, targets, DURATION_S);
        console.log(
          `  floor: ${Math.round(floor.requests.average)} req/s, p50 ${floor.latency.p50} ms, p99 ${floor.latency.p99} ms`,
        );
      } finally {
        await floorServerStarted.stop();
      }

      const appRps = median(runs.app.map((r) => r.requests.average));
      const bareRps = median(runs.bare.map((r) => r.requests.average));
      const appP99 = median(runs.app.map((r) => r.latency.p99));
      const ratio = median(ratios);
      const spread = (rs: Result[], f: (r: Result) => number) =>
        rs.map((r) => Math.round(f(r) * 10) / 10).join(', ');
      return [
        {
          name: 'seed accounts, touches and activities (not timed)',
          value: seeded.ms,
          unit: 'ms',
          notes: `${seeded.result.accounts} accounts, ${touches} planned touches (${REPS} reps, one year), ${activities} activities; agenda query: ${plan}`,
        },
        {
          name: 'agenda items per answer (mean of the first 50 requests)',
          value: items / checked,
          unit: 'items',
          notes: `dates ${DATES[0]}…${DATES[DATES.length - 1]} (today ${TODAY}), ${REPS} reps, each with their own API token`,
        },
        {
          name: 'app: requests per second (median)',
          value: appRps,
          unit: 'req/s',
          notes: `rounds: ${spread(runs.app, (r) => r.requests.average)}; load ${(loadavg()[0] ?? 0).toFixed(1)}`,
        },
        {
          name: 'app: latency p50 (median)',
          value: median(runs.app.map((r) => r.latency.p50)),
          unit: 'ms',
        },
        {
          name: 'app: latency p99 (median)',
          value: appP99,
          unit: 'ms',
          target: '< 20 ms',
          ok: appP99 < 20,
          notes: `rounds: ${spread(runs.app, (r) => r.latency.p99)}`,
        },
        {
          name: 'bare node:http: requests per second (median)',
          value: bareRps,
          unit: 'req/s',
          notes: `rounds: ${spread(runs.bare, (r) => r.requests.average)}`,
        },
        {
          name: 'bare node:http: latency p99 (median)',
          value: median(runs.bare.map((r) => r.latency.p99)),
          unit: 'ms',
          notes: `rounds: ${spread(runs.bare, (r) => r.latency.p99)}`,
        },
        {
          name: 'floor: node:http answering from memory, latency p99',
          value: floor.latency.p99,
          unit: 'ms',
          notes: `${Math.round(floor.requests.average)} req/s, p50 ${floor.latency.p50} ms: the same answers worked out before listening (no query, no JSON per request); the least latency any agenda server can have here`,
        },
        {
          name: 'app ÷ bare requests per second (median of rounds)',
          value: ratio,
          unit: '×',
          target: '>= 0.8',
          ok: ratio >= 0.8,
          notes: `rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up`,
        },
      ] satisfies Measurement[];
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await b.cleanup();
    }
  },
};

export default bench;
