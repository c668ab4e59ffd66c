import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  TAccount,
  TAccountFacets,
  TAccountListQuery,
  TAccountPage,
} from '../../../src/schemas/account.ts';
import { apiRequest, toQueryString } from './client.ts';

export type AccountSort = TAccountListQuery['sort'];
export type SortOrder = TAccountListQuery['order'];
export type TierFilter = NonNullable<TAccountListQuery['tier']>[number];

/** What the list endpoint accepts, as the web client sends it. */
export interface AccountListParams {
  page: number;
  pageSize: number;
  search?: string;
  tier?: TierFilter[];
  inMarket?: boolean;
  province?: string[];
  city?: string[];
  industry?: string[];
  stage?: TAccountListQuery['stage'];
  sourceId?: string;
  /** The dashboard's drill-downs (features/accounts/drill-filters.ts). */
  ownerId?: string;
  /** Only accounts nobody owns (the Owner filter's Unassigned). */
  unassigned?: boolean;
  overdue?: boolean;
  covered?: TAccountListQuery['covered'];
  uncovered?: TAccountListQuery['uncovered'];
  touchedFrom?: string;
  touchedTo?: string;
  objectionId?: string;
  plannedFrom?: string;
  plannedTo?: string;
  channel?: TAccountListQuery['channel'];
  byRep?: string;
  sort?: AccountSort;
  order?: SortOrder;
}

/** The download link of the accounts a list shows (all pages), as CSV or Excel with headers in `lang`. */
export function accountExportHref(
  params: Omit<AccountListParams, 'page' | 'pageSize'>,
  format: 'csv' | 'xlsx',
  lang: 'zh-CN' | 'en',
): string {
  return `/api/accounts/export${toQueryString({ ...params, format, lang })}`;
}

export function fetchAccounts(params: AccountListParams, signal?: AbortSignal): Promise<TAccountPage> {
  return apiRequest<TAccountPage>('/accounts', { query: { ...params }, signal });
}

export function fetchAccount(id: string, signal?: AbortSignal): Promise<TAccount> {
  return apiRequest<TAccount>(`/accounts/${encodeURIComponent(id)}`, { signal });
}

export function fetchAccountFacets(signal?: AbortSignal): Promise<TAccountFacets> {
  return apiRequest<TAccountFacets>('/accounts/facets', { signal });
}

export const accountKeys = {
  all: ['accounts'] as const,
  lists: () => [...accountKeys.all, 'list'] as const,
  list: (params: AccountListParams) => [...accountKeys.lists(), params] as const,
  detail: (id: string) => [...accountKeys.all, 'detail', id] as const,
  facets: () => [...accountKeys.all, 'facets'] as const,
};

/** One page of accounts; keeps showing the previous page while the next one loads. */
export function useAccounts(params: AccountListParams) {
  return useQuery({
    queryKey: accountKeys.list(params),
    queryFn: ({ signal }) => fetchAccounts(params, signal),
    placeholderData: keepPreviousData,
  });
}

/** One account; `initial` (a row already on screen) is shown while the full record loads. */
export function useAccount(id: string | null, initial?: TAccount) {
  return useQuery({
    queryKey: accountKeys.detail(id ?? ''),
    queryFn: ({ signal }) => fetchAccount(id as string, signal),
    enabled: id != null,
    placeholderData: initial && initial.id === id ? initial : undefined,
  });
}

/** Provinces, cities and industries with counts, for the filter selects. */
export function useAccountFacets() {
  return useQuery({
    queryKey: accountKeys.facets(),
    queryFn: ({ signal }) => fetchAccountFacets(signal),
    staleTime: 5 * 60_000,
  });
}
