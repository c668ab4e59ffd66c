import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, Measurement } from './harness.ts';
import { writeVendorCsv } from './import-data.ts';

// Issue 3, item 10: a deterministic 1,000,000-row, 16-column vendor list in GB18030 (duplicates, rows without
// a name, bad USCCs, unreadable values) imported with every check and the de-duplication on, against the
// floor of loading the same rows in UTF-8 with the sqlite3 CLI's .import into a plain table (and psql \copy on
// PostgreSQL). Each import runs in its own process (bench/import-child.ts) so that its peak RSS is its own.
// BENCH_IMPORT_ROWS (default 1,000,000) and BENCH_IMPORT_REPEATS (default 3) change the size; medians reported.
// PostgreSQL is measured when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_IMPORT_REPEATS ?? 3);
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const CHILD = join(import.meta.dirname, 'import-child.ts');
const COLUMNS = Array.from({ length: 16 }, (_, i) => `c${i} text`).join(', ');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

function wall(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 16 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return ms;
}

interface ChildResult {
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
  rows: number;
  created: number;
  merged: number;
  rejected: number;
  warnings: number;
}

function importInChild(url: string, file: string, importDir: string): ChildResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CHILD, url, file], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', TIERLINE_IMPORT_DIR: importDir },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`import failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

function pgUrlWithSchema(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

const bench: Benchmark = {
  name: 'import',
  description: `Import ${ROWS.toLocaleString('en')} vendor rows (GB18030, 16 columns) with validation and de-duplication, against sqlite3 .import and psql \\copy`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'tierline-bench-import-'));
    try {
      const gb = join(dir, 'vendor.gb18030.csv');
      const utf8 = join(dir, 'vendor.utf8.csv');
      const { summary, bytes } = await writeVendorCsv(ROWS, gb, utf8);
      const floor: number[] = [];
      const ours: ChildResult[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const floorDb = join(dir, `floor-${i}.db`);
        floor.push(
          wall('sqlite3', [floorDb, `create table t (${COLUMNS});`, `.import --csv --skip 1 ${utf8} t`]),
        );
        rmSync(floorDb, { force: true });
        const ourDb = join(dir, `tierline-${i}.db`);
        const run = importInChild(ourDb, gb, join(dir, 'imports'));
        if (run.created !== summary.distinct) {
          throw new Error(`expected ${summary.distinct} accounts, the import created ${run.created}`);
        }
        ours.push(run);
        for (const suffix of ['', '-wal', '-shm']) rmSync(ourDb + suffix, { force: true });
        rmSync(join(dir, 'imports'), { recursive: true, force: true });
      }
      const floorMs = median(floor);
      const oursMs = median(ours.map((r) => r.ms));
      const rss = Math.max(...ours.map((r) => r.maxRssMiB));
      const ratio = oursMs / floorMs;
      const notes = `${summary.distinct} accounts, ${summary.duplicates} repeats, ${summary.missingName + summary.badUscc} rejected; file ${(bytes / 2 ** 20).toFixed(0)} MiB; ${REPEATS} runs`;
      const out: Measurement[] = [
        { name: 'sqlite3 .import (UTF-8, plain table), median', value: floorMs, unit: 'ms' },
        { name: 'tierline import on SQLite, median', value: oursMs, unit: 'ms', notes },
        {
          name: 'tierline import on SQLite, CPU (main + workers), median',
          value: median(ours.map((r) => r.cpuMs)),
          unit: 'ms',
        },
        {
          name: 'SQLite: import / sqlite3 .import',
          value: ratio,
          unit: 'x',
          target: '<= 1.5x',
          ok: ratio <= 1.5,
        },
        { name: 'SQLite: rows per second', value: ROWS / (oursMs / 1000), unit: 'rows/s' },
        {
          name: 'SQLite: peak RSS of the import process',
          value: rss,
          unit: 'MiB',
          target: '< 350 MiB',
          ok: rss < 350,
        },
      ];

      if (PG_URL) {
        const pgFloor: number[] = [];
        const pgOurs: ChildResult[] = [];
        for (let i = 0; i < REPEATS; i++) {
          const schema = `bench_import_${process.pid}_${i}`;
          const url = pgUrlWithSchema(PG_URL, schema);
          wall('psql', [
            PG_URL,
            '-qc',
            `drop schema if exists ${schema} cascade; create schema ${schema}; create table ${schema}.t (${COLUMNS});`,
          ]);
          try {
            pgFloor.push(
              wall('psql', [
                PG_URL,
                '-qc',
                `\\copy ${schema}.t from '${utf8}' with (format csv, header true)`,
              ]),
            );
            const run = importInChild(url, gb, join(dir, 'imports'));
            if (run.created !== summary.distinct) {
              throw new Error(
                `expected ${summary.distinct} accounts on PostgreSQL, the import created ${run.created}`,
              );
            }
            pgOurs.push(run);
          } finally {
            wall('psql', [PG_URL, '-qc', `drop schema if exists ${schema} cascade`]);
            rmSync(join(dir, 'imports'), { recursive: true, force: true });
          }
        }
        const pgFloorMs = median(pgFloor);
        const pgMs = median(pgOurs.map((r) => r.ms));
        const pgRatio = pgMs / pgFloorMs;
        out.push(
          { name: 'psql \\copy (UTF-8, plain table), median', value: pgFloorMs, unit: 'ms' },
          { name: 'tierline import on PostgreSQL, median', value: pgMs, unit: 'ms' },
          {
            name: 'PostgreSQL: import / \\copy',
            value: pgRatio,
            unit: 'x',
            target: '<= 2x',
            ok: pgRatio <= 2,
          },
          {
            name: 'PostgreSQL: peak RSS of the import process',
            value: Math.max(...pgOurs.map((r) => r.maxRssMiB)),
            unit: 'MiB',
          },
        );
      }
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
