import { addMonthsToDate, shiftDate } from '../domain/calendar/local-date.ts';
import { todayIn } from '../domain/calendar/time-zone.ts';
import {
  countOverdue,
  coverageByTier,
  deriveGoals,
  type GoalPeriod,
  goalProgress,
  type LoggedTouch,
  periodOf,
} from '../domain/plan/goals.ts';
import type { TGoals } from '../schemas/plan-api.ts';
import type { ServiceContext } from './context.ts';
import { readCadenceRules } from './plan.ts';
import { resolveRep } from './rep-scope.ts';
import { readWorkspaceSettings } from './workspace-settings.ts';

const HISTORY = 8;

/** Goals the rep controls (method §3–§4): planned against logged calls and visits, coverage per tier, overdue. */
export async function getGoals(
  ctx: ServiceContext,
  query: { period: GoalPeriod; date?: string; repId?: string },
): Promise<TGoals> {
  const db = ctx.db.kysely;
  const settings = await readWorkspaceSettings(db);
  const date = query.date ?? todayIn(settings.timeZone, ctx.now());
  const repId = await resolveRep(ctx, query.repId, db);
  const current = periodOf(date, query.period);
  const first =
    query.period === 'week'
      ? shiftDate(current.from, -7 * (HISTORY - 1))
      : addMonthsToDate(current.from, -(HISTORY - 1));

  // The plan's touches of the goal periods shown (no join: the goal counts need only channel and date)…
  let planned = db
    .selectFrom('planned_touches as t')
    .select(['t.channel', 't.due_on'])
    .where('t.status', 'in', ['planned', 'done'])
    .where('t.due_on', '>=', first)
    .where('t.due_on', '<', current.to);
  if (repId) planned = planned.where('t.rep_id', '=', repId);
  const touches = await planned.execute();
  // …and the open ones already overdue, with their account's tier (not a year of history). Every one counts, as on
  // the agenda: an account that left the market keeps its open touches (no tier: counted apart).
  let overdueQuery = db
    .selectFrom('planned_touches as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.channel', 't.due_on', 'a.tier'])
    .where('t.status', '=', 'planned')
    .where('t.due_on', '<', date);
  if (repId) overdueQuery = overdueQuery.where('t.rep_id', '=', repId);
  const overdueTouches = await overdueQuery.execute();

  let logged = db
    .selectFrom('activities')
    .select(['account_id', 'channel', 'occurred_at'])
    .where('occurred_at', '>=', shiftDate(first, -1));
  if (repId) logged = logged.where('user_id', '=', repId);
  const activities = await logged.execute();
  const loggedTouches: LoggedTouch[] = activities.map((a) => ({
    accountId: a.account_id,
    channel: a.channel,
    on: todayIn(settings.timeZone, new Date(a.occurred_at)),
  }));

  const goals = deriveGoals(
    touches.map((t) => ({ channel: t.channel, dueOn: t.due_on })),
    query.period,
    { from: first, to: current.to },
  );
  const progress = goalProgress(goals, loggedTouches);
  const now = progress.find((p) => p.key === current.key) ?? {
    ...current,
    calls: 0,
    visits: 0,
    actual: { calls: 0, visits: 0 },
    ratio: { calls: null, visits: null },
  };

  // A rep's accounts by owner alone: with in_market in the same WHERE, SQLite picks the (in_market, tier) index and
  // walks every in-market account of the workspace; the few out of the market are dropped here instead.
  let accountsQuery = db.selectFrom('accounts').select(['id', 'tier', 'in_market']);
  accountsQuery = repId
    ? accountsQuery.where('owner_id', '=', repId)
    : accountsQuery.where('in_market', '=', 1);
  const accounts = (await accountsQuery.execute()).filter((a) => a.in_market === 1);
  const accountIds = new Set(accounts.map((a) => a.id));
  // Coverage looks at every contact logged on these accounts, by anyone, since the longest interval (a touch nobody
  // answered is effort, not a contact: domain/plan/no-answer.ts). For one rep only their accounts' touches are read
  // (through activities_account_idx), not the whole workspace's year.
  let coveringQuery = db
    .selectFrom('activities')
    .select(['account_id', 'channel', 'occurred_at'])
    .where('occurred_at', '>=', addMonthsToDate(date, -13))
    .where('outcome', '!=', 'no_answer');
  if (repId) {
    coveringQuery = coveringQuery.where('account_id', 'in', (eb) =>
      eb.selectFrom('accounts').select('id').where('owner_id', '=', repId),
    );
  }
  const allTouches = await coveringQuery.execute();
  const coverage = coverageByTier(
    accounts,
    allTouches
      .filter((t) => accountIds.has(t.account_id))
      .map((t) => ({
        accountId: t.account_id,
        channel: t.channel,
        on: todayIn(settings.timeZone, new Date(t.occurred_at)),
      })),
    date,
    await readCadenceRules(db),
  );
  const overdue = countOverdue(
    overdueTouches.map((t) => ({ channel: t.channel, tier: t.tier, dueOn: t.due_on })),
    date,
  );
  return {
    period: query.period,
    timeZone: settings.timeZone,
    from: current.from,
    to: current.to,
    repId,
    goal: { calls: now.calls, visits: now.visits },
    actual: now.actual,
    ratio: now.ratio,
    coverage,
    overdue,
    history: progress.map((p) => ({
      key: p.key,
      from: p.from,
      goal: { calls: p.calls, visits: p.visits },
      actual: p.actual,
    })),
  };
}
