import type { TCadenceRule } from '../../schemas/cadence.ts';
import type { TChannel, TTier } from '../../schemas/common.ts';
import { type CadenceTable, intervalDays, toCadenceTable } from '../cadence/cadence-rules.ts';
import {
  addMonthsToDate,
  type LocalDate,
  shiftDate,
  startOfWeek,
  toDayNumber,
} from '../calendar/local-date.ts';

/** A logged call or visit, dated in the workspace's local calendar. */
export interface LoggedTouch {
  accountId: string;
  channel: TChannel;
  on: LocalDate;
}

export type GoalPeriod = 'week' | 'month';

/** One week (starting Monday) or calendar month. */
export interface PeriodRange {
  period: GoalPeriod;
  /** The week's first day, or 'YYYY-MM'. */
  key: string;
  from: LocalDate;
  /** Exclusive end. */
  to: LocalDate;
}

/** Calls and visits planned in a period: the rep's goal for it (method §3). */
export interface PeriodGoal extends PeriodRange {
  calls: number;
  visits: number;
}

/** A goal with what was actually logged in its period. */
export interface GoalProgress extends PeriodGoal {
  actual: { calls: number; visits: number };
  /** actual ÷ goal, null when the goal is 0. */
  ratio: { calls: number | null; visits: number | null };
}

/** The week (Monday start unless `weekStartsOn` says otherwise) or month containing `date`. */
export function periodOf(date: LocalDate, period: GoalPeriod, weekStartsOn = 1): PeriodRange {
  if (period === 'week') {
    const from = startOfWeek(date, weekStartsOn);
    return { period, key: from, from, to: shiftDate(from, 7) };
  }
  const from = `${date.slice(0, 7)}-01`;
  toDayNumber(date);
  return { period, key: date.slice(0, 7), from, to: addMonthsToDate(from, 1) };
}

export interface GoalOptions {
  /** Include every period from the one containing `from`… */
  from?: LocalDate;
  /** …to the one containing the day before `to` (exclusive), even when empty. */
  to?: LocalDate;
  weekStartsOn?: number;
}

/**
 * Weekly or monthly call and visit goals: the touches the plan holds in each period, in date order. Periods
 * between the first and last (or options.from/to) are all listed, empty ones with zero goals.
 */
