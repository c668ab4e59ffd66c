// A reliability probe (docs/reliability.md, "Working while a big import is saved"): against a running server,
// measures event-loop stalls (GET /api/health/live every 100 ms) and a rep's writes (a call logged every 700 ms
// through POST /api/accounts/:id/touches) for a while, typically while an import runs on the same server.
//
//   node scripts/probe-writes-during-import.mjs <seconds> [base URL, default http://127.0.0.1:3000]
//   TIERLINE_TOKEN=<a rep's write token> (tierline tokens create --user <rep> --access write)
//
// Prints the slowest health answers (ms since start, ms taken), every log that was not 201, and the slowest logs.
const seconds = Number(process.argv[2] ?? 60);
const base = process.argv[3] ?? 'http://127.0.0.1:3000';
const token = process.env.TIERLINE_TOKEN;
if (!token) throw new Error('set TIERLINE_TOKEN to a rep’s write token');
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const agenda = await (await fetch(`${base}/api/agenda`, { headers })).json();
const ids = [...new Set(agenda.items.map((item) => item.accountId))];
if (ids.length === 0) throw new Error('the rep has nothing on today’s agenda to log');
const t0 = Date.now();
const live = [];
const logs = [];
let stop = false;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const liveLoop = (async () => {
  while (!stop) {
    const start = Date.now();
    const ok = await fetch(`${base}/api/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    live.push([start - t0, ok ? Date.now() - start : -1]);
    await pause(100);
  }
})();
const logLoop = (async () => {
  for (let k = 0; !stop; k++) {
    const start = Date.now();
    const res = await fetch(`${base}/api/accounts/${ids[k % ids.length]}/touches`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ channel: 'call', outcome: 'no_answer', note: `probe ${k}` }),
    }).catch((error) => ({ status: -1, text: async () => String(error) }));
    const body = res.status === 201 ? '' : (await res.text()).slice(0, 200);
    logs.push([start - t0, Date.now() - start, res.status, body]);
    await pause(700);
  }
})();
await pause(seconds * 1000);
stop = true;
await Promise.all([liveLoop, logLoop]);
const slowest = (rows, n) => [...rows].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`health: ${live.length} answers; slowest ${JSON.stringify(slowest(live, 5))}`);
console.log(`logs: ${logs.length}; not 201: ${JSON.stringify(logs.filter((l) => l[2] !== 201))}`);
console.log(`slowest logs: ${JSON.stringify(slowest(logs, 5).map((l) => l.slice(0, 3)))}`);
