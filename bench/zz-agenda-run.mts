import { fork } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import autocannon from 'autocannon';
const { reps, tokens } = JSON.parse(readFileSync('/tmp/pw/agenda5m.json', 'utf8'));
const file = '/tmp/pw/agenda-work.db';
if (!process.env.KEEP) { for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true }); copyFileSync('/tmp/pw/agenda5m.db', file); }
const DATES = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const targets = reps.flatMap((r: string, i: number) => DATES.map((d) => ({ path: `/api/agenda?repId=${r}&date=${d}`, auth: `Bearer ${tokens[i]}` })));
for (const mode of process.argv.slice(2)) {
  const child = fork('bench/agenda-server.ts', [mode, file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/pw/prof'] : [])] });
  const port: number = await new Promise((r) => child.once('message', (m: any) => r(m.port)));
  let i = 0;
  const opts = (d: number) => ({ url: `http://127.0.0.1:${port}`, connections: 32, duration: d, timeout: 30, requests: [{ setupRequest: (req: any) => { const t = targets[(i++ * 7919) % targets.length]; return { ...req, path: t.path, headers: { authorization: t.auth } }; } }] });
  const w = await autocannon(opts(3));
  console.log(mode, 'warm', Math.round(w.requests.average), 'p99', w.latency.p99, 'max', w.latency.max, w.timeouts);
  const res = await autocannon(opts(10));
  console.log(mode, 'rps', Math.round(res.requests.average), 'p50', res.latency.p50, 'p99', res.latency.p99, 'max', res.latency.max, 'errors', res.errors, res.timeouts, res.non2xx);
  child.send({ close: true });
  await new Promise((r) => child.once('exit', r));
}