export function deriveGoals(
  touches: Iterable<{ channel: TChannel; dueOn: LocalDate }>,
  period: GoalPeriod,
  options: GoalOptions = {},
): PeriodGoal[] {
  const weekStartsOn = options.weekStartsOn ?? 1;
  const goals = new Map<string, PeriodGoal>();
  const cache = new Map<LocalDate, PeriodRange>();
  const goalFor = (date: LocalDate): PeriodGoal => {
    let range = cache.get(date);
    if (!range) {
      range = periodOf(date, period, weekStartsOn);
      cache.set(date, range);
    }
    let goal = goals.get(range.key);
    if (!goal) {
      goal = { ...range, calls: 0, visits: 0 };
      goals.set(range.key, goal);
    }
    return goal;
  };
  let first: LocalDate | undefined = options.from;
  let last: LocalDate | undefined = options.to ? shiftDate(options.to, -1) : undefined;
  for (const touch of touches) {
    if (options.from && touch.dueOn < options.from) continue;
    if (options.to && touch.dueOn >= options.to) continue;
    const goal = goalFor(touch.dueOn);
    if (touch.channel === 'call') goal.calls++;
    else goal.visits++;
    if (!options.from && (first === undefined || touch.dueOn < first)) first = touch.dueOn;
    if (!options.to && (last === undefined || touch.dueOn > last)) last = touch.dueOn;
  }
  if (first !== undefined && last !== undefined) {
    for (let range = periodOf(first, period, weekStartsOn); range.from <= last; ) {
      goalFor(range.from);
      range = periodOf(range.to, period, weekStartsOn);
    }
  }
  return [...goals.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** Goals against the touches actually logged in each period (any logged touch counts, planned or not). */
export function goalProgress(goals: readonly PeriodGoal[], logged: Iterable<LoggedTouch>): GoalProgress[] {
  const actual = goals.map(() => ({ calls: 0, visits: 0 }));
  const sorted = goals.map((g, i) => ({ g, i }));
  for (const touch of logged) {
    // Periods do not overlap; a binary search finds the one holding the date.
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const { g, i } = sorted[mid] as { g: PeriodGoal; i: number };
      if (touch.on < g.from) hi = mid - 1;
      else if (touch.on >= g.to) lo = mid + 1;
      else {
        const a = actual[i] as { calls: number; visits: number };
        if (touch.channel === 'call') a.calls++;
        else a.visits++;
        break;
      }
    }
  }
  return goals.map((goal, i) => {
    const a = actual[i] as { calls: number; visits: number };
    return {
      ...goal,
      actual: a,
      ratio: {
        calls: goal.calls ? a.calls / goal.calls : null,
        visits: goal.visits ? a.visits / goal.visits : null,
      },
    };
  });
}

/** Coverage of one tier on one channel as of a date. */
export interface Coverage {
  accounts: number;
  /** Accounts whose last touch on the channel is at most one interval before the date. */
  covered: number;
  /** covered ÷ accounts; null when there are no accounts or the tier has no cadence on the channel. */
  share: number | null;
  neverTouched: number;
}

/**
 * Coverage per tier and channel (issue 4 §9): the share of the tier's accounts touched within their cadence
 * interval (interval months × 365/12 days) as of `asOf`; touches after `asOf` are ignored.
 */
export function coverageByTier(
  accounts: Iterable<{ id: string; tier: TTier | null }>,
  logged: Iterable<LoggedTouch>,
  asOf: LocalDate,
  cadence?: readonly TCadenceRule[] | CadenceTable,
): Record<TTier, Record<TChannel, Coverage>> {
  const table = toCadenceTable(cadence);
  const asOfDay = toDayNumber(asOf);
  const last = { call: new Map<string, LocalDate>(), visit: new Map<string, LocalDate>() };
  for (const touch of logged) {
    if (touch.on > asOf) continue;
    const seen = last[touch.channel].get(touch.accountId);
    if (seen === undefined || touch.on > seen) last[touch.channel].set(touch.accountId, touch.on);
  }
  const empty = (): Record<TChannel, Coverage> => ({
    call: { accounts: 0, covered: 0, share: null, neverTouched: 0 },
    visit: { accounts: 0, covered: 0, share: null, neverTouched: 0 },
  });
  const result: Record<TTier, Record<TChannel, Coverage>> = { A: empty(), B: empty(), C: empty() };
  for (const account of accounts) {
    if (!account.tier) continue;
    for (const channel of ['call', 'visit'] as const) {
      const coverage = result[account.tier][channel];
      coverage.accounts++;
      const on = last[channel].get(account.id);
      if (on === undefined) {
        coverage.neverTouched++;
        continue;
      }
      const months = table[account.tier][channel];
      if (months && asOfDay - toDayNumber(on) <= intervalDays(months)) coverage.covered++;
    }
  }
  for (const tier of ['A', 'B', 'C'] as const) {
    for (const channel of ['call', 'visit'] as const) {
      const coverage = result[tier][channel];
      coverage.share =
        coverage.accounts > 0 && table[tier][channel] ? coverage.covered / coverage.accounts : null;
    }
  }
  return result;
}

/** A planned touch with its completion, as stored. */
export interface TrackedTouch {
  channel: TChannel;
  /** The account's tier; null when the account is outside the target market (it has no tier). */
  tier: TTier | null;
  dueOn: LocalDate;
  completedOn?: LocalDate | null;
}

export interface OverdueCounts {
  /** Every open touch due before the day: the agenda's overdue count. */
  total: number;
  byTier: Record<TTier, Record<TChannel, number>>;
  /** Open touches of accounts that left the target market (no tier): overdue all the same until done or re-planned. */
  outOfMarket: Record<TChannel, number>;
}

/**
 * Planned touches due before `asOf` and not completed (a missed touch stays overdue until done), by the account's
 * tier; those of accounts outside the market are counted too (they are on the agenda), apart from the tiers.
 */
export function countOverdue(touches: Iterable<TrackedTouch>, asOf: LocalDate): OverdueCounts {
  const counts: OverdueCounts = {
    total: 0,
    byTier: { A: { call: 0, visit: 0 }, B: { call: 0, visit: 0 }, C: { call: 0, visit: 0 } },
    outOfMarket: { call: 0, visit: 0 },
  };
  for (const touch of touches) {
    if (touch.completedOn || touch.dueOn >= asOf) continue;
    counts.total++;
    if (touch.tier) counts.byTier[touch.tier][touch.channel]++;
    else counts.outOfMarket[touch.channel]++;
  }
  return counts;
}
