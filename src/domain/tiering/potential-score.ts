import type { TPotentialStatistic, TTieringSettings } from '../../schemas/tiering.ts';
import { ZTieringSettings } from '../../schemas/tiering.ts';
import { employeesLowerBound } from '../market/market-criteria.ts';

/** The account fields scoring and tiering read (storage field names). */
export interface TieringAccount {
  id: string;
  annualSales: number | null;
  netAssets: number | null;
  employeesMin: number | null;
  employeesMax: number | null;
  tierOverride: 'A' | 'B' | 'C' | null;
}

/** Method §2 defaults: rank cut 20/30/50, score = annual sales, else net assets, else employees. */
export const DEFAULT_TIERING_SETTINGS: TTieringSettings = ZTieringSettings.parse({});

const finite = (value: number | null): number | null =>
  value != null && Number.isFinite(value) ? value : null;

/** The statistics of an account a score is made of. */
export type ScoredStatistics = Pick<
  TieringAccount,
  'annualSales' | 'netAssets' | 'employeesMin' | 'employeesMax'
>;

/** One statistic of an account in sales-equivalent yuan, or null when the account lacks it. */
export function salesEquivalent(
  account: ScoredStatistics,
  statistic: TPotentialStatistic,
  factors: TTieringSettings['factors'],
): number | null {
  switch (statistic) {
    case 'annualSales':
      return finite(account.annualSales);
    case 'netAssets': {
      const value = finite(account.netAssets);
      return value === null ? null : value * factors.netAssets;
    }
    case 'employees': {
      const value = finite(employeesLowerBound(account));
      return value === null ? null : value * factors.employees;
    }
  }
}

const STATISTICS: readonly TPotentialStatistic[] = ['annualSales', 'netAssets', 'employees'];

/**
 * Purchasing-potential score in sales-equivalent yuan: the weighted mean of the account's weighted statistics
 * (each converted with settings.factors); when it has none of them, the first known statistic in
 * settings.fallbackOrder; null when it has no statistic at all.
 */
export function potentialScore(
  account: TieringAccount,
  settings: TTieringSettings = DEFAULT_TIERING_SETTINGS,
): number | null {
  let sum = 0;
  let weight = 0;
  for (const statistic of STATISTICS) {
    const w = settings.weights[statistic];
    if (w <= 0) continue;
    const value = salesEquivalent(account, statistic, settings.factors);
    if (value === null) continue;
    sum += w * value;
    weight += w;
  }
  if (weight > 0) return sum / weight;
  for (const statistic of settings.fallbackOrder) {
    const value = salesEquivalent(account, statistic, settings.factors);
    if (value !== null) return value;
  }
  return null;
}

/**
 * The statistics `potentialScore` makes this account's score of, in its order: the weighted ones the account has,
 * or, when it has none of them, the fallback it took; none when it has no statistic (no score). What a score shown
 * is based on: 1.78亿 is annual sales, or net assets or employees turned into sales-equivalent yuan.
 */
export function scoreStatistics(
  account: ScoredStatistics,
  settings: TTieringSettings = DEFAULT_TIERING_SETTINGS,
): TPotentialStatistic[] {
  const known = (statistic: TPotentialStatistic) =>
    salesEquivalent(account, statistic, settings.factors) !== null;
  const weighted = STATISTICS.filter((statistic) => settings.weights[statistic] > 0 && known(statistic));
  if (weighted.length > 0) return weighted;
  const fallback = settings.fallbackOrder.find(known);
  return fallback ? [fallback] : [];
}

/** Factors measured on the accounts that have both statistics (medians), to replace the defaults. */
export interface CalibratedFactors {
  netAssets: number | null;
  employees: number | null;
  samples: { netAssets: number; employees: number };
}

function median(values: Float64Array): number | null {
  if (values.length === 0) return null;
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/**
 * Median annual sales per yuan of net assets and per employee (lower bound) over accounts that have both,
 * null when fewer than `minSamples` accounts do. A manager can store these as settings.factors.
 */
export function calibrateFactors(accounts: Iterable<TieringAccount>, minSamples = 30): CalibratedFactors {
  const perAsset: number[] = [];
  const perEmployee: number[] = [];
  for (const account of accounts) {
    const sales = finite(account.annualSales);
    if (sales === null || sales <= 0) continue;
    const assets = finite(account.netAssets);
    if (assets !== null && assets > 0) perAsset.push(sales / assets);
    const employees = employeesLowerBound(account);
    if (employees !== null && employees > 0) perEmployee.push(sales / employees);
  }
  return {
    netAssets: perAsset.length >= minSamples ? median(Float64Array.from(perAsset)) : null,
    employees: perEmployee.length >= minSamples ? median(Float64Array.from(perEmployee)) : null,
    samples: { netAssets: perAsset.length, employees: perEmployee.length },
  };
}
