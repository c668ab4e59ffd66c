// Issue 8 item 4: 200 concurrent clients mixing agenda reads (60%), account search (25%) and touch logging (15%)
// for 60 s against the real app, on SQLite and on PostgreSQL (BENCH_POSTGRES_URL, default the local test
// database). Promises checked: zero errors and non-2xx answers (so no SQLITE_BUSY reaches a client), every
// acknowledged log stored. Figures go to docs/reliability.md. `npm run bench -- load`
// (BENCH_LOAD_SECONDS, BENCH_LOAD_CONNECTIONS, BENCH_LOAD_ACCOUNTS to change the run; BENCH_LOAD_DATABASES=sqlite
// or =postgres for one database only).
import { loadavg } from 'node:os';
import type { Benchmark, Measurement } from './harness.ts';
import { type LoadReport, runLoad } from './load-scenario.ts';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 200);
const ACCOUNTS = Number(process.env.BENCH_LOAD_ACCOUNTS ?? 100_000);
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DATABASES = (process.env.BENCH_LOAD_DATABASES ?? 'sqlite,postgres').split(',').map((d) => d.trim());

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
}

function measurements(report: LoadReport, load: number): Measurement[] {
  const d = report.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const failed = report.non2xx + report.errors;
  const kinds = (['agenda', 'search', 'log'] as const)
    .map((k) => {
      const r = report.byKind[k];
      return `${k} ${r.requests} (p50 ${r.p50} ms, p99 ${r.p99} ms)`;
    })
    .join('; ');
  return [
    {
      name: `${d}: failed answers (non-2xx and errors)`,
      value: failed,
      unit: 'answers',
      target: '0',
      ok: failed === 0,
      notes: failed
        ? `${report.non2xx} non-2xx, ${report.errors} without an answer (${report.timeouts} timed out after ${report.timeoutSeconds} s); no answer by kind: ${counts(report.errorsByKind)}; non-2xx by kind: ${(['agenda', 'search', 'log'] as const).map((k) => `${k} ${counts(report.byKind[k].failures)}`).join('; ')}; samples: ${report.failureSamples.join(' | ') || 'none'}`
        : undefined,
    },
    {
      name: `${d}: clients served`,
      value: report.clientsServed,
      unit: 'clients',
      target: `${report.connections}`,
      ok: report.clientsServed === report.connections,
      notes: `${report.clientsServed} of ${report.connections} clients got an answer; the server accepted ${report.server.connections} connections; connections not ended by their client: ${counts(report.server.otherCloses)}`,
    },
    {
      name: `${d}: requests per second`,
      value: report.requestsPerSecond,
      unit: 'req/s',
      notes: `${report.requests} requests in ${report.seconds} s over ${report.connections} connections; ${kinds}; load average ${load.toFixed(1)}; seeded ${report.seeded.accounts} accounts, ${report.seeded.touches} planned touches`,
    },
    { name: `${d}: latency p50`, value: report.p50, unit: 'ms' },
    { name: `${d}: latency p99`, value: report.p99, unit: 'ms' },
    {
      name: `${d}: acknowledged logs missing from the database`,
      value: Math.max(0, report.logsAcknowledged - report.logsStored),
      unit: 'logs',
      target: '0',
      ok: report.logsStored >= report.logsAcknowledged,
      notes: `${report.logsAcknowledged} acknowledged, ${report.logsStored} stored (in-flight requests cut at the end may be stored unacknowledged)`,
    },
  ];
}

const bench: Benchmark = {
  name: 'load',
  description: `${CONNECTIONS} clients for ${SECONDS} s mixing agenda, search and logging (SQLite and PostgreSQL)`,
  async run() {
    const out: Measurement[] = [];
    const options = { accounts: ACCOUNTS, reps: 40, connections: CONNECTIONS, seconds: SECONDS };
    if (DATABASES.includes('sqlite')) {
      const sqlite = await runLoad({ ...options, database: 'sqlite' });
      out.push(...measurements(sqlite, loadavg()[0] ?? 0));
    }
    if (DATABASES.includes('postgres')) {
      const pg = await runLoad({ ...options, database: { postgres: POSTGRES, schema: 'bench_load' } });
      out.push(...measurements(pg, loadavg()[0] ?? 0));
    }
    return out;
  },
};

export default bench;
