import type { TMarketCriteria } from '../../../../src/schemas/market.ts';
import type { Language } from '../../i18n/languages.ts';

/** The market editor's form: every criterion, empty meaning "any". */
export interface CriteriaDraft {
  minAnnualSales: number | null;
  maxAnnualSales: number | null;
  minEmployees: number | null;
  maxEmployees: number | null;
  minNetAssets: number | null;
  maxNetAssets: number | null;
  provinces: string[];
  cities: string[];
  districts: string[];
  industries: string[];
  /** Kept as saved: the web has no source picker until the import issue lists sources. */
  sourceIds: string[];
  territoryId: string | null;
}

export const EMPTY_DRAFT: CriteriaDraft = {
  minAnnualSales: null,
  maxAnnualSales: null,
  minEmployees: null,
  maxEmployees: null,
  minNetAssets: null,
  maxNetAssets: null,
  provinces: [],
  cities: [],
  districts: [],
  industries: [],
  sourceIds: [],
  territoryId: null,
};

export const RANGES = ['annualSales', 'employees', 'netAssets'] as const;
export type RangeName = (typeof RANGES)[number];
const BOUND_KEYS = {
  annualSales: ['minAnnualSales', 'maxAnnualSales'],
  employees: ['minEmployees', 'maxEmployees'],
  netAssets: ['minNetAssets', 'maxNetAssets'],
} as const satisfies Record<RangeName, readonly [keyof CriteriaDraft, keyof CriteriaDraft]>;

export const LISTS = ['provinces', 'cities', 'districts', 'industries', 'sourceIds'] as const;

export function draftFromCriteria(criteria: TMarketCriteria | null | undefined): CriteriaDraft {
  if (!criteria) return EMPTY_DRAFT;
  return {
    minAnnualSales: criteria.minAnnualSales ?? null,
    maxAnnualSales: criteria.maxAnnualSales ?? null,
    minEmployees: criteria.minEmployees ?? null,
    maxEmployees: criteria.maxEmployees ?? null,
    minNetAssets: criteria.minNetAssets ?? null,
    maxNetAssets: criteria.maxNetAssets ?? null,
    provinces: criteria.provinces ?? [],
    cities: criteria.cities ?? [],
    districts: criteria.districts ?? [],
    industries: criteria.industries ?? [],
    sourceIds: criteria.sourceIds ?? [],
    territoryId: criteria.territoryId ?? null,
  };
}

/**
 * The criteria the API takes: empty criteria left out, lists trimmed, de-duplicated and sorted, keys in a
 * fixed order, so equal drafts give equal criteria (and one cached preview).
 */
export function criteriaFromDraft(draft: CriteriaDraft): TMarketCriteria {
  const criteria: TMarketCriteria = {};
  for (const range of RANGES) {
    for (const key of BOUND_KEYS[range]) {
      const value = draft[key] as number | null;
      if (value != null && Number.isFinite(value)) criteria[key] = value;
    }
  }
  for (const list of LISTS) {
    const values = [...new Set(draft[list].map((v) => v.trim()).filter(Boolean))].sort();
    if (values.length) criteria[list] = values;
  }
  if (draft.territoryId) criteria.territoryId = draft.territoryId;
  return criteria;
}

export function sameCriteria(a: TMarketCriteria, b: TMarketCriteria): boolean {
  return (
    JSON.stringify(criteriaFromDraft(draftFromCriteria(a))) ===
    JSON.stringify(criteriaFromDraft(draftFromCriteria(b)))
  );
}

/** Ranges whose minimum is above their maximum: nothing could match them. */
export function invertedRanges(draft: CriteriaDraft): RangeName[] {
  return RANGES.filter((range) => {
    const [minKey, maxKey] = BOUND_KEYS[range];
    const min = draft[minKey] as number | null;
    const max = draft[maxKey] as number | null;
    return min != null && max != null && min > max;
  });
}

export function boundKeys(range: RangeName) {
  return BOUND_KEYS[range];
}

/** Keeps only the cities that lie in the chosen provinces (all of them when no province is chosen). */
export function citiesWithin(
  cities: readonly string[],
  provinces: readonly string[],
  provinceOf: (city: string) => string | null | undefined,
): string[] {
  if (provinces.length === 0) return [...cities];
  return cities.filter((city) => {
    const province = provinceOf(city);
    return province == null || provinces.includes(province);
  });
}

/** A money unit the amount inputs offer: 万 and 亿 in Chinese, thousands to billions in English. */
export type MoneyUnitKey = 'wan' | 'yi' | 'thousand' | 'million' | 'billion';
export interface MoneyUnit {
  key: MoneyUnitKey;
  size: number;
}

export const MONEY_UNITS: Record<Language, readonly MoneyUnit[]> = {
  'zh-CN': [
    { key: 'wan', size: 1e4 },
    { key: 'yi', size: 1e8 },
  ],
  en: [
    { key: 'thousand', size: 1e3 },
    { key: 'million', size: 1e6 },
    { key: 'billion', size: 1e9 },
  ],
};

/** The largest unit in which the amount is at least 1 (3000万 rather than 0.3亿), else the smallest. */
export function bestUnit(yuan: number | null, language: Language): MoneyUnit {
  const units = MONEY_UNITS[language];
  const smallest = units[0] as MoneyUnit;
  if (yuan == null || yuan === 0) return smallest;
  let best = smallest;
  for (const unit of units) if (Math.abs(yuan) >= unit.size) best = unit;
  return best;
}

/** Amount in a unit, without float noise (0.3 × 1e8 = 30000000.000000004). */
export function toYuan(amount: number, unit: MoneyUnit): number {
  return Math.round(amount * unit.size);
}

export function fromYuan(yuan: number, unit: MoneyUnit): number {
  return Number((yuan / unit.size).toPrecision(12));
}
