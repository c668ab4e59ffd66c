// `npm run bench [-- <name filter>]`: runs every bench/*.bench.ts, prints a table, writes JSON to bench/results/.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Benchmark, type Measurement, machine } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2).find((a) => !a.startsWith('-'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const env = machine();
console.log(
  `Machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, Node ${env.node}, ${env.platform}`,
);
const results: { benchmark: string; description: string; measurements: Measurement[]; error?: string }[] = [];
for (const file of files) {
  const mod = (await import(join(here, file))) as { default: Benchmark };
  const bench = mod.default;
  console.log(`\n▶ ${bench.name}: ${bench.description}`);
  try {
    const measurements = await bench.run();
    results.push({ benchmark: bench.name, description: bench.description, measurements });
    console.table(
      measurements.map((m) => ({
        measure: m.name,
        value: Number.isInteger(m.value) ? m.value : Number(m.value.toFixed(2)),
        unit: m.unit,
        target: m.target ?? '',
        met: m.ok === undefined ? '' : m.ok ? 'yes' : 'NO',
      })),
    );
    for (const m of measurements) if (m.notes) console.log(`  ${m.name}: ${m.notes}`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`  failed: ${message}`);
    results.push({ benchmark: bench.name, description: bench.description, measurements: [], error: message });
  }
}

const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const out = join(resultsDir, `${stamp}.json`);
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine: env, results }, null, 2)}\n`);
console.log(`\nResults written to ${out}`);
if (results.some((r) => r.error)) process.exitCode = 1;
