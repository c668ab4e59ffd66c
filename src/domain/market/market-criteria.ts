import type { TMarketCriteria } from '../../schemas/market.ts';
import { splitPlace } from './normalize-place.ts';

/** The account fields market criteria read (storage field names). */
export interface MarketAccount {
  id: string;
  province: string | null;
  city: string | null;
  district: string | null;
  industry: string | null;
  annualSales: number | null;
  employeesMin: number | null;
  employeesMax: number | null;
  netAssets: number | null;
  sourceIds: readonly string[];
  territoryId: string | null;
}

/** The lower bound of an account's employee range: employeesMin, or 0 for an "under N" band; null when unknown. */
export function employeesLowerBound(
  account: Pick<MarketAccount, 'employeesMin' | 'employeesMax'>,
): number | null {
  if (account.employeesMin != null) return account.employeesMin;
  return account.employeesMax != null ? 0 : null;
}

type PlaceSet = Map<string, Set<string>>;

function placeSet(names: readonly string[] | undefined): PlaceSet | null {
  if (!names || names.length === 0) return null;
  const set: PlaceSet = new Map();
  for (const name of names) {
    const { base, suffix } = splitPlace(name);
    let kinds = set.get(base);
    if (!kinds) {
      kinds = new Set();
      set.set(base, kinds);
    }
    kinds.add(suffix);
  }
  return set;
}

function placeMatches(set: PlaceSet, name: string | null): boolean {
  if (name == null || name === '') return false;
  const { base, suffix } = splitPlace(name);
  const kinds = set.get(base);
  if (!kinds) return false;
  // A name without suffix matches any suffix kind of the same base, and vice versa.
  return suffix === '' || kinds.has('') || kinds.has(suffix);
}

const foldText = (s: string) => s.normalize('NFKC').trim().toLowerCase();

