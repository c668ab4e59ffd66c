// Issue 8 item 4, the promises of the load scenario without its timings (those are `npm run bench -- load`, in
// docs/reliability.md): 100 clients mixing agenda reads, account search and touch logging against the real app
// in its own process, on SQLite and on PostgreSQL. No client ever gets an error (no SQLITE_BUSY, no 5xx, no
// timeout), every client is served, and every log the server acknowledged is in the database.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load-scenario.ts';

const POSTGRES = process.env.TEST_DATABASE_URL;
const databases = [
  { name: 'sqlite', database: 'sqlite' as const },
  ...(POSTGRES
    ? [{ name: 'postgres', database: { postgres: POSTGRES, schema: `load_${process.pid}_${Date.now()}` } }]
    : []),
];

describe.each(databases)('mixed load on $name', ({ database }) => {
  it('answers every request of 100 concurrent clients and stores every acknowledged log', async () => {
    const report = await runLoad({ database, accounts: 3000, reps: 20, connections: 100, seconds: 6 });
    expect(report.failureSamples).toEqual([]);
    expect(report.non2xx).toBe(0);
    expect(report.errors).toBe(0);
    expect(report.errorsByKind).toEqual({});
    // Every client was served: one whose connection waits to be accepted fails only at its timeout, after a short
    // run has ended (bench/load-scenario.ts, src/server/turns.ts).
    expect(report.clientsServed).toBe(100);
    expect(report.byKind.agenda.requests).toBeGreaterThan(0);
    expect(report.byKind.search.requests).toBeGreaterThan(0);
    expect(report.logsAcknowledged).toBeGreaterThan(0);
    // Requests still in flight when the run stops may be stored without their answer being read.
    expect(report.logsStored).toBeGreaterThanOrEqual(report.logsAcknowledged);
    expect(report.logsStored).toBeLessThanOrEqual(report.logsAcknowledged + 100);
  }, 180_000);
});
