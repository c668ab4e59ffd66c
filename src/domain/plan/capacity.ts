import type { TCadenceRule } from '../../schemas/cadence.ts';
import type { TChannel, TTier } from '../../schemas/common.ts';
import type { TCapacity } from '../../schemas/plan.ts';
import { type CadenceTable, intervalDays, toCadenceTable } from '../cadence/cadence-rules.ts';
import {
  addMonthsToDate,
  daysBetween,
  type LocalDate,
  shiftDate,
  toDayNumber,
} from '../calendar/local-date.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { compareLowestPotentialFirst } from '../tiering/assign-tiers.ts';
import {
  DEFAULT_CAPACITY,
  evenPhases,
  lastTouchDay,
  nominalHorizonDays,
  type Plan,
  type PlanAccount,
  type PlannedTouch,
  type UnplacedTouch,
} from './build-plan.ts';
import { countTargets, seriesStartAt } from './series.ts';

/** An amount of touches over the horizon, per working day and per week. */
export interface Load {
  total: number;
  perWorkingDay: number;
  perWeek: number;
}

/** Required touches on one channel, with the split by tier. */
export interface RequiredLoad extends Load {
  byTier: Record<TTier, Load>;
}

/** What a rep can do on one channel over the horizon. */
export interface ChannelCapacity {
  perDay: number;
  perWeek: number;
  total: number;
}

/** Load on each channel after applying an option, and whether it then fits. */
export interface OptionResult {
  /** The totals fit the capacity and, when the option was planned (services/plan.ts), every touch found a day. */
  fits: boolean;
  /** Touches the planner could not place with the option applied, when it was planned and some were left. */
  unplaced?: number;
  required: Record<TChannel, Load>;
  capacity: Record<TChannel, ChannelCapacity>;
}

/** A concrete way out of an overload; nothing is applied until the user picks it. */
export type CapacityOption =
  | {
      kind: 'demote-a-to-b' | 'demote-b-to-c';
      /** How many of the lowest-potential accounts of the tier to move down (manual overrides are left alone). */
      count: number;
      accountIds: string[];
      result: OptionResult;
    }
  | {
      kind: 'stretch-interval';
      tier: TTier;
      channel: TChannel;
      fromMonths: number;
      intervalMonths: number;
      result: OptionResult;
    }
  | { kind: 'raise-capacity'; channel: TChannel; perDay: number; result: OptionResult };

/** The capacity check shown before a plan is committed. */
export interface CapacityCheck {
  fits: boolean;
  from: LocalDate;
  to: LocalDate;
  workingDays: number;
  weeks: number;
  /** Years in the horizon planned on weekends only because their official schedule is not published. */
  unpublishedYears: number[];
  required: Record<TChannel, RequiredLoad>;
  capacity: Record<TChannel, ChannelCapacity>;
  /** Required ÷ capacity per channel (1 = exactly full). */
  utilization: Record<TChannel, number>;
  /** Empty when it fits. */
  options: CapacityOption[];
}

/** The account fields the capacity check reads: planning fields plus the override (never demoted). */
export interface CapacityAccount extends PlanAccount {
  tierOverride?: TTier | null;
}

export interface CapacityInput {
  accounts: readonly CapacityAccount[];
  from: LocalDate;
  months?: number;
  calendar: WorkingCalendar;
  cadence?: readonly TCadenceRule[] | CadenceTable;
  capacity?: Partial<TCapacity>;
}

const CHANNELS: readonly TChannel[] = ['call', 'visit'];
/** Stretch factors offered for the C interval of an overloaded channel (visits 12 → 18 or 24 months). */
const STRETCH_FACTORS = [1.5, 2];

interface Horizon {
  firstDay: number;
  days: number;
  /** Series targets before this day offset count (nominalHorizonDays). */
  targetEnd: number;
  workingDays: number;
  weeks: number;
}

/** Counts the touches each account needs at any interval, with phases and last touches computed once. */
class TouchCounter {
  private readonly phase: Record<TChannel, Float64Array>;
  private readonly last: Record<TChannel, Float64Array>;
  /** Position of each account, made on first use by count (the options; the check itself counts by position). */
  private index: Map<PlanAccount, number> | undefined;

  constructor(
    private readonly accounts: readonly PlanAccount[],
    private readonly horizon: Horizon,
  ) {
    const n = accounts.length;
    this.phase = evenPhases(accounts);
    this.last = { call: new Float64Array(n), visit: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const account = accounts[i] as PlanAccount;
      for (const channel of CHANNELS)
        this.last[channel][i] = lastTouchDay(account, channel, horizon.firstDay) ?? Number.NaN;
    }
  }

