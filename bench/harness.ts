import { cpus, totalmem } from 'node:os';

/** One figure a benchmark reports, with the target the issue names when there is one. */
export interface Measurement {
  name: string;
  value: number;
  unit: string;
  /** e.g. "<= 1.5x sqlite3 .import" — shown beside the figure. */
  target?: string;
  /** Whether the target was met; undefined when there is no target. */
  ok?: boolean;
  notes?: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Measurement[]>;
}

export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Wall time of `work` in milliseconds. */
export async function time<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}
