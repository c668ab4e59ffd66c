import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { TAccountListQuery } from '../../schemas/account.ts';
import type { Channel, Database, Tier } from '../tables.ts';

/*
 * Account conditions about what was logged and planned: cadence coverage, touches in a window, objections met,
 * touches planned in a window. Shared by the accounts list filters (the dashboard's drill-downs) and the
 * dashboard's aggregates (services/dashboard.ts), so a figure and the list behind it count the same accounts.
 * Dates are turned into instants by the service (the workspace time zone); here they are plain values.
 */

const TIERS: readonly Tier[] = ['A', 'B', 'C'];

/** Cadence coverage as of a day: per tier and channel, the first instant a touch still counts (null: no cadence). */
export interface CoverageWindow {
  since: Record<Tier, Record<Channel, string | null>>;
  /** The end (exclusive) of the day coverage is measured on: later touches do not count. */
  until: string;
}

/** What the activity filters need besides the query, computed by the service. */
export interface ActivityFilterContext {
  coverage?: CoverageWindow;
  /** The first instant of a local day in the workspace time zone. */
  startOfDay?: (date: string) => string;
}

type AccountsEb = ExpressionBuilder<Database, 'accounts'>;

/**
 * The account was touched on `channel` within its tier's cadence interval (the SQL form of coverageByTier in
 * domain/plan/goals.ts: the last contact, by anyone, at most one interval before the day; a touch nobody answered
 * is not a contact). Tiers without a cadence on the channel are never covered.
 */
export function coveredCondition(
  eb: AccountsEb,
  channel: Channel,
  window: CoverageWindow,
): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = [];
  for (const tier of TIERS) {
    const since = window.since[tier][channel];
    if (!since) continue;
    ors.push(
      eb.and([
        eb('accounts.tier', '=', tier),
        eb.exists(
          eb
            .selectFrom('activities as cov')
            .select(sql.lit(1).as('one'))
            .whereRef('cov.account_id', '=', 'accounts.id')
            .where('cov.channel', '=', channel)
            .where('cov.occurred_at', '>=', since)
            .where('cov.occurred_at', '<', window.until)
            .where('cov.outcome', '!=', 'no_answer'),
        ),
      ]),
    );
  }
  return ors.length ? eb.or(ors) : sql<SqlBool>`1 = 0`;
}

/** In the target market with a tier: the accounts coverage is measured on. */
export function tieredInMarket(eb: AccountsEb): Expression<SqlBool> {
  return eb.and([eb('accounts.in_market', '=', 1), eb('accounts.tier', 'is not', null)]);
}

export type ActivityFilter = Pick<
  TAccountListQuery,
  | 'covered'
  | 'uncovered'
  | 'touchedFrom'
  | 'touchedTo'
  | 'objectionId'
  | 'plannedFrom'
  | 'plannedTo'
  | 'channel'
  | 'byRep'
>;

function nextDay(date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + 1);
  return at.toISOString().slice(0, 10);
}

/** The WHERE conditions of the activity filters on `accounts` (an empty list when none is set). */
export function activityConditions(
  eb: AccountsEb,
  query: Partial<ActivityFilter>,
  context: ActivityFilterContext,
): Expression<SqlBool>[] {
  const ands: Expression<SqlBool>[] = [];
  for (const [channel, covered] of [
    [query.covered, true],
    [query.uncovered, false],
  ] as const) {
    if (!channel) continue;
    const window = context.coverage;
    if (!window)
      throw new Error('The covered/uncovered filters need the coverage window (context.coverage).');
    const condition = coveredCondition(eb, channel, window);
    ands.push(tieredInMarket(eb), covered ? condition : eb.not(condition));
  }
  if (query.touchedFrom || query.touchedTo || query.objectionId) {
    const startOfDay = context.startOfDay;
    if ((query.touchedFrom || query.touchedTo) && !startOfDay) {
      throw new Error('The touchedFrom/To filters need the workspace time zone (context.startOfDay).');
    }
    let touches = eb
      .selectFrom('activities as act')
      .select(sql.lit(1).as('one'))
      .whereRef('act.account_id', '=', 'accounts.id');
    if (query.touchedFrom && startOfDay)
      touches = touches.where('act.occurred_at', '>=', startOfDay(query.touchedFrom));
    if (query.touchedTo && startOfDay)
      touches = touches.where('act.occurred_at', '<', startOfDay(nextDay(query.touchedTo)));
    if (query.objectionId) touches = touches.where('act.objection_id', '=', query.objectionId);
    if (query.channel) touches = touches.where('act.channel', '=', query.channel);
    if (query.byRep) touches = touches.where('act.user_id', '=', query.byRep);
    ands.push(eb.exists(touches));
  }
  if (query.plannedFrom || query.plannedTo) {
    let planned = eb
      .selectFrom('planned_touches as plan')
      .select(sql.lit(1).as('one'))
      .whereRef('plan.account_id', '=', 'accounts.id')
      .where('plan.status', 'in', ['planned', 'done']);
    if (query.plannedFrom) planned = planned.where('plan.due_on', '>=', query.plannedFrom);
    if (query.plannedTo) planned = planned.where('plan.due_on', '<=', query.plannedTo);
    if (query.channel) planned = planned.where('plan.channel', '=', query.channel);
    if (query.byRep) planned = planned.where('plan.rep_id', '=', query.byRep);
    ands.push(eb.exists(planned));
  }
  return ands;
}

/** True when the query sets any activity filter. */
export function hasActivityFilter(query: Partial<ActivityFilter>): boolean {
  return Boolean(
    query.covered ||
      query.uncovered ||
      query.touchedFrom ||
      query.touchedTo ||
      query.objectionId ||
      query.plannedFrom ||
      query.plannedTo,
  );
}
