// Runs one import in its own process for bench/import.bench.ts, so that its peak memory (maxRSS, worker
// threads included) is the import's alone. Prints one JSON line. Not timed: starting Node and migrating.
import { makeContext } from '../src/services/context.ts';
import { importFile } from '../src/services/import-prospects.ts';
import { createDb } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';

const [url, file] = process.argv.slice(2);
if (!url || !file) throw new Error('usage: import-child.ts <database> <file>');
const db = await createDb(url);
await migrateToLatest(db);
const cpu = process.cpuUsage();
const start = performance.now();
// As `tierline import` does: parsing in a worker thread, storing in this one (TIERLINE_WRITER_THREAD=1: storing in
// a worker thread too, as the server does).
const report = await importFile(
  makeContext(db),
  file,
  { source: { name: 'bench vendor list', kind: 'purchased', cost: 48_000 } },
  { writerThread: process.env.TIERLINE_WRITER_THREAD === '1' },
);
const ms = performance.now() - start;
const used = process.cpuUsage(cpu);
await db.close();
process.stdout.write(
  `${JSON.stringify({
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    rows: report.rows,
    created: report.created,
    merged: report.merged,
    rejected: report.rejected,
    warnings: report.warnings,
  })}\n`,
);
