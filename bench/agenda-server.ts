// Child process of plan-agenda.bench.ts (not a benchmark itself): serves GET /api/agenda?repId=…&date=… from a
// SQLite file on 127.0.0.1 and an ephemeral port, sent to the parent as { port } once listening; exits on
// { close: true } or when the parent goes away.
//   app:  the real app (buildApp: security headers, authentication, zod validation of the query, the getAgenda
//         service, the agenda's serializer src/server/agenda-json.ts);
//   bare: a node:http handler running the same SQL statements with better-sqlite3 and answering the same JSON,
//         without authentication or validation: the floor the app is compared with.
//   floor: node:http answering the bare handler's answers for every rep and the dates given (comma-separated third
//         argument), all worked out before it listens: no query, no JSON made per request. What any server costs
//         on this machine for these answers (HTTP and the bytes), so the latency no agenda server here can beat.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/server/app.ts';
import { createDb, type Db } from '../src/storage/database.ts';
import { bareAnswers } from './agenda-bare.ts';

const [mode, file, floorDates] = process.argv.slice(2);
if ((mode !== 'app' && mode !== 'bare' && mode !== 'floor') || !file) {
  console.error('usage: agenda-server.ts app|bare|floor <sqlite file> [dates for floor: 2026-11-23,…]');
  process.exit(2);
}

/** GET /api/agenda?repId=&date= answered by `answer` (null: 404). */
function agendaServer(answer: (repId: string, date: string) => string | null): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const repId = url.searchParams.get('repId');
    const date = url.searchParams.get('date');
    const body = url.pathname === '/api/agenda' && repId && date ? answer(repId, date) : null;
    if (body === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
  });
}

/** The floor: every rep's answers for `dates`, worked out before listening. */
function floorServer(db: Db, dates: readonly string[]): Server {
  const sqlite = db.sqlite;
  if (!sqlite) throw new Error('the floor reads SQLite');
  const answer = bareAnswers(db);
  const answers = new Map<string, string>();
  const reps = sqlite.prepare("select id from users where role = 'rep'").pluck().all() as string[];
  for (const repId of reps) for (const date of dates) answers.set(`${repId} ${date}`, answer(repId, date));
  return agendaServer((repId, date) => answers.get(`${repId} ${date}`) ?? null);
}

const db = await createDb(file);
let close: () => Promise<void>;
let port: number;
if (mode === 'app') {
  const app = await buildApp(db, { webRoot: '/nonexistent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  close = () => app.close();
} else {
  const server =
    mode === 'bare'
      ? agendaServer(bareAnswers(db))
      : floorServer(db, (floorDates ?? '').split(',').filter(Boolean));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
}

let closing = false;
async function shutdown(code: number) {
  if (closing) return;
  closing = true;
  await close().catch(() => {});
  await db.close().catch(() => {});
  process.exit(code);
}
process.on('message', (message) => {
  if ((message as { close?: boolean }).close) void shutdown(0);
});
process.on('disconnect', () => void shutdown(0));
process.send?.({ port });