function inRange(value: number | null, min: number | undefined, max: number | undefined): boolean {
  if (min === undefined && max === undefined) return true;
  // A missing statistic cannot show that the company meets a bound on it.
  if (value == null) return false;
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/** A compiled test for one set of criteria; use it to classify many accounts fast. */
export type MarketPredicate = (account: MarketAccount) => boolean;

/**
 * Compiles criteria into a predicate. All present criteria must hold; an empty list does not constrain.
 * Employee bounds (min and max) compare with the lower bound of the account's range, so "100-499" meets
 * minEmployees 100 and maxEmployees 200. A missing statistic fails any bound on that statistic.
 */
export function compileMarketCriteria(criteria: TMarketCriteria): MarketPredicate {
  const provinces = placeSet(criteria.provinces);
  const cities = placeSet(criteria.cities);
  const districts = placeSet(criteria.districts);
  const industries = criteria.industries?.length ? new Set(criteria.industries.map(foldText)) : null;
  const sources = criteria.sourceIds?.length ? new Set(criteria.sourceIds) : null;
  const { territoryId } = criteria;
  return (account) =>
    (territoryId === undefined || account.territoryId === territoryId) &&
    inRange(account.annualSales, criteria.minAnnualSales, criteria.maxAnnualSales) &&
    inRange(employeesLowerBound(account), criteria.minEmployees, criteria.maxEmployees) &&
    inRange(account.netAssets, criteria.minNetAssets, criteria.maxNetAssets) &&
    (provinces === null || placeMatches(provinces, account.province)) &&
    (cities === null || placeMatches(cities, account.city)) &&
    (districts === null || placeMatches(districts, account.district)) &&
    (industries === null || (account.industry != null && industries.has(foldText(account.industry)))) &&
    (sources === null || account.sourceIds.some((id) => sources.has(id)));
}

/** The account fields a criterion can read: compileMarketCriteria's predicate reads no others. */
export type MarketField = keyof Omit<MarketAccount, 'id'>;

/**
 * The fields compileMarketCriteria(criteria)'s predicate reads: a criterion that is absent (or an empty list) does
 * not look at its field, so a caller may leave those unread (null) when it loads many accounts to classify.
 */
export function marketCriteriaFields(criteria: TMarketCriteria): Set<MarketField> {
  const fields = new Set<MarketField>();
  const bounded = (min: number | undefined, max: number | undefined) =>
    min !== undefined || max !== undefined;
  if (criteria.territoryId !== undefined) fields.add('territoryId');
  if (bounded(criteria.minAnnualSales, criteria.maxAnnualSales)) fields.add('annualSales');
  if (bounded(criteria.minEmployees, criteria.maxEmployees)) {
    fields.add('employeesMin');
    fields.add('employeesMax');
  }
  if (bounded(criteria.minNetAssets, criteria.maxNetAssets)) fields.add('netAssets');
  if (criteria.provinces?.length) fields.add('province');
  if (criteria.cities?.length) fields.add('city');
  if (criteria.districts?.length) fields.add('district');
  if (criteria.industries?.length) fields.add('industry');
  if (criteria.sourceIds?.length) fields.add('sourceIds');
  return fields;
}

const compiled = new WeakMap<TMarketCriteria, MarketPredicate>();

/** True when the account meets every criterion (see compileMarketCriteria); caches the compiled criteria. */
export function isInMarket(account: MarketAccount, criteria: TMarketCriteria): boolean {
  let predicate = compiled.get(criteria);
  if (!predicate) {
    predicate = compileMarketCriteria(criteria);
    compiled.set(criteria, predicate);
  }
  return predicate(account);
}

/** A criterion by name, as reported by diffCriteria. */
export type CriterionName = keyof TMarketCriteria;

/** Which criteria a change relaxes (can admit new accounts) and which it tightens (can drop accounts). */
export interface CriteriaDiff {
  widened: CriterionName[];
  narrowed: CriterionName[];
}

type Bound =
  | 'minAnnualSales'
  | 'minEmployees'
  | 'minNetAssets'
  | 'maxAnnualSales'
  | 'maxEmployees'
  | 'maxNetAssets';
const MIN_BOUNDS: readonly Bound[] = ['minAnnualSales', 'minEmployees', 'minNetAssets'];
const MAX_BOUNDS: readonly Bound[] = ['maxAnnualSales', 'maxEmployees', 'maxNetAssets'];
type ListName = 'provinces' | 'cities' | 'districts' | 'industries' | 'sourceIds';

function listKeys(name: ListName, values: readonly string[] | undefined): Set<string> | null {
  if (!values || values.length === 0) return null;
  if (name === 'industries') return new Set(values.map(foldText));
  if (name === 'sourceIds') return new Set(values);
  return new Set(values.map((v) => splitPlace(v).base));
}

/** Compares two criteria dimension by dimension; each dimension is judged on its own. */
export function diffCriteria(before: TMarketCriteria, after: TMarketCriteria): CriteriaDiff {
  const widened: CriterionName[] = [];
  const narrowed: CriterionName[] = [];
  for (const key of MIN_BOUNDS) {
    const a = before[key];
    const b = after[key];
    if (a !== undefined && (b === undefined || b < a)) widened.push(key);
    if (b !== undefined && (a === undefined || b > a)) narrowed.push(key);
  }
  for (const key of MAX_BOUNDS) {
    const a = before[key];
    const b = after[key];
    if (a !== undefined && (b === undefined || b > a)) widened.push(key);
    if (b !== undefined && (a === undefined || b < a)) narrowed.push(key);
  }
  for (const key of ['provinces', 'cities', 'districts', 'industries', 'sourceIds'] as const) {
    const a = listKeys(key, before[key]);
    const b = listKeys(key, after[key]);
    if (a !== null && (b === null || [...b].some((v) => !a.has(v)))) widened.push(key);
    if (b !== null && (a === null || [...a].some((v) => !b.has(v)))) narrowed.push(key);
  }
  if (before.territoryId !== after.territoryId) {
    if (before.territoryId !== undefined) widened.push('territoryId');
    if (after.territoryId !== undefined) narrowed.push('territoryId');
  }
  return { widened, narrowed };
}

/**
 * True when the new criteria could admit an account the old ones exclude: some criterion was relaxed
 * (a lower minimum, a higher maximum, more places, industries or sources, a removed constraint), even if
 * others were tightened at the same time. Saving such a change is the explicit "widen the market" step.
 */
export function isWidening(before: TMarketCriteria, after: TMarketCriteria): boolean {
  return diffCriteria(before, after).widened.length > 0;
}

/** Count of matching accounts for one place. */
export interface PlaceCount {
  province: string | null;
  count: number;
}
export interface CityCount extends PlaceCount {
  city: string | null;
}

/** A value of the criteria's place or industry lists (see unknownValueTracker). */
export interface CriterionValue {
  field: 'provinces' | 'cities' | 'districts' | 'industries';
  value: string;
}

/**
 * Finds the values of the criteria's province, city, district and industry lists that no account has at all (a
 * typo, or `--provinces Jiangsu` before English province names were known): fed every account with `visit`,
 * `unknown()` lists them in the criteria's order. Values compare as matching compares them (suffixes optional,
 * English province names as their Chinese name, industries case-insensitive), so each listed value alone matches
 * nothing.
 */
export function unknownValueTracker(criteria: TMarketCriteria): {
  visit: (account: MarketAccount) => void;
  unknown: () => CriterionValue[];
} {
  interface Wanted extends CriterionValue {
    seen: boolean;
    suffix: string;
  }
  const all: Wanted[] = [];
  const byBase = (field: 'provinces' | 'cities' | 'districts') => {
    const map = new Map<string, Wanted[]>();
    for (const value of criteria[field] ?? []) {
      const { base, suffix } = splitPlace(value);
      const wanted: Wanted = { field, value, seen: false, suffix };
      all.push(wanted);
      map.set(base, [...(map.get(base) ?? []), wanted]);
    }
    return map;
  };
  const places = {
    province: byBase('provinces'),
    city: byBase('cities'),
    district: byBase('districts'),
  } as const;
  const industries = new Map<string, Wanted[]>();
  for (const value of criteria.industries ?? []) {
    const wanted: Wanted = { field: 'industries', value, seen: false, suffix: '' };
    all.push(wanted);
    industries.set(foldText(value), [...(industries.get(foldText(value)) ?? []), wanted]);
  }
  let open = all.length;
  const mark = (list: Wanted[] | undefined, suffix: string | null) => {
    for (const wanted of list ?? []) {
      if (wanted.seen) continue;
      if (suffix !== null && suffix !== '' && wanted.suffix !== '' && wanted.suffix !== suffix) continue;
      wanted.seen = true;
      open--;
    }
  };
  return {
    visit(account) {
      if (open === 0) return;
      for (const column of ['province', 'city', 'district'] as const) {
        const map = places[column];
        const name = account[column];
        if (map.size === 0 || !name) continue;
        const { base, suffix } = splitPlace(name);
        mark(map.get(base), suffix);
      }
      if (industries.size > 0 && account.industry) mark(industries.get(foldText(account.industry)), null);
    },
    unknown: () => all.filter((w) => !w.seen).map(({ field, value }) => ({ field, value })),
  };
}

/** Preview of a market definition: how many accounts match, how many already have a touch, where they are. */
export interface MatchSummary {
  total: number;
  matching: number;
  /** Matching accounts with at least one logged touch (only when touchedAccountIds was given). */
  withRelationship: number | null;
  /** By province, most accounts first; spellings of one place are merged under its longest spelling. */
  byProvince: PlaceCount[];
  byCity: CityCount[];
}

interface Group {
  label: string | null;
  province: string | null;
  count: number;
}

function bump(groups: Map<string, Group>, key: string, label: string | null, province: string | null) {
  const group = groups.get(key);
  if (!group) {
    groups.set(key, { label, province, count: 1 });
    return;
  }
  group.count++;
  if (label !== null && (group.label === null || label.length > group.label.length)) group.label = label;
}

const byCountThenName = (a: Group, b: Group) =>
  b.count - a.count || (a.label ?? '\uffff').localeCompare(b.label ?? '\uffff', 'zh');

/** Counts the accounts matching `criteria`, with a breakdown by province and city, for the market editor. */
export function summarizeMatch<A extends MarketAccount>(
  accounts: Iterable<A>,
  criteria: TMarketCriteria,
  touchedAccountIds?: ReadonlySet<string>,
  /** Called with every account and whether it matches, in the same pass. */
  visit?: (account: A, matched: boolean) => void,
): MatchSummary {
  const matches = compileMarketCriteria(criteria);
  const provinces = new Map<string, Group>();
  const cities = new Map<string, Group>();
  let total = 0;
  let matching = 0;
  let withRelationship = 0;
  for (const account of accounts) {
    total++;
    const matched = matches(account);
    visit?.(account, matched);
    if (!matched) continue;
    matching++;
    if (touchedAccountIds?.has(account.id)) withRelationship++;
    const provinceKey = account.province ? splitPlace(account.province).base : '';
    const cityKey = `${provinceKey}|${account.city ? splitPlace(account.city).base : ''}`;
    bump(provinces, provinceKey, account.province || null, null);
    bump(cities, cityKey, account.city || null, account.province || null);
  }
  const provinceLabel = (key: string) => provinces.get(key)?.label ?? null;
  return {
    total,
    matching,
    withRelationship: touchedAccountIds ? withRelationship : null,
    byProvince: [...provinces.values()]
      .sort(byCountThenName)
      .map((g) => ({ province: g.label, count: g.count })),
    byCity: [...cities.entries()]
      .map(([key, g]) => ({ key, g }))
      .sort((x, y) => byCountThenName(x.g, y.g))
      .map(({ key, g }) => ({
        province: provinceLabel(key.slice(0, key.indexOf('|'))),
        city: g.label,
        count: g.count,
      })),
  };
}
