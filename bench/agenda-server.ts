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
import { tzOffset } from '@date-fns/tz';
import { buildApp } from '../src/server/app.ts';
import { createDb, type Db } from '../src/storage/database.ts';

const [mode, file, floorDates] = process.argv.slice(2);
if ((mode !== 'app' && mode !== 'bare' && mode !== 'floor') || !file) {
  console.error('usage: agenda-server.ts app|bare|floor <sqlite file> [dates for floor: 2026-11-23,…]');
  process.exit(2);
}

const TIER_ORDER: Record<string, number> = { A: 0, B: 1, C: 2 };

// The statements getAgenda (src/services/touches.ts) has Kysely compile for a rep's agenda, verbatim.
const SQL = {
  settings: 'select "value" from "settings" where "key" = ?',
  agenda: `select "t"."id" as "touchId", "t"."account_id" as "accountId", "t"."channel", "t"."due_on" as "dueOn", "t"."due_time" as "dueTime", "t"."rep_id" as "repId", "a"."name" as "accountName", "a"."tier", "a"."city", "a"."district", "a"."phone", "a"."stage" from "planned_touches" as "t" inner join "accounts" as "a" on "a"."id" = "t"."account_id" where "t"."status" = ? and "t"."due_on" <= ? and "t"."rep_id" = ? order by "t"."due_on" limit ?`,
  lastActivities: (n: number) =>
    `select "account_id", "occurred_at", "channel", "outcome", "note" from "activities" where "account_id" in (${new Array(n).fill('?').join(', ')}) order by "occurred_at" desc`,
  logged:
    'select "channel", count(*) as "n" from "activities" where "occurred_at" >= ? and "occurred_at" < ? and "user_id" = ? group by "channel"',
  planned:
    'select "channel", count(*) as "n" from "planned_touches" where "due_on" = ? and "status" in (?, ?) and "rep_id" = ? group by "channel"',
  nextOpen:
    'select min("due_on") as "dueOn" from "planned_touches" where "status" = ? and "due_on" > ? and "rep_id" = ?',
  open: 'select "channel", count(*) as "n" from "planned_touches" where "due_on" = ? and "status" in (?) and "rep_id" = ? group by "channel"',
};

interface Row {
  touchId: string;
  accountId: string;
  accountName: string;
  tier: string | null;
  city: string | null;
  district: string | null;
  phone: string | null;
  stage: string;
  channel: 'call' | 'visit';
  dueOn: string;
  dueTime: string | null;
  repId: string | null;
}
interface Activity {
  account_id: string;
  occurred_at: string;
  channel: string;
  outcome: string;
  note: string | null;
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

// Same computation as utcBounds in src/services/touches.ts.
function utcBounds(date: string, timeZone: string): { from: string; to: string } {
  const offsetAt = (d: string) => tzOffset(timeZone, new Date(`${d}T00:00:00Z`)) * 60_000;
  const start = Date.parse(`${date}T00:00:00Z`) - offsetAt(date);
  const next = new Date((dayNumber(date) + 1) * 86_400_000).toISOString().slice(0, 10);
  const end = Date.parse(`${next}T00:00:00Z`) - offsetAt(next);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

/** The bare handler's answer (JSON text) to GET /api/agenda?repId=&date=. */
function bareAnswers(db: Db): (repId: string, date: string) => string {
  const sqlite = db.sqlite;
  if (!sqlite) throw new Error('the bare handler reads SQLite');
  const settings = sqlite.prepare(SQL.settings);
  const agenda = sqlite.prepare(SQL.agenda);
  const logged = sqlite.prepare(SQL.logged);
  const planned = sqlite.prepare(SQL.planned);
  const nextOpen = sqlite.prepare(SQL.nextOpen);
  const open = sqlite.prepare(SQL.open);
  const lastActivities = new Map<number, ReturnType<typeof sqlite.prepare>>();
  const counts = (rows: { channel: string; n: number }[]) => ({
    calls: Number(rows.find((r) => r.channel === 'call')?.n ?? 0),
    visits: Number(rows.find((r) => r.channel === 'visit')?.n ?? 0),
  });

  return (repId, date) => {
    const stored = settings.get('workspace') as { value: string } | undefined;
    const timeZone =
      (stored ? (JSON.parse(stored.value) as { timeZone?: string }).timeZone : undefined) ?? 'Asia/Shanghai';
    const rows = agenda.all('planned', date, repId, 5000) as Row[];
    const ids = [...new Set(rows.map((r) => r.accountId))];
    const last = new Map<string, Activity>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      let statement = lastActivities.get(chunk.length);
      if (!statement) {
        statement = sqlite.prepare(SQL.lastActivities(chunk.length));
        lastActivities.set(chunk.length, statement);
      }
      for (const a of statement.all(chunk) as Activity[])
        if (!last.has(a.account_id)) last.set(a.account_id, a);
    }
    const today = dayNumber(date);
    const items = rows.map((r) => {
      const overdueDays = r.dueOn < date ? today - dayNumber(r.dueOn) : 0;
      const l = last.get(r.accountId);
      return {
        ...r,
        overdue: overdueDays > 0,
        overdueDays,
        lastTouch: l ? { at: l.occurred_at, channel: l.channel, outcome: l.outcome, note: l.note } : null,
      };
    });
    items.sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        (TIER_ORDER[a.tier ?? ''] ?? 3) - (TIER_ORDER[b.tier ?? ''] ?? 3) ||
        (a.channel === b.channel ? 0 : a.channel === 'visit' ? -1 : 1) ||
        (a.city ?? '').localeCompare(b.city ?? '') ||
        a.dueOn.localeCompare(b.dueOn) ||
        a.accountName.localeCompare(b.accountName),
    );
    const { from, to } = utcBounds(date, timeZone);
    // With nothing due, the first later day with open touches (getAgenda's `next`).
    let next: { date: string; calls: number; visits: number } | null = null;
    if (items.length === 0) {
      const first = (nextOpen.get('planned', date, repId) as { dueOn: string | null } | undefined)?.dueOn;
      if (first)
        next = {
          date: first,
          ...counts(open.all(first, 'planned', repId) as { channel: string; n: number }[]),
        };
    }
    return JSON.stringify({
      date,
      timeZone,
      repId,
      items,
      counts: {
        overdue: items.filter((i) => i.overdue).length,
        calls: items.filter((i) => i.channel === 'call').length,
        visits: items.filter((i) => i.channel === 'visit').length,
      },
      done: counts(logged.all(from, to, repId) as { channel: string; n: number }[]),
      goal: counts(planned.all(date, 'planned', 'done', repId) as { channel: string; n: number }[]),
      next,
    });
  };
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
