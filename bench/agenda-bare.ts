// The bench's bare agenda handler (bench/agenda-server.ts bare and floor): GET /api/agenda's answer made with
// better-sqlite3 and the same SQL statements as getAgenda (src/services/touches.ts), without authentication,
// validation or Kysely. test/bench/agenda-bare.test.ts checks that it answers exactly as the app does, so that the
// bench compares like with like (the bench refuses to run when they differ).
import { tzOffset } from '@date-fns/tz';
import { createWorkingCalendar } from '../src/domain/calendar/index.ts';
import { storedHolidays } from '../src/services/plan.ts';
import { compareAgendaItems } from '../src/services/touches.ts';
import type { Db } from '../src/storage/database.ts';

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
  rep: 'select "days_off", "holiday_country" from "users" where "id" = ?',
  countDue:
    'select "channel", count(*) as "n", sum(case when "due_on" < ? then 1 else 0 end) as "overdue" from "planned_touches" where "status" = ? and "due_on" <= ? and "rep_id" = ? group by "channel"',
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
export function bareAnswers(db: Db): (repId: string, date: string) => string {
  const sqlite = db.sqlite;
  if (!sqlite) throw new Error('the bare handler reads SQLite');
  const settings = sqlite.prepare(SQL.settings);
  const agenda = sqlite.prepare(SQL.agenda);
  const logged = sqlite.prepare(SQL.logged);
  const planned = sqlite.prepare(SQL.planned);
  const nextOpen = sqlite.prepare(SQL.nextOpen);
  const open = sqlite.prepare(SQL.open);
  const rep = sqlite.prepare(SQL.rep);
  const countDue = sqlite.prepare(SQL.countDue);
  const lastActivities = new Map<number, ReturnType<typeof sqlite.prepare>>();
  const counts = (rows: { channel: string; n: number }[]) => ({
    calls: Number(rows.find((r) => r.channel === 'call')?.n ?? 0),
    visits: Number(rows.find((r) => r.channel === 'visit')?.n ?? 0),
  });

  return (repId, date) => {
    const stored = settings.get('workspace') as { value: string } | undefined;
    const workspace = stored ? (JSON.parse(stored.value) as { timeZone?: string; country?: string }) : {};
    const timeZone = workspace.timeZone ?? 'Asia/Shanghai';
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
    items.sort(compareAgendaItems);
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
    // The date on the rep's working calendar (getAgenda's `day`, from calendarFor).
    const person = rep.get(repId) as { days_off: string | null; holiday_country: string | null } | undefined;
    const day = createWorkingCalendar({
      country:
        storedHolidays(person?.holiday_country ?? null) ?? storedHolidays(workspace.country ?? 'CN') ?? 'CN',
      customDaysOff: person?.days_off ? (JSON.parse(person.days_off) as string[]) : [],
    }).dayInfo(date);
    // The list stops at 5,000 touches; the counts are then of every open touch due, from SQL (getAgenda's).
    let listed = {
      overdue: items.filter((i) => i.overdue).length,
      calls: items.filter((i) => i.channel === 'call').length,
      visits: items.filter((i) => i.channel === 'visit').length,
    };
    if (rows.length >= 5000) {
      listed = { overdue: 0, calls: 0, visits: 0 };
      for (const row of countDue.all(date, 'planned', date, repId) as {
        channel: string;
        n: number;
        overdue: number | null;
      }[]) {
        listed.overdue += Number(row.overdue ?? 0);
        if (row.channel === 'call') listed.calls += Number(row.n);
        else listed.visits += Number(row.n);
      }
    }
    return JSON.stringify({
      date,
      timeZone,
      repId,
      items,
      counts: listed,
      truncated: listed.calls + listed.visits > items.length,
      done: counts(logged.all(from, to, repId) as { channel: string; n: number }[]),
      goal: counts(planned.all(date, 'planned', 'done', repId) as { channel: string; n: number }[]),
      next,
      day: { working: day.working, kind: day.kind, name: day.name ?? null },
    });
  };
}
