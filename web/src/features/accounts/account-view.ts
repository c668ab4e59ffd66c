import type { TPipelineStage } from '../../../../src/schemas/common.ts';
import type { AccountListParams, AccountSort, SortOrder, TierFilter } from '../../api/accounts.ts';
import { DRILL_PARAMS, type DrillFilters, hasDrill, parseDrill, writeDrill } from './drill-filters.ts';

// Records (rather than arrays) make the compiler reject a missing or unknown value when the schemas change.
const TIER_FILTER_SET: Record<TierFilter, true> = { A: true, B: true, C: true, none: true };
const STAGE_SET: Record<TPipelineStage, true> = {
  prospect: true,
  contacted: true,
  meeting: true,
  proposal: true,
  won: true,
  lost: true,
  dormant: true,
};
const SORT_SET: Record<AccountSort, true> = {
  name: true,
  annualSales: true,
  employees: true,
  netAssets: true,
  tier: true,
  province: true,
  city: true,
  stage: true,
  createdAt: true,
  updatedAt: true,
};

export const TIER_FILTERS = Object.keys(TIER_FILTER_SET) as TierFilter[];
export const STAGES = Object.keys(STAGE_SET) as TPipelineStage[];
export const PAGE_SIZES = [25, 50, 100] as const;

/** Columns where the biggest value is the interesting one, so the first click sorts descending. */
const DESCENDING_FIRST: ReadonlySet<AccountSort> = new Set([
  'annualSales',
  'employees',
  'netAssets',
  'updatedAt',
  'createdAt',
]);

/** Everything the Accounts page shows, as kept in the URL query string. */
export interface AccountView {
  search: string;
  tier: TierFilter[];
  inMarket: boolean | null;
  province: string | null;
  city: string | null;
  industry: string | null;
  stage: TPipelineStage[];
  /** Accounts supplied by one import source (the import result links here). */
  source: string | null;
  /** Drill-downs from the dashboard (owner, overdue, coverage, touches, objections, plan): drill-filters.ts. */
  drill: DrillFilters;
  sort: AccountSort;
  order: SortOrder;
  page: number;
  pageSize: number;
}

export const DEFAULT_VIEW: AccountView = {
  search: '',
  tier: [],
  inMarket: null,
  province: null,
  city: null,
  industry: null,
  stage: [],
  source: null,
  drill: {},
  // The method's order of work: the largest accounts first.
  sort: 'annualSales',
  order: 'desc',
  page: 1,
  pageSize: 50,
};

/** The query-string parameters this view owns; others (such as `account`) are left alone. */
const VIEW_PARAMS = [
  'search',
  'tier',
  'inMarket',
  'province',
  'city',
  'industry',
  'stage',
  'source',
  'sort',
  'order',
  'page',
  'pageSize',
  ...DRILL_PARAMS,
] as const;

function list<T extends string>(raw: string | null, allowed: Record<T, true>): T[] {
  if (!raw) return [];
  const values = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is T => Object.hasOwn(allowed, s));
  return [...new Set(values)];
}

function positiveInt(raw: string | null, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = raw == null ? Number.NaN : Number(raw);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : fallback;
}

function text(raw: string | null): string | null {
  const value = raw?.trim();
  return value ? value : null;
}

/** Reads a view from the URL, ignoring values it does not understand (a hand-edited or stale link). */
export function parseView(params: URLSearchParams): AccountView {
  const sort = params.get('sort');
  const order = params.get('order');
  const inMarket = params.get('inMarket');
  const pageSize = positiveInt(params.get('pageSize'), DEFAULT_VIEW.pageSize);
  return {
    search: params.get('search')?.trim() ?? '',
    tier: list(params.get('tier'), TIER_FILTER_SET),
    inMarket: inMarket === 'true' ? true : inMarket === 'false' ? false : null,
    province: text(params.get('province')),
    city: text(params.get('city')),
    industry: text(params.get('industry')),
    stage: list(params.get('stage'), STAGE_SET),
    source: text(params.get('source')),
    drill: parseDrill(params),
    sort: sort && Object.hasOwn(SORT_SET, sort) ? (sort as AccountSort) : DEFAULT_VIEW.sort,
    order: order === 'asc' || order === 'desc' ? order : DEFAULT_VIEW.order,
    page: positiveInt(params.get('page'), 1),
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_VIEW.pageSize,
  };
}

