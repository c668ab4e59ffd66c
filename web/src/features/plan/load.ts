import type { TChannel } from '../../../../src/schemas/common.ts';
import type { TPlanResult } from '../../../../src/schemas/plan-api.ts';

export const CHANNELS = ['call', 'visit'] as const satisfies readonly TChannel[];
export const TIERS = ['A', 'B', 'C'] as const;

/** Load against capacity: comfortable, tight (above 85%) or over. */
export type LoadLevel = 'ok' | 'tight' | 'over';

export function loadLevel(utilization: number): LoadLevel {
  if (!Number.isFinite(utilization) || utilization > 1) return 'over';
  return utilization > 0.85 ? 'tight' : 'ok';
}

export const LEVEL_COLOR: Record<LoadLevel, string> = { ok: 'teal.7', tight: 'yellow.6', over: 'red.7' };

/** Utilization from a load and a capacity (no capacity but some load is infinitely over). */
export function utilization(perWorkingDay: number, perDay: number): number {
  if (perDay <= 0) return perWorkingDay > 0 ? Number.POSITIVE_INFINITY : 0;
  return perWorkingDay / perDay;
}

/** A plan's load on a channel against its capacity; the API's null (no capacity but some load) is infinitely over. */
export function planUtilization(plan: Pick<TPlanResult, 'utilization'>, channel: TChannel): number {
  const used = plan.utilization[channel];
  return used === null ? Number.POSITIVE_INFINITY : (used ?? 0);
}

/**
 * A per-week figure of the capacity check as shown: the plan's total over its weeks, an average (holidays make a
 * week's working days, so its capacity, vary: 4 visits a day is 19.9 a week on average, not a count anyone has).
 * Whole from 10 up (199.5 → 200, 19.9 → 20), one decimal below, where a fraction still says something (0.8).
 */
export function weeklyAverage(value: number | null | undefined): number | null | undefined {
  if (value == null || !Number.isFinite(value)) return value;
  return Math.abs(value) >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
}
