import type { TCadenceRule } from '../../schemas/cadence.ts';
import type { TChannel, TTier } from '../../schemas/common.ts';

/** Planning treats a month as 365/12 days, so twelve of them are exactly a (non-leap) year. */
export const DAYS_PER_MONTH = 365 / 12;

export const TIERS: readonly TTier[] = ['A', 'B', 'C'];
export const CHANNELS: readonly TChannel[] = ['call', 'visit'];

/** Method §3: A call monthly, visit quarterly; B call quarterly, visit half-yearly; C call half-yearly, visit yearly. */
export const DEFAULT_CADENCE: readonly TCadenceRule[] = [
  { tier: 'A', channel: 'call', intervalMonths: 1 },
  { tier: 'A', channel: 'visit', intervalMonths: 3 },
  { tier: 'B', channel: 'call', intervalMonths: 3 },
  { tier: 'B', channel: 'visit', intervalMonths: 6 },
  { tier: 'C', channel: 'call', intervalMonths: 6 },
  { tier: 'C', channel: 'visit', intervalMonths: 12 },
];

/** Interval in months per tier and channel; null means no planned touches on that channel. */
export type CadenceTable = Record<TTier, Record<TChannel, number | null>>;

/** The effective table: `rules` over DEFAULT_CADENCE (a tier/channel without a rule keeps its default). */
export function resolveCadence(rules: readonly TCadenceRule[] = []): CadenceTable {
  const table: CadenceTable = {
    A: { call: null, visit: null },
    B: { call: null, visit: null },
    C: { call: null, visit: null },
  };
  for (const rule of DEFAULT_CADENCE) table[rule.tier][rule.channel] = rule.intervalMonths;
  for (const rule of rules) table[rule.tier][rule.channel] = rule.intervalMonths;
  return table;
}

/** The cadence table from rules (merged over the defaults), a resolved table, or nothing (the defaults). */
export function toCadenceTable(cadence?: readonly TCadenceRule[] | CadenceTable): CadenceTable {
  if (cadence === undefined || Array.isArray(cadence))
    return resolveCadence(cadence as readonly TCadenceRule[]);
  return cadence as CadenceTable;
}

/** The table as a list of six rules, for storage and display. */
export function cadenceRules(table: CadenceTable): TCadenceRule[] {
  return TIERS.flatMap((tier) =>
    CHANNELS.map((channel) => ({ tier, channel, intervalMonths: table[tier][channel] })),
  );
}

/** An interval in months as planning days (DAYS_PER_MONTH each). */
export function intervalDays(intervalMonths: number): number {
  return intervalMonths * DAYS_PER_MONTH;
}

/** Touches per year at an interval: 12 / months (0 for null). */
export function touchesPerYear(intervalMonths: number | null): number {
  return intervalMonths ? 12 / intervalMonths : 0;
}
