import type { TChannel, TTier } from '../../schemas/common.ts';
import { type CadenceTable, CHANNELS, intervalDays, TIERS } from '../cadence/cadence-rules.ts';
import { type LocalDate, shiftDate, toDayNumber } from '../calendar/local-date.ts';
import { SPACING_TOLERANCE } from './series.ts';

/**
 * Plan health (docs/figures.md, "Plan health"): whether the committed plan still covers a rep's market after
 * market saves, re-tiering by score and new accounts, none of which re-plan by themselves.
 */

/** Why an account and channel is out of step with the plan, in the order they are listed. */
export type HealthReason = 'unplanned' | 'behind' | 'ahead' | 'outOfMarket';
export const HEALTH_REASONS: readonly HealthReason[] = ['unplanned', 'behind', 'ahead', 'outOfMarket'];

/** How many affected accounts a health report lists. */
export const HEALTH_LIST_LIMIT = 50;

const EPS = 1e-9;

/** The day counts of one tier and channel's cadence that the health rules compare with. */
export interface HealthBounds {
  /** The interval in whole days (a month is 30 days, a quarter 91): the next due day is the last touch + this. */
  dueDays: number;
  /** Behind: the first open touch more than this many days after its anchor (interval × 1.2, whole days). */
  behindDays: number;
  /**
   * Ahead: the open touches from today on lie fewer than this many days apart on average (interval × 0.8, not
   * rounded: compared as (last − first) < (touches − 1) × aheadGap).
   */
  aheadGap: number;
}

/** The bounds of a tier and channel; null when the cadence plans nothing on that channel. */
export function healthBounds(cadence: CadenceTable, tier: TTier, channel: TChannel): HealthBounds | null {
  const months = cadence[tier][channel];
  if (!months) return null;
  const days = intervalDays(months);
  return {
    dueDays: Math.floor(days + EPS),
    behindDays: Math.floor((1 + SPACING_TOLERANCE) * days + EPS),
    aheadGap: (1 - SPACING_TOLERANCE) * days,
  };
}

/** The plan in force: its first day and the exclusive end of its horizon. */
export interface HealthPlan {
  from: LocalDate;
  to: LocalDate;
}

/**
 * Whether the plan's horizon has ended (its exclusive end is today or earlier): it plans nothing from today on, so it
 * is never in step, and every in-market account without an open touch due today or later is unplanned.
 */
export function planExpired(plan: HealthPlan, today: LocalDate): boolean {
  return plan.to <= today;
}

/**
 * Whether an account never touched on a channel should hold an open touch of the plan: the plan runs past today and
 * its horizon is at least one interval long. The planner spreads the first touches of accounts never touched over
 * their first interval from the plan's first day, so in a plan shorter than the interval (a 2-month plan, quarterly
 * visits) some of them rightly fall after its end.
 */
export function neverTouchedDue(plan: HealthPlan, today: LocalDate, bounds: HealthBounds): boolean {
  return today < plan.to && toDayNumber(plan.to) - toDayNumber(plan.from) >= bounds.dueDays;
}

/** One account and channel as the health rules read it. */
export interface HealthChannelFacts {
  /** The account's tier; null for an account outside the market (or without a tier). */
  tier: TTier | null;
  channel: TChannel;
  /** Local day of the last logged touch on the channel, by anyone; null when never touched. */
  lastOn: LocalDate | null;
  /** Due days of the open (status `planned`) touches on the channel, ascending. */
  open: readonly LocalDate[];
}

export interface HealthFinding {
  reason: HealthReason;
  /** The day the next touch is due: computed for `unplanned`, else the first open touch's. */
  nextDue: LocalDate;
}

/**
 * What is out of step on one account and channel (none, one or, for a series both late and crowded, two findings):
 *
 * - `outOfMarket`: no tier (outside the market) and open touches.
 * - `unplanned`: a tier whose cadence has the channel, no open touch, and a next due day (the last touch + the
 *   interval in whole days, or today when never touched) before the plan's end. Under a plan whose horizon has
 *   ended (planExpired): no open touch due today or later, whatever the next due day (overdue touches left from it
 *   are the agenda's, not a plan for what comes next).
 * - `behind`: the first open touch is due more than interval × 1.2 after its anchor: the later of the last touch and
 *   the plan's first day (an account overdue when the plan was made is planned as early as possible from it).
 * - `ahead`: the open touches due today or later (two or more) lie closer together than interval × 0.8 on average
 *   (the span from the first to the last over the gaps between them): the series of a tier lowered since.
 */
