import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TMarketCriteria } from '../../../src/schemas/market.ts';
import type {
  TMarketPreview,
  TMarketSave,
  TMarketState,
  TTierCounts,
} from '../../../src/schemas/market-api.ts';
import type { TUser } from '../../../src/schemas/people.ts';
import { ApiError, apiRequest } from './client.ts';
import { conflictCurrent } from './conflict.ts';
import { refreshPlannedWork } from './planned-work.ts';

/**
 * The current definition, every version, and how many accounts are in the market now (`inMarket`; a version's
 * `matching` is its count when it was saved).
 */
export type MarketState = TMarketState;

export interface MarketSaveResult {
  version: number;
  matching: number;
  isWidening: boolean;
  tiers: TTierCounts;
  /** What the save did to the plan: accounts that left the market (their open touches cancelled), that came in. */
  plan: { leftMarket: number; cancelledTouches: number; entered: number };
}

/** What a 409 on saving a widening change carries: the relaxed criteria and the current coverage. */
export interface WideningDetails {
  widened?: string[];
  coverage?: { matching: number; withRelationship: number };
}

/** An import source, as the market editor needs it (GET /api/sources gives more). */
export interface SourceOption {
  id: string;
  name: string;
  kind: 'purchased' | 'free';
  accounts: number;
}

export const marketKeys = {
  all: ['market'] as const,
  state: () => [...marketKeys.all, 'state'] as const,
  preview: (criteria: TMarketCriteria) => [...marketKeys.all, 'preview', criteria] as const,
  tiers: () => ['tiers'] as const,
  sources: () => ['sources', 'market-options'] as const,
};

export function fetchMarket(signal?: AbortSignal): Promise<MarketState> {
  return apiRequest<MarketState>('/market', { signal });
}

export function previewMarket(criteria: TMarketCriteria, signal?: AbortSignal): Promise<TMarketPreview> {
  return apiRequest<TMarketPreview>('/market/preview', { method: 'POST', body: criteria, signal });
}

export function saveMarket(body: TMarketSave): Promise<MarketSaveResult> {
  return apiRequest<MarketSaveResult>('/market', { method: 'POST', body });
}

export function fetchTiers(signal?: AbortSignal): Promise<TTierCounts> {
  return apiRequest<TTierCounts>('/tiers', { signal });
}

export function retier(): Promise<TTierCounts> {
  return apiRequest<TTierCounts>('/tiers/retier', { method: 'POST' });
}

/** The current market definition and every earlier version, newest first. */
export function useMarket() {
  return useQuery({ queryKey: marketKeys.state(), queryFn: ({ signal }) => fetchMarket(signal) });
}

/**
 * What the criteria would match. Keyed by the criteria, so going back to earlier criteria is instant;
 * the previous answer stays on screen while the next one loads.
 */
export function useMarketPreview(criteria: TMarketCriteria | null) {
  return useQuery({
    queryKey: marketKeys.preview(criteria ?? {}),
    queryFn: ({ signal }) => previewMarket(criteria ?? {}, signal),
    enabled: criteria != null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/**
 * The name of whoever saved a market version, when the signed-in user may see them (GET /api/users lists only
 * the people one may see: a rep their team and its manager); null when saved from the command line or unknown.
 */
export function useMarketAuthor(userId: string | null | undefined) {
  return useQuery({
    queryKey: ['users', 'visible'] as const,
    queryFn: ({ signal }) => apiRequest<{ items: TUser[] }>('/users', { signal }),
    enabled: Boolean(userId),
    staleTime: 5 * 60_000,
    select: (data) => data.items.find((user) => user.id === userId)?.name ?? null,
  });
}

/** Accounts per tier in the current market. */
export function useTiers() {
  return useQuery({ queryKey: marketKeys.tiers(), queryFn: ({ signal }) => fetchTiers(signal) });
}

/** Saving a market re-tiers every account: the accounts list, facets and tiers are stale afterwards. */
function useInvalidateAfterTiering() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: marketKeys.all }),
      client.invalidateQueries({ queryKey: marketKeys.tiers() }),
      refreshPlannedWork(client),
    ]);
}

/** Saves a new version; a save based on an older one than the current (409 version_conflict) reloads the market. */
export function useSaveMarket() {
  const client = useQueryClient();
  const invalidate = useInvalidateAfterTiering();
  return useMutation({
    mutationFn: saveMarket,
    onSuccess: invalidate,
    onError: (error) =>
      conflictCurrent(error) ? client.invalidateQueries({ queryKey: marketKeys.state() }) : undefined,
  });
}

export function useRetier() {
  const client = useQueryClient();
  const invalidate = useInvalidateAfterTiering();
  return useMutation({
    mutationFn: retier,
    onSuccess: async (tiers) => {
      client.setQueryData(marketKeys.tiers(), tiers);
      await invalidate();
    },
  });
}

/** Import sources for the market's source criterion; null when the API has none to offer (no import API). */
export function useSourceOptions() {
  return useQuery({
    queryKey: marketKeys.sources(),
    queryFn: async ({ signal }) => {
      try {
        const { items } = await apiRequest<{ items: SourceOption[] }>('/sources', { signal });
        return items;
      } catch (error) {
        if (error instanceof ApiError && [403, 404].includes(error.status)) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}