  /** Touches the account at position `i` needs on `channel` over the horizon at an interval of `months`. */
  countAt(i: number, channel: TChannel, months: number | null): number {
    if (!months) return 0;
    const last = this.last[channel][i] as number;
    const interval = intervalDays(months);
    const start = seriesStartAt(this.phase[channel][i] as number, interval, Number.isNaN(last) ? null : last);
    return countTargets(start, interval, this.horizon.targetEnd);
  }

  /** Touches `account` needs on `channel` over the horizon at an interval of `months` (as buildPlan plans). */
  count(account: PlanAccount, channel: TChannel, months: number | null): number {
    let index = this.index;
    if (!index) {
      index = new Map();
      for (let i = 0; i < this.accounts.length; i++) index.set(this.accounts[i] as PlanAccount, i);
      this.index = index;
    }
    return this.countAt(index.get(account) as number, channel, months);
  }
}

const load = (total: number, horizon: Horizon): Load => ({
  total,
  perWorkingDay:
    horizon.workingDays > 0 ? total / horizon.workingDays : total > 0 ? Number.POSITIVE_INFINITY : 0,
  perWeek: horizon.weeks > 0 ? total / horizon.weeks : 0,
});

const channelCapacity = (perDay: number, horizon: Horizon): ChannelCapacity => ({
  perDay,
  total: perDay * horizon.workingDays,
  perWeek: horizon.weeks > 0 ? (perDay * horizon.workingDays) / horizon.weeks : 0,
});

function result(
  totals: Record<TChannel, number>,
  perDay: Record<TChannel, number>,
  horizon: Horizon,
): OptionResult {
  const capacity = {
    call: channelCapacity(perDay.call, horizon),
    visit: channelCapacity(perDay.visit, horizon),
  };
  return {
    fits: totals.call <= capacity.call.total && totals.visit <= capacity.visit.total,
    required: { call: load(totals.call, horizon), visit: load(totals.visit, horizon) },
    capacity,
  };
}

/**
 * Compares the touches a plan needs (per working day and week, by tier) with the rep's capacity, before
 * anything is committed (issue 4 §6). When it does not fit, offers options with their resulting load:
 * demote the N lowest-potential A accounts to B (and B to C), stretch the C interval of the overloaded channel,
 * or raise the daily capacity. Counts are the touches buildPlan will try to place; local peaks (holidays) can
 * still leave some unplaced, which buildPlan reports.
 */
export function checkCapacity(input: CapacityInput): CapacityCheck {
  const to = addMonthsToDate(input.from, input.months ?? 12);
  const days = daysBetween(input.from, to);
  const workingDays = input.calendar.workingDaysBetween(input.from, to);
  const horizon: Horizon = {
    firstDay: toDayNumber(input.from),
    days,
    targetEnd: nominalHorizonDays(input.months ?? 12),
    workingDays,
    weeks: days / 7,
  };
  const cadence = toCadenceTable(input.cadence);
  const perDay = { ...DEFAULT_CAPACITY, ...input.capacity };
  const capacityPerDay: Record<TChannel, number> = { call: perDay.callsPerDay, visit: perDay.visitsPerDay };
  const accounts = input.accounts.filter((a) => a.tier !== null);
  const counter = new TouchCounter(accounts, horizon);

  const byTier: Record<TChannel, Record<TTier, number>> = {
    call: { A: 0, B: 0, C: 0 },
    visit: { A: 0, B: 0, C: 0 },
  };
  for (let i = 0; i < accounts.length; i++) {
    const tier = (accounts[i] as CapacityAccount).tier as TTier;
    for (const channel of CHANNELS) {
      byTier[channel][tier] += counter.countAt(i, channel, cadence[tier][channel]);
    }
  }
  const totals: Record<TChannel, number> = {
    call: byTier.call.A + byTier.call.B + byTier.call.C,
    visit: byTier.visit.A + byTier.visit.B + byTier.visit.C,
  };
  const required = {} as Record<TChannel, RequiredLoad>;
  const capacity = {} as Record<TChannel, ChannelCapacity>;
  const utilization = {} as Record<TChannel, number>;
  for (const channel of CHANNELS) {
    required[channel] = {
      ...load(totals[channel], horizon),
      byTier: {
        A: load(byTier[channel].A, horizon),
        B: load(byTier[channel].B, horizon),
        C: load(byTier[channel].C, horizon),
      },
    };
    capacity[channel] = channelCapacity(capacityPerDay[channel], horizon);
    const cap = capacity[channel].total;
    utilization[channel] =
      cap > 0 ? totals[channel] / cap : totals[channel] > 0 ? Number.POSITIVE_INFINITY : 0;
  }
  const fits = CHANNELS.every((c) => totals[c] <= capacity[c].total);
  const options = fits ? [] : overloadOptions(accounts, counter, cadence, horizon, totals, capacityPerDay);
  return {
    fits,
    from: input.from,
    to,
    workingDays,
    weeks: horizon.weeks,
    unpublishedYears: input.calendar.unpublishedYears(input.from, shiftDate(to, -1)),
    required,
    capacity,
    utilization,
    options,
  };
}