export function channelHealth(
  facts: HealthChannelFacts,
  cadence: CadenceTable,
  plan: HealthPlan,
  today: LocalDate,
): HealthFinding[] {
  const first = facts.open[0];
  if (facts.tier === null) return first === undefined ? [] : [{ reason: 'outOfMarket', nextDue: first }];
  const bounds = healthBounds(cadence, facts.tier, facts.channel);
  if (!bounds) return [];
  if (planExpired(plan, today) && !facts.open.some((d) => d >= today)) {
    const nextDue = facts.lastOn === null ? today : shiftDate(facts.lastOn, bounds.dueDays);
    return [{ reason: 'unplanned', nextDue }];
  }
  if (first === undefined) {
    if (facts.lastOn === null) {
      return neverTouchedDue(plan, today, bounds) ? [{ reason: 'unplanned', nextDue: today }] : [];
    }
    const nextDue = shiftDate(facts.lastOn, bounds.dueDays);
    return nextDue < plan.to ? [{ reason: 'unplanned', nextDue }] : [];
  }
  const findings: HealthFinding[] = [];
  const anchor = facts.lastOn !== null && facts.lastOn > plan.from ? facts.lastOn : plan.from;
  if (toDayNumber(first) - toDayNumber(anchor) > bounds.behindDays) {
    findings.push({ reason: 'behind', nextDue: first });
  }
  // Overdue touches are left out: they are the agenda's overdue figure until logged. A re-plan from today keeps them
  // as each series' pending touch and plans the next one about one interval after today (services/plan.ts,
  // pendingTouches), so they never crowd a fresh plan; two or more left from older plans are not the cadence's doing.
  const upcoming = facts.open.filter((d) => d >= today);
  const n = upcoming.length;
  if (n >= 2) {
    const span = toDayNumber(upcoming[n - 1] as LocalDate) - toDayNumber(upcoming[0] as LocalDate);
    if (span < (n - 1) * bounds.aheadGap) findings.push({ reason: 'ahead', nextDue: first });
  }
  return findings;
}

/** Accounts per tier on one channel. */
export type TierCounts = Record<TTier, number>;
export type ChannelTierCounts = Record<TChannel, TierCounts>;

export interface HealthCounts {
  unplanned: ChannelTierCounts;
  behind: ChannelTierCounts;
  ahead: ChannelTierCounts;
  /** Accounts outside the market with open touches, per channel (they have no tier). */
  outOfMarket: Record<TChannel, number>;
}

export function emptyHealthCounts(): HealthCounts {
  const byTier = (): ChannelTierCounts => ({ call: { A: 0, B: 0, C: 0 }, visit: { A: 0, B: 0, C: 0 } });
  return { unplanned: byTier(), behind: byTier(), ahead: byTier(), outOfMarket: { call: 0, visit: 0 } };
}

/** One listed account and channel. */
export interface HealthEntry {
  id: string;
  name: string;
  tier: TTier | null;
  city: string | null;
  channel: TChannel;
  reason: HealthReason;
  nextDue: LocalDate;
}

/** The listing order: tier A first (no tier last), then reason, channel (calls first), account id. */
export function compareHealthEntries(a: HealthEntry, b: HealthEntry): number {
  const tier = (t: TTier | null) => (t === null ? TIERS.length : TIERS.indexOf(t));
  return (
    tier(a.tier) - tier(b.tier) ||
    HEALTH_REASONS.indexOf(a.reason) - HEALTH_REASONS.indexOf(b.reason) ||
    CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** An account with its facts on both channels. */
export interface HealthAccount {
  id: string;
  name: string;
  tier: TTier | null;
  city: string | null;
  lastOn: Partial<Record<TChannel, LocalDate>>;
  open: Partial<Record<TChannel, readonly LocalDate[]>>;
}

export interface HealthSummary {
  counts: HealthCounts;
  /** Accounts with at least one finding, each counted once. */
  affected: number;
  /** The first HEALTH_LIST_LIMIT findings in compareHealthEntries order. */
  entries: HealthEntry[];
}

/** The health of a set of accounts against the plan in force (see channelHealth). */
export function planHealth(
  accounts: readonly HealthAccount[],
  cadence: CadenceTable,
  plan: HealthPlan,
  today: LocalDate,
): HealthSummary {
  const counts = emptyHealthCounts();
  const entries: HealthEntry[] = [];
  let affected = 0;
  for (const account of accounts) {
    let hit = false;
    for (const channel of CHANNELS) {
      const findings = channelHealth(
        {
          tier: account.tier,
          channel,
          lastOn: account.lastOn[channel] ?? null,
          open: account.open[channel] ?? [],
        },
        cadence,
        plan,
        today,
      );
      for (const f of findings) {
        hit = true;
        if (f.reason === 'outOfMarket' || account.tier === null) counts.outOfMarket[channel]++;
        else counts[f.reason][channel][account.tier]++;
        entries.push({
          id: account.id,
          name: account.name,
          tier: account.tier,
          city: account.city,
          channel,
          reason: f.reason,
          nextDue: f.nextDue,
        });
      }
    }
    if (hit) affected++;
  }
  entries.sort(compareHealthEntries);
  return { counts, affected, entries: entries.slice(0, HEALTH_LIST_LIMIT) };
}
