import { shiftDate } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import type { TChannel } from '../schemas/common.ts';
import {
  type TTeamDay,
  type TTeamDayQuery,
  type TTeamDayRep,
  type TTeamDayStatus,
  ZTeamDayQuery,
} from '../schemas/team-day.ts';
import { teamMemberIds } from '../storage/repositories/account-scope.ts';
import { isUnrestrictedActor, requireSignedIn } from './access.ts';
import type { ServiceContext } from './context.ts';
import { startOfLocalDay } from './playbook.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

/*
 * Each rep's day, for a manager's Today: per active rep in the caller's scope (every rep for admins and the local
 * system, the team for a manager, only themselves for a rep), the calls and visits planned for the day and logged
 * on it, the open touches overdue before it, and when they last logged anything. The figures are the rep's own
 * agenda's (services/touches.ts): planned = touches due that day, open or done, by `rep_id`; done = activities
 * the rep logged in that day of the workspace time zone, by `user_id`; overdue = open touches due before the day.
 *
 * Four queries whatever the number of reps: the reps with their last log (a correlated MAX over
 * activities_user_idx), and three GROUP BY rep (planned, overdue, logged), each limited to those reps in SQL.
 */

type Counts = { calls: number; visits: number };

export async function getTeamDay(ctx: ServiceContext, input: Partial<TTeamDayQuery> = {}): Promise<TTeamDay> {
  requireSignedIn(ctx);
  const query = ZTeamDayQuery.parse(input);
  const db = ctx.db.kysely;
  const { timeZone } = await readWorkspaceSettings(db);
  const today = todayIn(timeZone, ctx.now());
  const date = query.date ?? today;
  const from = startOfLocalDay(date, timeZone);
  const to = startOfLocalDay(shiftDate(date, 1), timeZone);

  const { actor } = ctx;
  const scope: TTeamDay['scope'] = isUnrestrictedActor(actor)
    ? 'workspace'
    : actor.role === 'rep'
      ? 'rep'
      : 'team';
  // The reps the caller may see, as a subquery every figure is limited to (never a list read first).
  let repIds = db
    .selectFrom('users as r')
    .select('r.id')
    .where('r.role', '=', 'rep')
    .where('r.disabled_at', 'is', null);
  if (scope === 'rep') repIds = repIds.where('r.id', '=', actor.userId as string);
  else if (scope === 'team') repIds = repIds.where('r.id', 'in', teamMemberIds(db, actor.userId as string));

  const repsQuery = repIds.select((eb) => [
    'r.name',
    eb
      .selectFrom('activities as last')
      .select((l) => l.fn.max<string>('last.occurred_at').as('at'))
      .whereRef('last.user_id', '=', 'r.id')
      .where('last.occurred_at', '<', to)
      .as('lastLoggedAt'),
  ]);
  const plannedQuery = db
    .selectFrom('planned_touches as t')
    .select(['t.rep_id as repId', 't.channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('t.due_on', '=', date)
    .where('t.status', 'in', ['planned', 'done'])
    .where('t.rep_id', 'in', repIds)
    .groupBy(['t.rep_id', 't.channel']);
  const overdueQuery = db
    .selectFrom('planned_touches as t')
    .select(['t.rep_id as repId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('t.status', '=', 'planned')
    .where('t.due_on', '<', date)
    .where('t.rep_id', 'in', repIds)
    .groupBy('t.rep_id');
  const doneQuery = db
    .selectFrom('activities as a')
    .select(['a.user_id as repId', 'a.channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('a.occurred_at', '>=', from)
    .where('a.occurred_at', '<', to)
    .where('a.user_id', 'in', repIds)
    .groupBy(['a.user_id', 'a.channel']);

  const [repRows, plannedRows, overdueRows, doneRows] = await Promise.all([
    repsQuery.execute(),
    plannedQuery.execute(),
    overdueQuery.execute(),
    doneQuery.execute(),
  ]);

  const perRep = (rows: { repId: string | null; channel: TChannel; n: number | string | bigint }[]) => {
    const map = new Map<string, Counts>();
    for (const row of rows) {
      if (!row.repId) continue;
      const counts = map.get(row.repId) ?? { calls: 0, visits: 0 };
      counts[row.channel === 'call' ? 'calls' : 'visits'] += Number(row.n);
      map.set(row.repId, counts);
    }
    return map;
  };
  const planned = perRep(plannedRows);
  const done = perRep(doneRows);
  const overdue = new Map(overdueRows.map((row) => [row.repId, Number(row.n)]));

  const reps: TTeamDayRep[] = repRows.map((row) => {
    const p = planned.get(row.id) ?? { calls: 0, visits: 0 };
    const d = done.get(row.id) ?? { calls: 0, visits: 0 };
    const remaining = Math.max(0, p.calls - d.calls) + Math.max(0, p.visits - d.visits);
    const lastLoggedAt = row.lastLoggedAt ? new Date(row.lastLoggedAt).toISOString() : null;
    return {
      repId: row.id,
      name: row.name,
      planned: p,
      done: d,
      remaining,
      overdue: overdue.get(row.id) ?? 0,
      lastLoggedAt,
      lastLoggedOn: lastLoggedAt ? todayIn(timeZone, new Date(lastLoggedAt)) : null,
      status: statusOf(p, d, remaining, date > today),
    };
  });
  reps.sort(
    (a, b) =>
      b.remaining - a.remaining ||
      Number(started(a)) - Number(started(b)) ||
      b.overdue - a.overdue ||
      a.name.localeCompare(b.name) ||
      a.repId.localeCompare(b.repId),
  );

  const sum = (pick: (rep: TTeamDayRep) => number) => reps.reduce((total, rep) => total + pick(rep), 0);
  return {
    date,
    today,
    timeZone,
    scope,
    reps,
    totals: {
      planned: { calls: sum((r) => r.planned.calls), visits: sum((r) => r.planned.visits) },
      done: { calls: sum((r) => r.done.calls), visits: sum((r) => r.done.visits) },
      remaining: sum((r) => r.remaining),
      overdue: sum((r) => r.overdue),
    },
  };
}

const started = (rep: TTeamDayRep) => rep.done.calls + rep.done.visits > 0;

function statusOf(planned: Counts, done: Counts, remaining: number, future: boolean): TTeamDayStatus {
  if (future) return 'upcoming';
  if (planned.calls + planned.visits === 0) return 'nothing_planned';
  if (done.calls + done.visits === 0) return 'not_started';
  return remaining > 0 ? 'under_way' : 'complete';
}