function overloadOptions(
  accounts: readonly CapacityAccount[],
  counter: TouchCounter,
  cadence: CadenceTable,
  horizon: Horizon,
  totals: Record<TChannel, number>,
  perDay: Record<TChannel, number>,
): CapacityOption[] {
  const options: CapacityOption[] = [];
  const over = CHANNELS.filter((c) => totals[c] > perDay[c] * horizon.workingDays);

  for (const [kind, fromTier, toTier] of [
    ['demote-a-to-b', 'A', 'B'],
    ['demote-b-to-c', 'B', 'C'],
  ] as const) {
    const helps = over.some((c) => demotionSaves(cadence, fromTier, toTier, c));
    if (!helps) continue;
    const candidates = accounts
      .filter((a) => a.tier === fromTier && a.tierOverride !== fromTier)
      .map((a) => ({ account: a, id: a.id, score: a.score ?? null }))
      .sort(compareLowestPotentialFirst);
    const remaining = { ...totals };
    const accountIds: string[] = [];
    const fitsNow = () => CHANNELS.every((c) => remaining[c] <= perDay[c] * horizon.workingDays);
    for (const { account } of candidates) {
      if (fitsNow()) break;
      const delta = { call: 0, visit: 0 };
      for (const channel of CHANNELS) {
        delta[channel] =
          counter.count(account, channel, cadence[toTier][channel]) -
          counter.count(account, channel, cadence[fromTier][channel]);
      }
      // Skip accounts whose move would not relieve an overloaded channel (e.g. a visit already due next year).
      if (!over.some((c) => delta[c] < 0 && remaining[c] > perDay[c] * horizon.workingDays)) continue;
      remaining.call += delta.call;
      remaining.visit += delta.visit;
      accountIds.push(account.id);
    }
    if (accountIds.length === 0) continue;
    options.push({ kind, count: accountIds.length, accountIds, result: result(remaining, perDay, horizon) });
  }

  for (const channel of over) {
    const fromMonths = cadence.C[channel];
    if (!fromMonths) continue;
    const cAccounts = accounts.filter((a) => a.tier === 'C');
    const current = cAccounts.reduce((sum, a) => sum + counter.count(a, channel, fromMonths), 0);
    let chosen: CapacityOption | undefined;
    for (const factor of STRETCH_FACTORS) {
      const intervalMonths = fromMonths * factor;
      const stretched = cAccounts.reduce((sum, a) => sum + counter.count(a, channel, intervalMonths), 0);
      if (stretched >= current) continue;
      const remaining = { ...totals, [channel]: totals[channel] - current + stretched };
      chosen = {
        kind: 'stretch-interval',
        tier: 'C',
        channel,
        fromMonths,
        intervalMonths,
        result: result(remaining, perDay, horizon),
      };
      if (remaining[channel] <= perDay[channel] * horizon.workingDays) break;
    }
    if (chosen) options.push(chosen);
  }

  for (const channel of over) {
    if (horizon.workingDays === 0) continue;
    const needed = Math.ceil(totals[channel] / horizon.workingDays);
    options.push({
      kind: 'raise-capacity',
      channel,
      perDay: needed,
      result: result(totals, { ...perDay, [channel]: needed }, horizon),
    });
  }
  return options;
}

/** True when moving an account from `fromTier` to `toTier` lowers its touches on the channel. */
function demotionSaves(cadence: CadenceTable, fromTier: TTier, toTier: TTier, channel: TChannel): boolean {
  const a = cadence[fromTier][channel];
  const b = cadence[toTier][channel];
  return a !== null && (b === null || b > a);
}

/** The CLI/API answer for `plan`: the check, and the plan's touches and what could not be placed. */
export interface PlanReport {
  /** True only when the check fits and the plan placed every touch. */
  fits: boolean;
  required: CapacityCheck['required'];
  capacity: CapacityCheck['capacity'];
  options: CapacityOption[];
  unpublishedYears: number[];
  touches: PlannedTouch[];
  unplaced: UnplacedTouch[];
}

/** Combines a capacity check and a built plan into the `plan` command's answer. */
export function planReport(check: CapacityCheck, plan: Plan): PlanReport {
  return {
    fits: check.fits && plan.unplaced.length === 0,
    required: check.required,
    capacity: check.capacity,
    options: check.options,
    unpublishedYears: check.unpublishedYears,
    touches: plan.touches,
    unplaced: plan.unplaced,
  };
}