/** Writes a view into a copy of `base`, leaving out defaults so shared links stay short. */
export function writeView(view: AccountView, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of VIEW_PARAMS) params.delete(key);
  if (view.search) params.set('search', view.search);
  if (view.tier.length) params.set('tier', view.tier.join(','));
  if (view.inMarket != null) params.set('inMarket', String(view.inMarket));
  if (view.province) params.set('province', view.province);
  if (view.city) params.set('city', view.city);
  if (view.industry) params.set('industry', view.industry);
  if (view.stage.length) params.set('stage', view.stage.join(','));
  if (view.source) params.set('source', view.source);
  writeDrill(view.drill, params);
  if (view.sort !== DEFAULT_VIEW.sort || view.order !== DEFAULT_VIEW.order) {
    params.set('sort', view.sort);
    params.set('order', view.order);
  }
  if (view.page !== 1) params.set('page', String(view.page));
  if (view.pageSize !== DEFAULT_VIEW.pageSize) params.set('pageSize', String(view.pageSize));
  return params;
}

/** The filters that narrow the list (not sort or paging). */
export function hasFilters(view: AccountView): boolean {
  return Boolean(
    view.search ||
      view.tier.length ||
      view.inMarket != null ||
      view.province ||
      view.city ||
      view.industry ||
      view.stage.length ||
      view.source ||
      hasDrill(view.drill),
  );
}

/** How many filters other than the search box are set (shown on the phone's "more filters" button). */
export function countChoiceFilters(view: AccountView): number {
  return (
    (view.tier.length ? 1 : 0) +
    (view.stage.length ? 1 : 0) +
    (view.inMarket != null ? 1 : 0) +
    (view.province ? 1 : 0) +
    (view.city ? 1 : 0) +
    (view.industry ? 1 : 0) +
    (view.source ? 1 : 0) +
    (view.drill.ownerId || view.drill.unassigned ? 1 : 0) +
    (view.drill.overdue !== undefined ? 1 : 0)
  );
}

/** Applies a change; any change other than the page itself starts again from page 1. */
export function updateView(view: AccountView, change: Partial<AccountView>): AccountView {
  const next = { ...view, ...change };
  if (!('page' in change)) next.page = 1;
  return next;
}

export function clearFilters(view: AccountView): AccountView {
  return { ...DEFAULT_VIEW, sort: view.sort, order: view.order, pageSize: view.pageSize };
}

/** Clicking a column header: the same column flips the order, another column starts in its natural order. */
export function toggleSort(view: AccountView, column: AccountSort): AccountView {
  if (view.sort === column) return updateView(view, { order: view.order === 'asc' ? 'desc' : 'asc' });
  return updateView(view, { sort: column, order: DESCENDING_FIRST.has(column) ? 'desc' : 'asc' });
}

/** The API request for a view. */
export function toListParams(view: AccountView): AccountListParams {
  return {
    page: view.page,
    pageSize: view.pageSize,
    search: view.search || undefined,
    tier: view.tier.length ? view.tier : undefined,
    inMarket: view.inMarket ?? undefined,
    province: view.province ? [view.province] : undefined,
    city: view.city ? [view.city] : undefined,
    industry: view.industry ? [view.industry] : undefined,
    stage: view.stage.length ? view.stage : undefined,
    sourceId: view.source ?? undefined,
    ...view.drill,
    sort: view.sort,
    order: view.order,
  };
}
